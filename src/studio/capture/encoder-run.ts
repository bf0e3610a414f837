// One supervised ffmpeg seen as the user sees it: an EncoderStatus kept current and pushed as 'encoder.status'.
import { EncoderSupervisor, type EncoderExit, type EncoderSupervisorOptions, type ProgressSnapshot } from '../../encoder';
import type { EncoderProgress, EncoderStatus } from '../../shared/ipc/capture';
import type { Emit } from '../ports';
import { describeFailure, type FailureWords } from './failure-words';

/** Restart and stop timing: the supervisor's defaults suit the app, tests shorten them. */
export type EncoderTuning = Partial<Omit<EncoderSupervisorOptions, 'ffmpegPath' | 'args'>> & {
  /** Progress reaches the renderer at most this often. */
  progressIntervalMs?: number;
};

export interface EncoderRunOptions {
  source: EncoderStatus['source'];
  ffmpegPath: string;
  /** Called before every run: each gets a fresh credential. */
  args: () => readonly string[];
  video: NonNullable<EncoderStatus['video']>;
  /** Where it publishes, without secrets. */
  target: string;
  emit: Emit;
  tuning?: EncoderTuning;
}

const DEFAULT_PROGRESS_INTERVAL_MS = 1000;
/** What ends the launch of the first run: it spawned, or it failed (and may be retried). */
const LAUNCH_EVENTS = ['start', 'restart', 'failed'] as const;

const toProgress = (snapshot: ProgressSnapshot): EncoderProgress => ({
  bitrateKbps: snapshot.bitrateKbps,
  fps: snapshot.fps,
  speed: snapshot.speed,
  droppedFrames: snapshot.dropFrames,
  duplicatedFrames: snapshot.dupFrames,
  outTimeMs: snapshot.outTimeUs === null ? null : Math.round(snapshot.outTimeUs / 1000),
});

/** An encoder that has not run: what the renderer shows before the first start. */
export const idleStatus = (source: EncoderStatus['source']): EncoderStatus => ({ source, state: 'idle', video: null, target: null, restarts: 0, progress: null });

/**
 * starting (ffmpeg spawned, not yet publishing) → running (its first progress report: the output is open) →
 * restarting (a run failed, another follows) → starting … → stopping → stopped, or failed when restarts are spent.
 */
export class EncoderRun {
  readonly supervisor: EncoderSupervisor;
  private current: EncoderStatus;
  private readonly emit: Emit;
  private readonly progressIntervalMs: number;
  private lastProgressAt = 0;
  private stopping: Promise<EncoderStatus> | null = null;

  constructor(options: EncoderRunOptions) {
    const { progressIntervalMs = DEFAULT_PROGRESS_INTERVAL_MS, ...supervisorTuning } = options.tuning ?? {};
    this.emit = options.emit;
    this.progressIntervalMs = progressIntervalMs;
    this.current = { ...idleStatus(options.source), video: options.video, target: options.target };
    this.supervisor = new EncoderSupervisor({ ...supervisorTuning, ffmpegPath: options.ffmpegPath, args: options.args });
    // The first run's start() already said 'starting'; a restarted run says it again.
    this.supervisor.on('start', () => {
      if (this.current.state === 'restarting') this.update({ state: 'starting', attempt: undefined, retryInMs: undefined });
    });
    this.supervisor.on('progress', (snapshot) => this.progress(snapshot));
    this.supervisor.on('restart', ({ exit, attempt, delayMs }) => this.update({ state: 'restarting', restarts: this.current.restarts + 1, attempt, retryInMs: delayMs, progress: null, ...words(exit) }));
    this.supervisor.on('failed', (exit) => this.update({ state: 'failed', attempt: undefined, retryInMs: undefined, ...words(exit) }));
  }

  /** The status as last emitted. */
  get status(): EncoderStatus {
    return { ...this.current };
  }

  /** Stopping, stopped or failed: no more runs will take input. */
  get ended(): boolean {
    return this.stopping !== null || this.current.state === 'failed';
  }

  /** Resolves once the first ffmpeg has spawned (or failed to): input written from then on reaches it. */
  async start(): Promise<EncoderStatus> {
    const launched = new Promise<void>((resolve) => {
      const settle = () => {
        for (const event of LAUNCH_EVENTS) this.supervisor.off(event, settle);
        resolve();
      };
      for (const event of LAUNCH_EVENTS) this.supervisor.on(event, settle);
    });
    this.update({ state: 'starting' });
    this.supervisor.start();
    await launched;
    return this.status;
  }

  /** `finish`: ffmpeg reads its input to the end and closes the stream itself; otherwise it is interrupted at once. */
  stop(finish: boolean): Promise<EncoderStatus> {
    this.stopping ??= this.shutdown(finish);
    return this.stopping;
  }

  /** Ends the encoder for a reason of the studio's own (input it cannot use), shown like a failed run. */
  fail(failure: FailureWords): Promise<EncoderStatus> {
    this.stopping ??= this.supervisor.stop().then(() => {
      this.update({ state: 'failed', attempt: undefined, retryInMs: undefined, progress: null, ...failure });
      return this.status;
    });
    return this.stopping;
  }

  private async shutdown(finish: boolean): Promise<EncoderStatus> {
    const failed = this.current.state === 'failed';
    if (!failed) this.update({ state: 'stopping', attempt: undefined, retryInMs: undefined });
    await (finish ? this.supervisor.finish() : this.supervisor.stop());
    if (!failed) this.update({ state: 'stopped' });
    return this.status;
  }

  // A run's first report means ffmpeg opened its output (the server took the publish); later ones are throttled,
  // except the last, written as ffmpeg ends: what a stopped encoder published in all.
  private progress(snapshot: ProgressSnapshot): void {
    const { state } = this.current;
    if (state !== 'starting' && state !== 'running' && state !== 'stopping') return;
    const now = Date.now();
    if (state !== 'starting' && !snapshot.ended && now - this.lastProgressAt < this.progressIntervalMs) return;
    this.lastProgressAt = now;
    this.update({ ...(state === 'starting' ? { state: 'running' as const } : {}), progress: toProgress(snapshot) });
  }

  private update(change: Partial<EncoderStatus>): void {
    const next: EncoderStatus = { ...this.current, ...change };
    for (const key of ['attempt', 'retryInMs', 'reason', 'hint'] as const) if (next[key] === undefined) delete next[key];
    this.current = next;
    this.emit('encoder.status', this.status);
  }
}

const words = (exit: EncoderExit): FailureWords => describeFailure(exit.reason);
