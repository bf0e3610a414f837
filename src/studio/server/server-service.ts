// The Server screen's services: the media server in its own process, its status, certificate, live stats, access log and kicks.
import type { SecurityDocument } from '../../server/auth/security-document';
import type { SpawnChild } from '../../server/host/channel';
import type { HostedServerOptions } from '../../server/host/protocol';
import { ServerHost, type ServerHostOptions, type StateChange } from '../../server/host/server-host';
import type { HandlerInput } from '../../shared/ipc/contract';
import { StudioError } from '../../shared/ipc/errors';
import type { AccessEntry, CertificateInfo, ServerEndpoints, ServerStatus, StatsHistory, StatsSample } from '../../shared/ipc/server';
import type { Settings } from '../../shared/settings';
import type { Emit } from '../ports';
import { SerialQueue } from '../serial-queue';
import { AccessLog } from './access-log';
import type { CertificateStore } from './certificate-store';
import { explainFailure, notRunning, reasonText, studioError, type ListenerPorts } from './failure-words';
import { lanAddresses, type NetworkInterfaces } from './lan';
import { SAMPLE_INTERVAL_MS, StatsRecorder, statsSample } from './stats-history';

export interface ServerServiceDeps {
  /** Makes a server process: a utility process in the app, forkServerChild in plain Node. */
  spawnChild: SpawnChild;
  settings: () => Settings;
  /** The document the server decides every connect, publish and play by (KeysService.securityDocument in the app). */
  security: () => SecurityDocument;
  certificates: CertificateStore;
  emit: Emit;
  /** Ports to listen on instead of the settings' (tests: 0 picks free ones). */
  portsOverride?: { rtmpPort?: number; httpPort?: number; rtmpsPort?: number };
  /** ServerHost tuning: restart delays, deadlines. */
  host?: Omit<ServerHostOptions, 'spawnChild'>;
  /** Every line the server process logs (JSON, already redacted), for a log file. */
  serverLog?: (line: string) => void;
  networkInterfaces?: NetworkInterfaces;
}

const LOOPBACK = '127.0.0.1';
const EVERY_INTERFACE = '0.0.0.0';

/** What a start asked for: the settings it was made from, for status and for words about its ports. */
interface Applied {
  lanExposed: boolean;
  ports: ListenerPorts;
}

// Two listeners on one port would fail with "another program uses it": say what is really wrong first.
function checkDistinct(ports: ListenerPorts): void {
  const names: Record<keyof ListenerPorts, string> = { rtmp: 'RTMP', http: 'HTTP', rtmps: 'RTMPS' };
  const used = (Object.keys(names) as (keyof ListenerPorts)[]).filter((key) => ports[key] !== null && ports[key] !== 0);
  for (const [i, a] of used.entries()) {
    const b = used.slice(i + 1).find((other) => ports[other] === ports[a]);
    if (b) throw new StudioError('SETTINGS_INVALID', `The ${names[a]} and ${names[b]} ports are both ${ports[a]}`, 'Give each a port of its own in Server settings.');
  }
}

/**
 * Runs the media server through a ServerHost and tells the renderer about it: 'server.status' on every change,
 * 'server.stats' every second while it runs, 'server.access' for each access log entry.
 */
export class ServerService {
  private readonly host: ServerHost;
  private readonly access = new AccessLog();
  private readonly recorder = new StatsRecorder();
  private change: StateChange = { state: 'stopped', restarts: 0 };
  private changedAt = 0;
  private applied: Applied | null = null;
  private sampler: NodeJS.Timeout | undefined;
  private sampling = false;
  // start, stop and certificate changes run one at a time, in the order asked.
  private readonly queue = new SerialQueue();

  constructor(private readonly deps: ServerServiceDeps) {
    this.host = new ServerHost({ ...deps.host, spawnChild: deps.spawnChild });
    this.host.on('state', (change) => this.onState(change));
    this.host.on('log', (line) => this.onLog(line));
  }

  /** The server as the Server screen shows it. */
  async status(): Promise<ServerStatus> {
    await this.deps.certificates.current().catch(() => null);
    return this.snapshot();
  }

  /** Starts the server with the current settings, security document and (RTMPS on) certificate; a server already up is left as it is. */
  start(): Promise<ServerStatus> {
    return this.queue.run(async () => {
      if (this.host.state !== 'stopped') return this.snapshot();
      const { options, applied } = await this.startOptions();
      this.applied = applied;
      try {
        await this.host.start(options);
      } catch (error) {
        throw studioError(error, applied.ports);
      }
      return this.snapshot();
    });
  }

  /** Stops the server; no restart follows. */
  stop(): Promise<ServerStatus> {
    return this.queue.run(async () => {
      await this.host.stop();
      return this.snapshot();
    });
  }

  /** A fresh self-signed certificate, served at once to new RTMPS connections when the server runs with RTMPS. */
  generateCertificate(): Promise<CertificateInfo> {
    return this.queue.run(async () => {
      const stored = await this.deps.certificates.generate(this.hostnames(this.deps.settings().server.lanExposed));
      return this.serve(stored.pem, stored.info);
    });
  }

  /** Imports a PEM chain and key (CERTIFICATE_INVALID when they do not parse, match or serve), served at once as above. */
  importCertificate({ certificatePem, keyPem }: HandlerInput<'server.importCertificate'>): Promise<CertificateInfo> {
    return this.queue.run(async () => {
      const stored = await this.deps.certificates.import(certificatePem, keyPem);
      return this.serve(stored.pem, stored.info);
    });
  }

  /** Every live stream now; no streams while the server is down. */
  async stats(): Promise<StatsSample> {
    if (this.host.state !== 'running') return { at: Date.now(), streams: [] };
    try {
      return statsSample(await this.host.stats(), Date.now());
    } catch (error) {
      throw studioError(error, this.ports());
    }
  }

  /** The last five minutes of bitrate and viewers per stream, one sample a second. */
  history(): StatsHistory {
    return this.recorder.history();
  }

  accessLog(query: HandlerInput<'server.accessLog'>): AccessEntry[] {
    return this.access.search(query);
  }

  /** Disconnects one RTMP session or HTTP-FLV/WS-FLV player; false when there is none by that id. */
  async kick(sessionId: number): Promise<boolean> {
    if (this.host.state !== 'running') throw notRunning();
    try {
      return await this.host.kick(sessionId);
    } catch (error) {
      throw studioError(error, this.ports());
    }
  }

  /**
   * Hands the current security document to the running server: the next connect, publish and play are decided by it,
   * a revoked token is refused from then on. A stopped server reads it when it starts.
   */
  async updateSecurity(): Promise<void> {
    if (this.host.state === 'stopped') return;
    try {
      await this.host.updateSecurity(this.deps.security());
    } catch (error) {
      throw studioError(error, this.ports());
    }
  }

  private async startOptions(): Promise<{ options: HostedServerOptions; applied: Applied }> {
    const settings = this.deps.settings();
    const server = { ...settings.server, ...this.deps.portsOverride };
    const ports: ListenerPorts = { rtmp: server.rtmpPort, http: server.httpPort, rtmps: server.rtmpsEnabled ? server.rtmpsPort : null };
    checkDistinct(ports);
    const certificate = server.rtmpsEnabled ? (await this.deps.certificates.ensure(this.hostnames(server.lanExposed))).pem : undefined;
    const options: HostedServerOptions = {
      host: server.lanExposed ? EVERY_INTERFACE : LOOPBACK,
      rtmpPort: ports.rtmp,
      httpPort: ports.http,
      rtmpsPort: ports.rtmps,
      certificate,
      security: this.deps.security(),
    };
    return { options, applied: { lanExposed: server.lanExposed, ports } };
  }

  // Besides the loopback names (always there): the LAN addresses when other machines may connect.
  private hostnames(lanExposed: boolean): string[] {
    return lanExposed ? lanAddresses(this.deps.networkInterfaces) : [];
  }

  // A running server with RTMPS switches to the new certificate; otherwise the next start picks it up.
  private async serve(pem: { certPem: string; keyPem: string }, info: CertificateInfo): Promise<CertificateInfo> {
    if (this.host.state !== 'stopped' && this.applied?.ports.rtmps != null) {
      try {
        await this.host.updateCertificate(pem);
      } catch (error) {
        throw studioError(error, this.ports());
      }
    }
    this.deps.emit('server.status', this.snapshot());
    return info;
  }

  private ports(): ListenerPorts {
    return this.applied?.ports ?? { rtmp: null, http: null, rtmps: null };
  }

  private onState(change: StateChange): void {
    // A restart keeps the reason of the crash that caused it; running clears it.
    const reason = change.state === 'restarting' ? this.change.reason : change.reason;
    this.change = { ...change, reason };
    this.changedAt = Date.now();
    if (change.state === 'running') this.startSampling();
    if (change.state === 'stopped') this.stopSampling();
    this.deps.emit('server.status', this.snapshot());
  }

  private onLog(line: string): void {
    this.deps.serverLog?.(line);
    const entry = this.access.add(line);
    if (entry) this.deps.emit('server.access', entry);
  }

  private startSampling(): void {
    this.sampler ??= setInterval(() => void this.sample(), SAMPLE_INTERVAL_MS);
  }

  private stopSampling(): void {
    clearInterval(this.sampler);
    this.sampler = undefined;
  }

  // One sample at a time; a sample the server cannot give (it is restarting) is simply missing from the graphs.
  private async sample(): Promise<void> {
    if (this.sampling || this.host.state !== 'running') return;
    this.sampling = true;
    try {
      const sample = statsSample(await this.host.stats(), Date.now());
      this.recorder.record(sample);
      this.deps.emit('server.stats', sample);
    } catch {
      // The process went away mid-request: the state event tells the user.
    } finally {
      this.sampling = false;
    }
  }

  private snapshot(): ServerStatus {
    const { state, restarts, attempt, delayMs, reason } = this.change;
    const lanExposed = state === 'stopped' || this.applied === null ? this.deps.settings().server.lanExposed : this.applied.lanExposed;
    return {
      state,
      restarts,
      ...(attempt !== undefined && { attempt }),
      ...(delayMs !== undefined && { retryInMs: Math.max(0, delayMs - (Date.now() - this.changedAt)) }),
      ...(reason !== undefined && { reason: reasonText(explainFailure(reason, this.ports())) }),
      endpoints: this.endpoints(),
      lanExposed,
      lanAddresses: lanExposed ? lanAddresses(this.deps.networkInterfaces) : [],
      certificate: this.deps.certificates.info ?? null,
    };
  }

  /** Where the server listens now, as loopback URLs (what this machine's encoder, preview and OBS use); null for a listener that is off or down. */
  endpoints(): ServerEndpoints {
    const addresses = this.host.addresses;
    const url = (scheme: string, port: number | undefined) => (port === undefined ? null : `${scheme}://${LOOPBACK}:${port}`);
    return { rtmp: url('rtmp', addresses?.rtmp?.port), rtmps: url('rtmps', addresses?.rtmps?.port), http: url('http', addresses?.http?.port) };
  }
}
