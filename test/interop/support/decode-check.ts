// The one check every "a real player decoded it" test makes, with the whole story in the failure message.
import { expect } from 'vitest';
import type { ClientProcess } from './client-process';
import { FRAME_RATE, errorLines, frameCounts, inputStreams } from './ffmpeg';

// AAC frames carry 1024 samples at 44.1 kHz: about 43 a second; asking for 40 leaves room for the cut at either end.
const AAC_FRAMES_PER_SECOND = 40;

/**
 * Waits for an ffmpeg `decodeToFrameMd5(input, seconds)` player to finish, then asserts it found exactly
 * an H.264 video and an AAC audio stream, logged no error, and decoded `seconds` worth of both.
 */
export async function expectDecodedAudioAndVideo(player: ClientProcess, seconds: number, report: () => string): Promise<void> {
  const exit = await player.waitForExit(seconds * 1000 + 8000);
  expect(exit.code, report()).toBe(0);
  expect(inputStreams(player.stderr).filter((stream) => stream.type !== 'Data'), report()).toEqual([
    { type: 'Video', codec: 'h264' },
    { type: 'Audio', codec: 'aac' },
  ]);
  expect(errorLines(player.stderr), report()).toEqual([]);
  const counts = frameCounts(player.stdout);
  // -t cuts the output at `seconds`: give or take a frame at either end.
  expect(counts.get(0), report()).toBeGreaterThanOrEqual(seconds * FRAME_RATE - 3);
  expect(counts.get(0), report()).toBeLessThanOrEqual(seconds * FRAME_RATE + 1);
  expect(counts.get(1), report()).toBeGreaterThanOrEqual(seconds * AAC_FRAMES_PER_SECOND);
}
