import { describe, expect, it } from 'vitest';
import {
  framesPerSecond,
  kibPerSecondToKbps,
  latencySeconds,
  retryDelayMs,
  startWatch,
  watchPlayback,
  type PlaybackSample,
  type PlaybackWatch,
  type PlaybackVerdict,
} from '../../../../src/renderer/src/features/preview/preview-policy';

const limits = { startupMs: 10_000, stallMs: 3_000 };
const sample = (at: number, currentTime: number, decodedFrames: number, bufferedEnd: number | null = currentTime + 0.4): PlaybackSample => ({
  at,
  currentTime,
  bufferedEnd,
  decodedFrames,
  droppedFrames: 0,
});

/** Feeds samples to a watch started at 0 and answers every verdict. */
function verdicts(...samples: PlaybackSample[]): PlaybackVerdict[] {
  let watch: PlaybackWatch = startWatch(0);
  return samples.map((next) => {
    const judged = watchPlayback(watch, next, limits);
    watch = judged.watch;
    return judged.verdict;
  });
}

describe('preview policy', () => {
  it('measures latency as buffered end minus current time, and none while nothing is buffered', () => {
    expect(latencySeconds(sample(0, 10, 0, 10.42))).toBeCloseTo(0.42);
    expect(latencySeconds(sample(0, 10, 0, null))).toBeNull();
    expect(latencySeconds(sample(0, 10.5, 0, 10.42))).toBe(0);
  });

  it('counts frames per second between two samples of one connection', () => {
    expect(framesPerSecond(sample(1000, 1, 30), sample(1500, 1.5, 45))).toBe(30);
    expect(framesPerSecond(null, sample(1500, 1.5, 45))).toBeNull();
    expect(framesPerSecond(sample(1000, 1, 300), sample(1500, 0, 10))).toBeNull();
  });

  it('waits for the first frame, then plays while frames advance', () => {
    expect(verdicts(sample(500, 0, 0), sample(1000, 0.2, 6), sample(1500, 0.7, 21))).toEqual(['starting', 'playing', 'playing']);
  });

  it('calls a connection stalled when frames and time stop advancing for longer than stallMs', () => {
    expect(verdicts(sample(500, 0.5, 15), sample(2000, 0.5, 15), sample(3500, 0.5, 15), sample(3600, 0.5, 15))).toEqual(['playing', 'playing', 'playing', 'stalled']);
  });

  it('calls a connection stalled when it never shows a frame within startupMs', () => {
    expect(verdicts(sample(9_000, 0, 0), sample(10_001, 0, 0))).toEqual(['starting', 'stalled']);
  });

  it('keeps an audio-only stream alive while its clock advances', () => {
    expect(verdicts(sample(500, 0.5, 0), sample(4000, 4, 0), sample(8000, 8, 0))).toEqual(['playing', 'playing', 'playing']);
  });

  it('backs off doubling from 0.5 s and never waits more than 5 s', () => {
    expect([0, 1, 2, 3, 4, 10].map((attempt) => retryDelayMs(attempt))).toEqual([500, 1000, 2000, 4000, 5000, 5000]);
  });

  it('turns mpegts.js KiB/s into kb/s', () => {
    expect(kibPerSecondToKbps(100)).toBeCloseTo(819.2);
  });
});
