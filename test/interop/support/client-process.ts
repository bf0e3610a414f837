// Real client programs (ffmpeg, rtmpdump, gst-launch) as child processes whose output a test can wait on.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

// Enough for a few seconds of framemd5 lines or a debug log; older output is dropped first.
const MAX_OUTPUT_CHARS = 2 * 1024 * 1024;
// What a failure report shows of each client's stderr.
const REPORT_TAIL_CHARS = 4000;

type Channel = 'stdout' | 'stderr';

export interface ClientOptions {
  /** 'pipe' when the test feeds the client's stdin (ffmpeg reading `pipe:0`). */
  stdin?: 'ignore' | 'pipe';
}

/** One running client: its output so far, a promise of its exit, and waits on its output. */
export class ClientProcess {
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly output: Record<Channel, string> = { stdout: '', stderr: '' };
  private readonly listeners = new Set<() => void>();
  private exit: Exit | null = null;

  constructor(
    readonly name: string,
    readonly command: readonly string[],
    { stdin = 'ignore' }: ClientOptions = {},
  ) {
    const [program, ...args] = command;
    this.child = spawn(program, args, { stdio: [stdin, 'pipe', 'pipe'] });
    for (const channel of ['stdout', 'stderr'] as const) {
      this.child[channel]!.setEncoding('latin1').on('data', (text: string) => this.append(channel, text));
    }
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': by then every byte of stdout and stderr has been read.
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
      this.child.once('error', (error) => this.append('stderr', `spawn failed: ${error.message}\n`));
    });
  }

  /** The client's stdin when spawned with `stdin: 'pipe'`. */
  get stdin(): Writable | null {
    return this.child.stdin;
  }

  get stdout(): string {
    return this.output.stdout;
  }

  get stderr(): string {
    return this.output.stderr;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** Resolves with the first match of `pattern` in the channel's output; rejects if the client exits or time runs out first. */
  waitFor(channel: Channel, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return this.until(() => pattern.exec(this.output[channel]), timeoutMs, `${pattern} on ${channel}`);
  }

  /** Resolves with the exit status; rejects if the client still runs after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<Exit> {
    await this.until(() => this.exit, timeoutMs, 'exit', false);
    return this.exit!;
  }

  /** Adds a line of the test's own (what happened around the client) to its report. */
  note(text: string): void {
    this.append('stderr', `[test] ${text}\n`);
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /** Kills the client and resolves once it is gone. */
  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }

  /** The command line and the end of stderr, for failure messages. */
  report(): string {
    const status = this.exit ? `exited ${this.exit.code ?? this.exit.signal}` : 'running';
    return `--- ${this.name} (${status}): ${this.command.join(' ')}\n${this.output.stderr.slice(-REPORT_TAIL_CHARS)}`;
  }

  private append(channel: Channel, text: string): void {
    const joined = this.output[channel] + text;
    this.output[channel] = joined.length > MAX_OUTPUT_CHARS ? joined.slice(-MAX_OUTPUT_CHARS) : joined;
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  private until<T>(check: () => T | null, timeoutMs: number, what: string, failOnExit = true): Promise<T> {
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        const value = check();
        if (value !== null) finish(() => resolve(value));
        else if (failOnExit && this.exit) finish(() => reject(new Error(`${this.name} exited before ${what}\n${this.report()}`)));
      };
      const finish = (action: () => void): void => {
        clearTimeout(timer);
        this.listeners.delete(settle);
        action();
      };
      const timer = setTimeout(() => finish(() => reject(new Error(`${this.name}: no ${what} within ${timeoutMs} ms\n${this.report()}`))), timeoutMs);
      this.listeners.add(settle);
      settle();
    });
  }
}

/** The clients one test started: all killed at its end, all reported when it fails. */
export class ClientPool {
  private clients: ClientProcess[] = [];

  spawn(name: string, command: readonly string[], options?: ClientOptions): ClientProcess {
    const client = new ClientProcess(name, command, options);
    this.clients.push(client);
    return client;
  }

  async killAll(): Promise<void> {
    const clients = this.clients;
    this.clients = [];
    await Promise.all(clients.map((client) => client.kill()));
  }

  report(): string {
    return this.clients.map((client) => client.report()).join('\n');
  }
}
