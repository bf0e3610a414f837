// The preview's decisions, free of timers, DOM and mpegts.js: latency, frame rate, whether playback stalled, when to retry.

/** What the <video> shows at one instant. */
export interface PlaybackSample {
  /** Wall clock, ms. */
  at: number;
  currentTime: number;
  /** End of the last buffered range, null while nothing is buffered. */
  bufferedEnd: number | null;
  decodedFrames: number;
  droppedFrames: number;
}

export interface PlaybackLimits {
  /** A new connection may take this long to show its first frame. */
  startupMs: number;
  /** Once playing, neither frames nor time may stand still longer than this. */
  stallMs: number;
}

const PLAYBACK_LIMITS: PlaybackLimits = { startupMs: 10_000, stallMs: 3_000 };

/** Seconds of media buffered ahead of what is on screen: how far behind live the player is, beyond the network. */
export function latencySeconds(sample: PlaybackSample): number | null {
  return sample.bufferedEnd === null ? null : Math.max(0, sample.bufferedEnd - sample.currentTime);
}

/** Frames decoded per second between two samples of one connection. */
export function framesPerSecond(previous: PlaybackSample | null, next: PlaybackSample): number | null {
  if (previous === null || next.at <= previous.at || next.decodedFrames < previous.decodedFrames) return null;
  return ((next.decodedFrames - previous.decodedFrames) * 1000) / (next.at - previous.at);
}

/** What the watchdog remembers about one connection. */
export interface PlaybackWatch {
  startedAt: number;
  last: PlaybackSample | null;
  /** When frames or time last moved forward; null before the first frame. */
  advancedAt: number | null;
}

export type PlaybackVerdict = 'starting' | 'playing' | 'stalled';

export const startWatch = (at: number): PlaybackWatch => ({ startedAt: at, last: null, advancedAt: null });

/** Folds one sample into the watch: playing while frames or time advance, stalled when they stop (or never start). */
export function watchPlayback(watch: PlaybackWatch, sample: PlaybackSample, limits: PlaybackLimits = PLAYBACK_LIMITS): { watch: PlaybackWatch; verdict: PlaybackVerdict } {
  const moved = sample.decodedFrames > (watch.last?.decodedFrames ?? 0) || sample.currentTime > (watch.last?.currentTime ?? 0);
  const advancedAt = moved ? sample.at : watch.advancedAt;
  const next: PlaybackWatch = { ...watch, last: sample, advancedAt };
  if (advancedAt === null) return { watch: next, verdict: sample.at - watch.startedAt > limits.startupMs ? 'stalled' : 'starting' };
  return { watch: next, verdict: sample.at - advancedAt > limits.stallMs ? 'stalled' : 'playing' };
}

export interface RetryPolicy {
  initialMs: number;
  maxMs: number;
}

const RETRY_POLICY: RetryPolicy = { initialMs: 500, maxMs: 5000 };

/** Backoff before reconnect number `attempt` (0 first): doubling from initialMs, capped at maxMs. */
export function retryDelayMs(attempt: number, policy: RetryPolicy = RETRY_POLICY): number {
  return Math.min(policy.maxMs, policy.initialMs * 2 ** Math.max(0, attempt));
}

/** mpegts.js reports the loader's speed in KiB/s: the stream's bitrate in kb/s. */
export const kibPerSecondToKbps = (kibPerSecond: number): number => (kibPerSecond * 1024 * 8) / 1000;
