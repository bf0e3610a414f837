import { describe, expect, it } from 'vitest';
import { avc, fingerprints, gops, h264AacHeaders, isKeyframe, isMonotonic, playedH264AacHeaders, type Packet } from '../../support/media';
import { useRtmpHarness } from '../../support/rtmp-harness';

const h = useRtmpHarness();

const MAX_QUEUE_BYTES = 256 * 1024;
// Enough for any loopback socket buffers to fill up behind a paused reader (Linux tops out at a few MB).
const MAX_GOPS = 600;


describe('a slow player', { timeout: 30_000 }, () => {
  it('drops to the next keyframe (counted in stats) while a fast player gets every message and the publisher never waits', async () => {
    const { url, server } = await h.startServer({ limits: { maxQueueBytes: MAX_QUEUE_BYTES } });
    const publisher = await h.publisher(url(), 'cam');
    const fast = await h.player(url(), 'cam');
    const slow = await h.player(url(), 'cam');
    const sent: Packet[] = h264AacHeaders();
    publisher.send(sent);
    await Promise.all([fast.inbox.untilMedia(sent.length), slow.inbox.untilMedia(sent.length)]);

    slow.client.socket.pause(); // it stops reading: the server's writes to it back up
    let sentGops = 0;
    // One GOP of 5 × 16 kB video frames and their audio, paced by the fast player (so its queue stays small).
    const sendGop = async () => {
      const gop = gops({ gops: 1, start: sentGops++ * 200, video: (keyframe) => avc.frame(keyframe, 16 * 1024) });
      sent.push(...gop);
      publisher.send(gop);
      await fast.inbox.untilMedia(sent.length);
      // Everything the publisher wrote was read by the server: it was never held back.
      expect(publisher.client.socket.writableLength).toBe(0);
    };
    const outbound = () => server.stats().streams[0].outbound;
    while (outbound().skips === 0 && sentGops < MAX_GOPS) await sendGop();
    expect(outbound().skips).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) await sendGop();
    expect(outbound().packetsDropped).toBeGreaterThan(0);
    expect(fingerprints(fast.inbox.packets)).toEqual(fingerprints([...playedH264AacHeaders(), ...sent.slice(3)]));

    slow.client.socket.resume();
    await slow.inbox.roundTrip((message) => slow.client.send(message), 10_000); // its backlog has arrived
    for (let i = 0; i < 2; i++) await sendGop();
    const last = fingerprints(sent.slice(-1))[0];
    const received = await slow.inbox.until(() => (slow.inbox.media.length > 0 && fingerprints(slow.inbox.packets.slice(-1))[0] === last ? slow.inbox.packets : undefined), 'the slow player catching up', 10_000);

    expect(fingerprints(fast.inbox.packets)).toEqual(fingerprints([...playedH264AacHeaders(), ...sent.slice(3)]));
    // What the slow player got is what was sent, in order (every index is known and rising), with gaps;
    // after each gap it restarts on a key frame.
    const indexOf = new Map(fingerprints(sent).map((fingerprint, index) => [fingerprint, index]));
    const indices = fingerprints(received.slice(3)).map((fingerprint) => indexOf.get(fingerprint) ?? -1);
    expect(indices.every((index, i) => index > (i === 0 ? 2 : indices[i - 1]))).toBe(true);
    const resumedAt = indices.filter((index, i) => i > 0 && index !== indices[i - 1] + 1);
    expect(resumedAt.length).toBeGreaterThan(0);
    for (const index of resumedAt) expect({ index, kind: sent[index].kind, keyframe: isKeyframe(sent[index].payload) }).toEqual({ index, kind: 'video', keyframe: true });
    expect(indices.slice(-10)).toEqual(sent.slice(-10).map((_, i) => sent.length - 10 + i)); // the last GOP, whole
    expect(isMonotonic(received)).toBe(true);
    expect(fingerprints(received.slice(0, 3))).toEqual(fingerprints(playedH264AacHeaders()));
  });
});
