import { describe, expect, it } from 'vitest';
import { peerName, useRtmpHarness } from '../../support/rtmp-harness';

const h = useRtmpHarness();

describe('RtmpClient against the MediaServer', { timeout: 10_000 }, () => {
  it.each([true, false])('connects (digest handshake: %s) because it sends connect only after S0+S1+S2 and its C2 (RTMP 1.0 §5.2.1)', async (digest) => {
    const { url, log } = await h.startServer();
    const { client } = await h.connect(url(), { digest });
    expect(await client.createStream()).toBe(1);
    expect(log.find('rtmp.close')).toEqual([]);
    expect(log.find('rtmp.connect', { app: 'live', peer: peerName(client.socket) })).toHaveLength(1);
  });
});
