// An encoder that dies and comes straight back must get its stream name again, not "already publishing" from its own ghost.
import { expect, it } from 'vitest';
import { expectDecodedAudioAndVideo } from './support/decode-check';
import { decodeToFrameMd5, publishTestPattern } from './support/ffmpeg';
import { useInteropServer } from './support/interop-server';

const STREAM = 'live/r';
// About 68 packets a second (25 video, 43 audio): after 50 the publisher is well under way.
const RUNNING_PACKETS = 50;

const run = useInteropServer();
const { clients, report } = run;

for (const signal of ['SIGKILL', 'SIGINT'] as const) {
  it(`accepts an ffmpeg publisher restarted on the same name right after a ${signal}`, { timeout: 25_000 }, async () => {
    const first = clients.spawn('first publisher', publishTestPattern(run.server.rtmpUrl(STREAM)));
    await run.server.waitForMedia(STREAM, RUNNING_PACKETS, 10_000, report);
    const firstId = run.server.server.registry.get('live', 'r')?.publisher?.id;

    first.signal(signal); // SIGKILL: the socket just closes; SIGINT: ffmpeg unpublishes before it closes
    await first.waitForExit(5000);
    const second = clients.spawn('second publisher', publishTestPattern(run.server.rtmpUrl(STREAM)));
    await run.server.waitForEvent('rtmp.publish', 2, 10_000, report);

    expect(run.server.log.events('rtmp.reject'), report()).toEqual([]);
    const stream = run.server.server.registry.get('live', 'r');
    expect(stream?.publisher?.id, report()).not.toBe(firstId);
    const player = clients.spawn('player', decodeToFrameMd5(run.server.rtmpUrl(STREAM), 2));
    await expectDecodedAudioAndVideo(player, 2, report);
    expect(second.running, report()).toBe(true);
    expect(second.stderr, report()).not.toMatch(/\[(error|fatal)\]/);
  });
}
