import { describe, expect, it } from 'vitest';
import type { StreamStats } from '../../../../src/server/http/stats';
import type { ServerStats } from '../../../../src/server/host/protocol';
import { StatsRecorder, statsSample } from '../../../../src/studio/server/stats-history';

const STREAM: StreamStats = {
  app: 'live',
  name: 'cam',
  publisher: { id: 3, protocol: 'rtmps', remoteAddress: '127.0.0.1', since: '2026-01-01T00:00:00.000Z' },
  codecs: { video: 'H264', audio: 'AAC' },
  media: { width: 1280, height: 720, fps: 30, audioSampleRate: 48_000, audioChannels: 2 },
  inbound: { bitsPerSecond: 2_499_600, bytes: 1000, packets: 10 },
  players: { rtmp: 1, rtmps: 0, 'http-flv': 2, 'ws-flv': 0 },
  readers: [{ id: 7, protocol: 'http-flv', remoteAddress: '10.0.0.9', since: '2026-01-01T00:00:05.000Z' }],
  outbound: { bytes: 1, packets: 1, packetsDropped: 4, skips: 1 },
  uptimeSeconds: 5,
};

const stats = (streams: StreamStats[]): ServerStats =>
  ({ uptimeMs: 0, memory: { rssBytes: 0, heapUsedBytes: 0, externalBytes: 0 }, connections: { total: 0, rtmp: 0 }, tls: null, streams }) as ServerStats;

describe('statsSample', () => {
  it("describes a stream in the contract's words", () => {
    expect(statsSample(stats([STREAM]), 42)).toEqual({
      at: 42,
      streams: [
        {
          path: 'live/cam',
          publisher: { sessionId: 3, address: '127.0.0.1', protocol: 'rtmps', since: '2026-01-01T00:00:00.000Z' },
          video: { codec: 'H264', width: 1280, height: 720, fps: 30 },
          audio: { codec: 'AAC', sampleRate: 48_000, channels: 2 },
          bitrateKbps: 2500,
          players: { rtmp: 1, rtmps: 0, 'http-flv': 2, 'ws-flv': 0 },
          drops: 4,
          sessions: [{ sessionId: 7, address: '10.0.0.9', protocol: 'http-flv', since: '2026-01-01T00:00:05.000Z' }],
        },
      ],
    });
  });

  it('has no video or audio for a stream whose publisher sent none yet', () => {
    const [stream] = statsSample(stats([{ ...STREAM, publisher: null, codecs: { video: '', audio: '' } }]), 0).streams;
    expect(stream).toMatchObject({ publisher: null, video: null, audio: null });
  });
});

describe('StatsRecorder', () => {
  it('keeps the newest samples as bitrate and viewers per stream', () => {
    const recorder = new StatsRecorder(2);
    for (const at of [1000, 2000, 3000]) recorder.record(statsSample(stats([STREAM]), at));
    expect(recorder.history()).toEqual({
      intervalMs: 1000,
      samples: [
        { at: 2000, streams: [{ path: 'live/cam', bitrateKbps: 2500, viewers: 3 }] },
        { at: 3000, streams: [{ path: 'live/cam', bitrateKbps: 2500, viewers: 3 }] },
      ],
    });
  });
});
