// The parent's side: runs the media server in its own process, answers for it, and restarts it with backoff when it dies.
import { EventEmitter } from 'node:events';
import type { SecurityDocument } from '../auth/security-document';
import { silentLogger, type Logger } from '../log';
import type { ServerAddresses } from '../media-server';
import type { SpawnChild } from './channel';
import { ChildLink, type ChildExit, type RequestBody } from './child-link';
import { HostError } from './host-error';
import { checkCertificate, checkOptions, checkSecurity, loadPem, type HostEvent, type HostMethod, type HostResults, type HostedServerOptions, type PemCertificate, type ServerStats } from './protocol';

export type HostState = 'starting' | 'running' | 'crashed' | 'restarting' | 'stopped';

export interface StateChange {
  state: HostState;
  /** Restarts that brought the server back since the host was made. */
  restarts: number;
  /** The restart attempt under way ('restarting'), counted from 1 since the last healthy period. */
  attempt?: number;
  /** How long 'restarting' waits before it launches the process. */
  delayMs?: number;
  /** Why: how the process ended ('crashed'), or why the host gave up ('stopped'). */
  reason?: string;
}

export interface ServerHostEvents {
  state: [StateChange];
  /** A log line of the server process, one JSON object, already redacted there. */
  log: [string];
  /** The server listens, after the first start and after each restart (ports 0 pick new ports each time). */
  ready: [ServerAddresses];
}

export interface ServerHostOptions {
  /** Makes a server process: forkServerChild in Node, a utilityProcess adapter in Electron. */
  spawnChild: SpawnChild;
  /** Deadline for stats and kick. */
  requestTimeoutMs?: number;
  /** Deadline for a process to start and listen (a cold Node start on a busy machine takes seconds). */
  startTimeoutMs?: number;
  /** Deadline for a stop before the process is killed. */
  stopTimeoutMs?: number;
  /** First restart delay, doubled on each failed attempt. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Running this long counts as healthy: the next crash starts again from initialDelayMs. */
  healthyAfterMs?: number;
  /** Restart attempts in a row before the host gives up and stops. */
  maxAttempts?: number;
  /** The host's own lines: restarts, give-ups, malformed messages from the process. */
  log?: Logger;
}

const DEFAULTS = {
  requestTimeoutMs: 5_000,
  startTimeoutMs: 20_000,
  stopTimeoutMs: 5_000,
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  healthyAfterMs: 60_000,
  maxAttempts: 10,
};

/** The wait before restart attempt `attempt` (1, 2, …): initialDelayMs doubling up to maxDelayMs. */
export const backoffDelay = (attempt: number, initialDelayMs: number, maxDelayMs: number): number => Math.min(maxDelayMs, initialDelayMs * 2 ** (attempt - 1));

const describeExit = ({ code, signal }: ChildExit): string => (signal ? `killed by ${signal}` : `exited with code ${code}`);

/**
 * One supervised server process. start() launches it; if it dies unexpectedly it is relaunched with the last
 * start options after a backoff. stop() ends it and no restart follows (a later start() is a new beginning).
 */
export class ServerHost extends EventEmitter<ServerHostEvents> {
  private readonly options: Required<Omit<ServerHostOptions, 'log'>>;
  private readonly log: Logger;
  private link: ChildLink | null = null;
  private current: HostState = 'stopped';
  private startOptions: HostedServerOptions = {};
  private addressInfo: ServerAddresses | null = null;
  private restartCount = 0;
  private attempt = 0;
  private lastFatal: string | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private healthyTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<unknown> = Promise.resolve();

  constructor(options: ServerHostOptions) {
    super();
    const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.options = { ...DEFAULTS, ...defined } as Required<Omit<ServerHostOptions, 'log'>>;
    this.log = options.log ?? silentLogger;
  }

  get state(): HostState {
    return this.current;
  }

  get restarts(): number {
    return this.restartCount;
  }

  /** Where the server listens while it runs; null otherwise. */
  get addresses(): ServerAddresses | null {
    return this.addressInfo;
  }

  get pid(): number | undefined {
    return this.link?.child.pid;
  }

  /** Launches the server process and resolves with its addresses once it listens. */
  async start(options: HostedServerOptions): Promise<ServerAddresses> {
    if (this.current !== 'stopped') throw new HostError('HOST_STATE', `the host is ${this.current}`);
    const problem = checkOptions(options);
    if (problem !== undefined) throw new HostError('HOST_MESSAGE_INVALID', problem);
    this.startOptions = options;
    this.attempt = 0;
    this.setState({ state: 'starting' });
    try {
      // A process still ending from stop() may hold the configured ports.
      await this.stopping;
      return await this.launch();
    } catch (error) {
      this.abandon(error);
      throw error;
    }
  }

  /** Stops the server and ends its process (killed if it does not end by stopTimeoutMs); no restart follows. */
  async stop(): Promise<void> {
    clearTimeout(this.retryTimer);
    clearTimeout(this.healthyTimer);
    const link = this.link;
    this.link = null;
    this.addressInfo = null;
    if (this.current !== 'stopped') this.setState({ state: 'stopped' });
    if (link) await (this.stopping = this.end(link));
  }

  // Asks the process to stop, then waits for it to exit, killing it if it takes too long.
  private async end(link: ChildLink): Promise<void> {
    const { stopTimeoutMs } = this.options;
    await link.request('stop', {}, stopTimeoutMs).catch((error: HostError) => this.log.warn('host.stop-failed', { code: error.code, reason: error.message }));
    const timer = setTimeout(() => link.kill(), stopTimeoutMs);
    await link.exited;
    clearTimeout(timer);
  }

  stats(): Promise<ServerStats> {
    return this.ask('stats', {});
  }

  /** Disconnects one RTMP session or HTTP-FLV/WS-FLV player; false if there is no such session. */
  kick(sessionId: number): Promise<boolean> {
    return this.ask('kick', { sessionId });
  }

  /**
   * Replaces the security document: a running process decides the next connect, publish and play by it, and every
   * later (re)start begins with it. Between start() and stop() only: a stopped host starts with what start() is given.
   */
  async updateSecurity(document: SecurityDocument): Promise<void> {
    const problem = checkSecurity(document);
    if (problem !== undefined) throw new HostError('HOST_MESSAGE_INVALID', problem);
    await this.update({ security: document }, () => this.ask('security', { document }));
  }

  /**
   * Replaces the RTMPS certificate the same way; sessions already open keep theirs. The server must have started with
   * one. The pair is checked here in full, not only by shape: one the process would refuse must never be kept for
   * the next restart, which it would fail.
   */
  async updateCertificate(certificate: PemCertificate): Promise<void> {
    const problem = checkCertificate(certificate);
    if (problem !== undefined) throw new HostError('HOST_MESSAGE_INVALID', problem);
    loadPem(certificate);
    if (this.startOptions.certificate === undefined) throw new HostError('HOST_STATE', 'the server was started without a certificate');
    await this.update({ certificate }, () => this.ask('certificate', { certificate }));
  }

  // Kept for restarts first; sent now only to a running process (a launch under way sends it once it listens, see launch).
  private async update(change: Partial<HostedServerOptions>, send: () => Promise<null>): Promise<void> {
    if (this.current === 'stopped') throw new HostError('HOST_NOT_RUNNING', 'the server is stopped');
    this.startOptions = { ...this.startOptions, ...change };
    if (this.current === 'running') await send();
  }

  private ask<M extends HostMethod>(method: M, body: RequestBody<M>): Promise<HostResults[M]> {
    if (!this.link || this.current !== 'running') return Promise.reject(new HostError('HOST_NOT_RUNNING', `the server is ${this.current}`));
    return this.link.request(method, body, this.options.requestTimeoutMs);
  }

  private setState(change: Omit<StateChange, 'restarts'>): void {
    this.current = change.state;
    this.emit('state', { ...change, restarts: this.restartCount });
  }

  // Spawns a process, asks it to start, and watches it; resolves when it listens.
  private async launch(): Promise<ServerAddresses> {
    this.lastFatal = null;
    const link = new ChildLink(this.options.spawnChild(), {
      onEvent: (event) => this.onEvent(event),
      onInvalid: (reason) => this.log.warn('host.invalid-message', { reason }),
    });
    this.link = link;
    void link.exited.then((exit) => this.onExit(link, exit));
    const options = this.startOptions;
    const addresses = await link.request('start', { options }, this.options.startTimeoutMs);
    if (this.link !== link) throw new HostError('HOST_NOT_RUNNING', 'stopped while starting');
    await this.catchUp(link, options);
    if (this.current === 'restarting') this.restartCount++;
    this.addressInfo = addresses;
    this.setState({ state: 'running' });
    this.emit('ready', addresses);
    this.healthyTimer = setTimeout(() => (this.attempt = 0), this.options.healthyAfterMs);
    return addresses;
  }

  // Updates that arrived while the process was starting reach it before anyone is told it runs.
  private async catchUp(link: ChildLink, sent: HostedServerOptions): Promise<void> {
    const timeoutMs = this.options.requestTimeoutMs;
    while (this.startOptions !== sent) {
      const wanted = this.startOptions;
      if (wanted.security !== undefined && wanted.security !== sent.security) await link.request('security', { document: wanted.security }, timeoutMs);
      if (wanted.certificate !== undefined && wanted.certificate !== sent.certificate) await link.request('certificate', { certificate: wanted.certificate }, timeoutMs);
      if (this.link !== link) throw new HostError('HOST_NOT_RUNNING', 'stopped while starting');
      sent = wanted;
    }
  }

  private onEvent(event: HostEvent): void {
    if (event.event === 'log') this.emit('log', event.line);
    else if (event.event === 'fatal') this.lastFatal = `${event.error.code}: ${event.error.message}`;
  }

  // Only a process that was running crashes here; one that dies while starting fails its launch instead.
  private onExit(link: ChildLink, exit: ChildExit): void {
    if (this.link !== link || this.current !== 'running') return;
    this.link = null;
    this.addressInfo = null;
    clearTimeout(this.healthyTimer);
    this.crash(this.lastFatal ?? describeExit(exit));
  }

  private crash(reason: string): void {
    this.log.warn('host.crashed', { reason, attempt: this.attempt });
    this.setState({ state: 'crashed', reason });
    if (this.attempt >= this.options.maxAttempts) {
      this.setState({ state: 'stopped', reason: `gave up after ${this.attempt} restart attempts` });
      return;
    }
    const attempt = ++this.attempt;
    const delayMs = backoffDelay(attempt, this.options.initialDelayMs, this.options.maxDelayMs);
    this.setState({ state: 'restarting', attempt, delayMs });
    this.retryTimer = setTimeout(() => this.launch().catch((error: unknown) => this.current === 'restarting' && this.retryFailed(error)), delayMs);
  }

  // A relaunch that did not come up (port taken, process died, timeout) is one more failed attempt.
  private retryFailed(error: unknown): void {
    this.link?.kill();
    this.link = null;
    this.crash(error instanceof Error ? error.message : String(error));
  }

  // The first start failed: nothing to restart, the caller hears why.
  private abandon(error: unknown): void {
    if (this.current !== 'starting') return;
    this.link?.kill();
    this.link = null;
    this.setState({ state: 'stopped', reason: error instanceof Error ? error.message : String(error) });
  }
}
