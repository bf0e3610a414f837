// Runs one ffmpeg, feeds its stdin with backpressure, reports progress, and restarts it with backoff when it dies.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { EncoderError } from './errors';
import { classifyFailure, type FailureReason } from './failure';
import { FfmpegProgress, type ProgressSnapshot } from './progress';

export interface EncoderSupervisorOptions {
  ffmpegPath: string;
  /** The command line, or a function called before every run: each run, a restarted one too, gets fresh credentials. */
  args: readonly string[] | (() => readonly string[]);
  /** First restart delay; each consecutive failure doubles it. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** A run this long counts as healthy: the next failure starts the backoff over. */
  healthyAfterMs?: number;
  /** Consecutive failed runs before the supervisor gives up. */
  maxRestarts?: number;
  /** Time between SIGINT (ffmpeg closes the stream cleanly) and SIGKILL on stop(). */
  stopGraceMs?: number;
  /** finish(): time ffmpeg has to read the rest of stdin and exit by itself before it is interrupted as by stop(). */
  finishGraceMs?: number;
  /** stderr lines kept for failure reasons and reports. */
  stderrLines?: number;
}

export type SupervisorState = 'idle' | 'running' | 'restarting' | 'stopping' | 'stopped' | 'failed';

/** One ffmpeg run that ended without stop(). */
export interface EncoderExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  reason: FailureReason;
  /** How long the run lasted. */
  ranMs: number;
  /** The run's last stderr lines. */
  stderr: string[];
}

export interface EncoderSupervisorEvents {
  start: [{ pid: number; attempt: number }];
  progress: [ProgressSnapshot];
  /** A run failed and another follows after delayMs. */
  restart: [{ exit: EncoderExit; attempt: number; delayMs: number }];
  /** A run failed and maxRestarts is spent: no more runs. */
  failed: [EncoderExit];
  stopped: [];
}

const DEFAULTS = {
  initialBackoffMs: 500,
  maxBackoffMs: 10_000,
  healthyAfterMs: 30_000,
  maxRestarts: 10,
  stopGraceMs: 3000,
  finishGraceMs: 5000,
  stderrLines: 50,
};

type Ffmpeg = ChildProcessByStdio<Writable, Readable, Readable>;

export class EncoderSupervisor extends EventEmitter<EncoderSupervisorEvents> {
  private readonly options: Required<EncoderSupervisorOptions>;
  private child: Ffmpeg | null = null;
  private stateValue: SupervisorState = 'idle';
  private failures = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stderrTail: string[] = [];
  private stopping: Promise<void> | null = null;
  /** Chunks given to write() while no ffmpeg was running (between runs): lost, and counted. */
  droppedChunks = 0;

  constructor(options: EncoderSupervisorOptions) {
    super();
    this.options = { ...DEFAULTS, ...options };
  }

  get state(): SupervisorState {
    return this.stateValue;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Bytes written to the running ffmpeg's stdin that it has not read yet (0 between runs). */
  get bufferedBytes(): number {
    return this.child?.stdin.writableLength ?? 0;
  }

  /** The current (or last) run's stderr, oldest first. */
  get stderr(): readonly string[] {
    return this.stderrTail;
  }

  start(): void {
    if (this.stateValue !== 'idle') throw new Error(`start() in state ${this.stateValue}`);
    this.run();
  }

  /** Resolves when ffmpeg's stdin has taken the chunk (after 'drain' when its buffer is full). */
  write(chunk: Buffer): Promise<void> {
    if (this.stopping !== null || this.stateValue === 'failed') return Promise.reject(new EncoderError('ENCODER_STOPPED', `write() while the encoder is ${this.stateValue}`));
    const stdin = this.child?.stdin;
    if (!stdin || !stdin.writable) {
      this.droppedChunks++;
      return Promise.resolve();
    }
    if (stdin.write(chunk)) return Promise.resolve();
    // The chunk is queued; the caller waits until the pipe drains or this run ends (a restart takes over).
    return new Promise((resolve) => {
      const done = () => {
        stdin.off('drain', done);
        stdin.off('close', done);
        resolve();
      };
      stdin.on('drain', done);
      stdin.on('close', done);
    });
  }

  /** Ends stdin and interrupts ffmpeg so it closes the stream, killing it after the grace period; no restart follows. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown(0);
    return this.stopping;
  }

  /** Ends stdin so ffmpeg reads what is left, flushes and exits by itself within finishGraceMs; then as stop(). */
  finish(): Promise<void> {
    this.stopping ??= this.shutdown(this.options.finishGraceMs);
    return this.stopping;
  }

  private async shutdown(finishGraceMs: number): Promise<void> {
    clearTimeout(this.restartTimer);
    const child = this.child;
    if (child !== null) {
      this.stateValue = 'stopping';
      const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
      child.stdin.end();
      if (finishGraceMs > 0) await settledWithin(closed, finishGraceMs);
      child.kill('SIGINT');
      const killer = setTimeout(() => child.kill('SIGKILL'), this.options.stopGraceMs);
      await closed;
      clearTimeout(killer);
    }
    this.stateValue = 'stopped';
    this.emit('stopped');
  }

  private run(): void {
    this.stderrTail = [];
    const startedAt = Date.now();
    const args = this.commandLine();
    if (args instanceof Error) {
      this.failed({ code: null, signal: null, reason: { kind: 'setup-failed', line: args.message }, ranMs: 0, stderr: [] });
      return;
    }
    const child: Ffmpeg = spawn(this.options.ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.stateValue = 'running';
    // EPIPE when ffmpeg dies mid-write: the exit handler reports why it died.
    child.stdin.on('error', () => {});
    const progress = new FfmpegProgress((snapshot) => this.emit('progress', snapshot));
    child.stdout.on('data', (chunk: Buffer) => progress.push(chunk));
    this.collectStderr(child.stderr);
    let ended = false;
    const end = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
      if (ended) return;
      ended = true;
      if (this.child === child) this.child = null;
      if (this.stopping !== null) return;
      const reason: FailureReason = spawnError ? { kind: 'spawn-failed', line: spawnError.message } : classifyFailure(this.stderrTail);
      this.failed({ code, signal, reason, ranMs: Date.now() - startedAt, stderr: [...this.stderrTail] });
    };
    child.once('spawn', () => this.emit('start', { pid: child.pid!, attempt: this.failures }));
    child.once('error', (error) => {
      if (child.pid === undefined) end(null, null, error);
    });
    child.once('close', (code, signal) => end(code, signal));
  }

  // A function that throws (no server to publish to, no key to sign with) fails this run like a crash would.
  private commandLine(): readonly string[] | Error {
    const { args } = this.options;
    if (typeof args !== 'function') return args;
    try {
      return args();
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  private failed(exit: EncoderExit): void {
    if (exit.ranMs >= this.options.healthyAfterMs) this.failures = 0;
    if (this.failures >= this.options.maxRestarts) {
      this.stateValue = 'failed';
      this.emit('failed', exit);
      return;
    }
    const delayMs = Math.min(this.options.initialBackoffMs * 2 ** this.failures, this.options.maxBackoffMs);
    this.failures++;
    this.stateValue = 'restarting';
    this.restartTimer = setTimeout(() => this.run(), delayMs);
    this.emit('restart', { exit, attempt: this.failures, delayMs });
  }

  // Keeps the last lines only; a line split across chunks is joined before it is kept.
  private collectStderr(stderr: Readable): void {
    let partial = '';
    stderr.setEncoding('utf8');
    stderr.on('data', (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) this.keep(line);
    });
    stderr.on('end', () => {
      if (partial !== '') this.keep(partial);
    });
  }

  private keep(line: string): void {
    const trimmed = line.trimEnd();
    if (trimmed === '') return;
    this.stderrTail.push(trimmed);
    if (this.stderrTail.length > this.options.stderrLines) this.stderrTail.shift();
  }
}

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
async function settledWithin(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
