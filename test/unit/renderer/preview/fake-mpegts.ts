// A fake mpegts.js for the Preview's component tests: records each player, lets the test fire its events and set what the <video> shows.

type Listener = (...args: unknown[]) => void;

export const EVENTS = { ERROR: 'error', LOADING_COMPLETE: 'loading_complete', STATISTICS_INFO: 'statistics_info' } as const;

export class FakePlayer {
  static instances: FakePlayer[] = [];
  private readonly listeners = new Map<string, Set<Listener>>();
  video: HTMLVideoElement | null = null;
  loaded = false;
  destroyed = false;

  constructor(
    readonly source: { type: string; isLive?: boolean; url?: string },
    readonly config: Record<string, unknown>,
  ) {
    FakePlayer.instances.push(this);
  }

  on(event: string, listener: Listener): void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener);
  }

  off(event: string, listener: Listener): void {
    this.listeners.get(event)?.delete(listener);
  }

  emit(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) listener(...args);
  }

  attachMediaElement(video: HTMLVideoElement): void {
    this.video = video;
  }

  detachMediaElement(): void {
    this.video = null;
  }

  load(): void {
    this.loaded = true;
  }

  play(): Promise<void> {
    return Promise.resolve();
  }

  pause(): void {}

  unload(): void {}

  destroy(): void {
    this.destroyed = true;
  }

  /** What the attached <video> shows: its clock, the end of its buffer and its frame counters. */
  show({ currentTime, bufferedEnd, frames, dropped = 0 }: { currentTime: number; bufferedEnd: number; frames: number; dropped?: number }): void {
    const video = this.video!;
    Object.defineProperty(video, 'currentTime', { configurable: true, get: () => currentTime });
    Object.defineProperty(video, 'buffered', { configurable: true, get: () => ({ length: 1, start: () => 0, end: () => bufferedEnd }) });
    Object.defineProperty(video, 'getVideoPlaybackQuality', { configurable: true, value: () => ({ totalVideoFrames: frames, droppedVideoFrames: dropped }) });
  }
}

/** The module vi.mock('mpegts.js') answers with. */
export const fakeMpegtsModule = {
  default: {
    isSupported: () => true,
    createPlayer: (source: FakePlayer['source'], config: FakePlayer['config']) => new FakePlayer(source, config),
    Events: EVENTS,
    LoggingControl: { applyConfig: () => undefined },
  },
};
