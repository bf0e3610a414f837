// A player joining in the middle of a long GOP starts on the cached keyframe instead of waiting for the next one.
import { expect, it } from 'vitest';
import { FRAME_RATE, decodeToFrameMd5, errorLines, frameCounts, publishTestPattern } from './support/ffmpeg';
import { useInteropServer } from './support/interop-server';

const GOP_SECONDS = 10;
// About 68 packets a second (25 video, 43 audio): 200 packets put the join some 3 s into the first GOP.
const JOIN_AFTER_PACKETS = 200;
// Without the GOP cache the first picture would wait about GOP_SECONDS - 3 = 7 s for the next keyframe.
const MAX_FIRST_FRAME_MS = 2000;

const run = useInteropServer();
const { clients, report } = run;

it('gives a late ffmpeg player its first decoded picture at once, from the GOP cache', { timeout: 25_000 }, async () => {
  clients.spawn('publisher', publishTestPattern(run.server.rtmpUrl('live/late'), { gopFrames: GOP_SECONDS * FRAME_RATE }));
  await run.server.waitForMedia('live/late', JOIN_AFTER_PACKETS, 10_000, () => clients.report());

  const joinedAt = Date.now();
  const player = clients.spawn('late player', decodeToFrameMd5(run.server.rtmpUrl('live/late'), 1));
  await player.waitFor('stdout', /^0,/m, GOP_SECONDS * 1000);
  const firstFrameMs = Date.now() - joinedAt;
  expect(firstFrameMs, report()).toBeLessThan(MAX_FIRST_FRAME_MS);

  // A picture decoded without its keyframe would show as h264 errors ("no frame!", "non-existing PPS").
  expect((await player.waitForExit(5000)).code, report()).toBe(0);
  expect(errorLines(player.stderr), report()).toEqual([]);
  expect(frameCounts(player.stdout).get(0), report()).toBeGreaterThanOrEqual(FRAME_RATE - 2);
});
