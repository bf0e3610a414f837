import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { ProtocolError } from './errors';
import { HttpFlvService } from './http/http-flv-service';
import { streamStats } from './http/stats';
import { DEFAULT_MAX_GOP_BYTES } from './hub/live-stream';
import { DEFAULT_MAX_QUEUE_BYTES } from './hub/output-queue';
import { StreamRegistry } from './hub/stream-registry';
import { silentLogger, type Logger } from './log';
import { acceptProxied, type TrustedProxies } from './proxy';
import { allowAll, decide, type Authorizer } from './session/authorization';
import { RtmpConnection, type ConnectionLimits } from './session/rtmp-connection';
import { RtmpFormats } from './session/rtmp-format';
import { ServerSession, type PeerAddress, type SessionContext } from './session/server-session';
import { createTlsOptions, type LoadedCertificate } from './tls';

/** A PROXY-protocol RTMP listener: only `trusted` peers may connect, and each says who its client is. */
export interface ProxyListenerOptions {
  port: number;
  trusted: TrustedProxies;
  /** Time a proxy has to send the whole header; see AcceptProxiedOptions. */
  headerTimeoutMs?: number;
}

export interface MediaServerOptions {
  /** Address to listen on; 127.0.0.1 keeps the server off the network. */
  host?: string;
  /** RTMP port (0 picks a free one); null turns plain RTMP off. */
  rtmpPort?: number | null;
  /** HTTP-FLV / WS-FLV / stats port (0 picks a free one); null turns HTTP off. */
  httpPort?: number | null;
  /** The certificate for RTMPS and HTTPS/WSS; without it neither listens. */
  certificate?: LoadedCertificate;
  /** RTMPS port (default 1936 when a certificate is given); null turns RTMPS off. */
  rtmpsPort?: number | null;
  /** HTTPS-FLV / WSS-FLV / stats port with the same certificate; null (default) turns it off. */
  httpsPort?: number | null;
  /** A PROXY-protocol RTMP listener (behind haproxy, stunnel, a TLS offloader); off by default. */
  proxy?: ProxyListenerOptions;
  /** Per-connection protocol limits and timeouts. */
  limits?: ConnectionLimits;
  /** Connections (RTMP and HTTP readers together) the server accepts at once. */
  maxConnections?: number;
  /** Message streams one RTMP connection may create. */
  maxStreamsPerConnection?: number;
  /** A GOP larger than this is not cached for late joiners. */
  maxGopBytes?: number;
  /** How long audio may wait to share a write with the next video frame (see LiveStreamOptions); 20 ms by default. */
  writeCoalesceMs?: number;
  /** Decides every connect, publish and play before it is acknowledged. */
  authorize?: Authorizer;
  /** A decision that takes longer denies. */
  authorizationTimeoutMs?: number;
  /** Origins allowed to read HTTP-FLV/WS-FLV and stats from a page; '*' by default. */
  corsOrigins?: readonly string[];
  log?: Logger;
}

export interface ServerAddresses {
  rtmp: AddressInfo | null;
  http: AddressInfo | null;
  rtmps: AddressInfo | null;
  https: AddressInfo | null;
  proxy: AddressInfo | null;
}

const NO_ADDRESSES: ServerAddresses = { rtmp: null, http: null, rtmps: null, https: null, proxy: null };
const DEFAULT_RTMPS_PORT = 1936;
const DEFAULT_TLS_HANDSHAKE_MS = 10_000;

type Defaulted = 'host' | 'rtmpPort' | 'httpPort' | 'maxConnections' | 'maxStreamsPerConnection' | 'authorizationTimeoutMs';
type ResolvedOptions = MediaServerOptions & Required<Pick<MediaServerOptions, Defaulted>>;

// Measured at 1000 players (README, Benchmark): halves the writes per player for at most 20 ms on audio.
const DEFAULT_WRITE_COALESCE_MS = 20;

const DEFAULTS: Required<Pick<MediaServerOptions, Defaulted>> = {
  host: '127.0.0.1',
  rtmpPort: 1935,
  httpPort: 8000,
  maxConnections: 5000,
  maxStreamsPerConnection: 8,
  authorizationTimeoutMs: 5000,
};

/**
 * The embedded media server: RTMP in and out, HTTP-FLV and WS-FLV out, one stream hub.
 * No global state: several can run in one process.
 */
export class MediaServer {
  readonly registry: StreamRegistry;
  readonly log: Logger;
  private readonly options: ResolvedOptions;
  private readonly context: SessionContext;
  private readonly sessions = new Map<number, ServerSession>();
  private readonly rtmpServer: net.Server;
  private readonly httpServer: http.Server;
  private readonly rtmpsServer: tls.Server | null = null;
  private readonly httpsServer: https.Server | null = null;
  private readonly proxyServer: net.Server | null = null;
  private readonly httpService: HttpFlvService;
  private certificate: LoadedCertificate | undefined;
  private nextId = 1;
  private connections = 0;
  private startedAt = 0;
  private addressInfo: ServerAddresses = NO_ADDRESSES;

  constructor(options: MediaServerOptions = {}) {
    const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.options = { ...DEFAULTS, ...defined };
    this.log = options.log ?? silentLogger;
    // A cached GOP must fit a reader's queue with room to spare, or every joiner would start by skipping.
    const maxQueueBytes = options.limits?.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES;
    this.registry = new StreamRegistry({
      maxGopBytes: options.maxGopBytes ?? Math.min(DEFAULT_MAX_GOP_BYTES, Math.floor(maxQueueBytes / 2)),
      writeCoalesceMs: options.writeCoalesceMs ?? DEFAULT_WRITE_COALESCE_MS,
    });
    this.context = {
      registry: this.registry,
      formats: new RtmpFormats(),
      authorize: options.authorize ?? allowAll,
      authorizationTimeoutMs: this.options.authorizationTimeoutMs,
      log: this.log,
      maxStreamsPerConnection: this.options.maxStreamsPerConnection,
    };
    // Big socket buffers let one writev carry a whole batch; noDelay because we batch ourselves.
    this.rtmpServer = net.createServer({ noDelay: true, highWaterMark: 1024 * 1024 }, (socket) =>
      this.acceptRtmp(socket, 'rtmp', { address: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 }),
    );
    this.httpService = new HttpFlvService({
      registry: this.registry,
      allocateId: () => this.nextId++,
      log: this.log,
      stats: () => this.stats(),
      maxQueueBytes: options.limits?.maxQueueBytes,
      allowedOrigins: options.corsOrigins ? [...options.corsOrigins] : undefined,
      // HTTP-FLV and WS-FLV plays pass the same gate as RTMP plays.
      authorizePlay: async ({ app, name, query, protocol, remoteAddress }) => {
        const request = { action: 'play' as const, app, stream: name, query, commandObject: null, connectArgs: [], remoteAddress, protocol };
        return decide(this.context.authorize, request, this.options.authorizationTimeoutMs);
      },
    });
    this.httpServer = this.serveHttp(http.createServer(), 'http');
    if (options.proxy) {
      const { trusted, headerTimeoutMs } = options.proxy;
      this.proxyServer = net.createServer({ noDelay: true, highWaterMark: 1024 * 1024 }, (socket) => this.acceptProxy(socket, trusted, headerTimeoutMs));
    }
    this.certificate = options.certificate;
    if (!this.certificate) return;
    const tlsOptions = createTlsOptions(this.certificate);
    // A client gets as long for the TLS handshake as for the RTMP one; a silent one is not kept for Node's 120 s.
    const handshakeTimeout = options.limits?.handshakeTimeoutMs ?? DEFAULT_TLS_HANDSHAKE_MS;
    this.rtmpsServer = tls.createServer({ ...tlsOptions, handshakeTimeout, noDelay: true, highWaterMark: 1024 * 1024 }, (socket) =>
      this.acceptRtmp(socket, 'rtmps', { address: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 }),
    );
    this.rtmpsServer.on('tlsClientError', (error, socket) => this.log.warn('rtmps.tls-error', { peer: `${socket.remoteAddress}:${socket.remotePort}`, reason: error.message }));
    this.httpsServer = this.serveHttp(https.createServer({ ...tlsOptions, handshakeTimeout }), 'https');
  }

  // HTTP and HTTPS serve the same routes; each connection counts against the one budget.
  private serveHttp<S extends http.Server>(server: S, protocol: string): S {
    server.on('request', (req, res) => this.httpService.handleRequest(req, res));
    server.on('upgrade', (req, socket, head) => this.httpService.handleUpgrade(req, socket, head));
    server.on('clientError', (_error, socket) => socket.destroy());
    server.on('connection', (socket: net.Socket) => this.admit(socket, protocol, { address: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 }));
    return server;
  }

  async start(): Promise<ServerAddresses> {
    const { host, rtmpPort, httpPort, rtmpsPort = DEFAULT_RTMPS_PORT, httpsPort = null, proxy } = this.options;
    const open = (server: net.Server | null, port: number | null | undefined) => (server === null || port === null || port === undefined ? null : listen(server, host, port));
    this.startedAt = Date.now();
    this.addressInfo = {
      rtmp: await open(this.rtmpServer, rtmpPort),
      http: await open(this.httpServer, httpPort),
      rtmps: await open(this.rtmpsServer, rtmpsPort),
      https: await open(this.httpsServer, httpsPort),
      proxy: await open(this.proxyServer, proxy?.port),
    };
    const ports = Object.fromEntries(Object.entries(this.addressInfo).map(([name, address]) => [name, (address as AddressInfo | null)?.port]));
    this.log.info('server.start', { ...ports, host, fingerprint256: this.certificate?.fingerprint256 });
    return this.addressInfo;
  }

  /** Serves a renewed certificate to new RTMPS and HTTPS connections; sessions already open keep theirs. */
  setCertificate(certificate: LoadedCertificate): void {
    if (!this.rtmpsServer || !this.httpsServer) throw new RangeError('the server was started without TLS');
    const tlsOptions = createTlsOptions(certificate);
    this.rtmpsServer.setSecureContext(tlsOptions);
    this.httpsServer.setSecureContext(tlsOptions);
    this.certificate = certificate;
    this.log.info('tls.reload', { fingerprint256: certificate.fingerprint256, notAfter: certificate.notAfter.toISOString() });
  }

  get addresses(): ServerAddresses {
    return this.addressInfo;
  }

  /** Runs an RTMP session over any transport: a TCP socket, a TLS socket, a PROXY-protocol stream. */
  acceptRtmp(socket: Duplex, protocol: 'rtmp' | 'rtmps', remote: PeerAddress): void {
    if (this.admit(socket, protocol, remote)) this.startSession(socket, protocol, remote);
  }

  // The wait for the PROXY header counts against the connection budget: a flood of silent proxies cannot exceed it.
  private acceptProxy(socket: net.Socket, trusted: TrustedProxies, timeoutMs: number | undefined): void {
    const peer = { address: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 };
    if (!this.admit(socket, 'proxy', peer)) return;
    acceptProxied(socket, { trusted, timeoutMs }).then(
      ({ remote }) => this.startSession(socket, 'rtmp', remote),
      (error: ProtocolError) => {
        this.log.warn('proxy.refuse', { peer: `${peer.address}:${peer.port}`, code: error.code, reason: error.message });
        socket.destroy();
      },
    );
  }

  private startSession(socket: Duplex, protocol: 'rtmp' | 'rtmps', remote: PeerAddress): void {
    const id = this.nextId++;
    const connection = new RtmpConnection(socket, this.options.limits);
    const session = new ServerSession(id, connection, protocol, remote, this.context);
    this.sessions.set(id, session);
    socket.once('close', () => this.sessions.delete(id));
  }

  // One budget for every connection, RTMP and HTTP alike; false (and the socket closed) when it is spent.
  private admit(socket: Duplex, protocol: string, remote: PeerAddress): boolean {
    if (this.connections >= this.options.maxConnections) {
      this.log.warn(`${protocol}.refuse`, { peer: `${remote.address}:${remote.port}`, code: 'TOO_MANY_CONNECTIONS' });
      socket.destroy();
      return false;
    }
    this.connections++;
    socket.once('close', () => this.connections--);
    return true;
  }

  /** Disconnects one RTMP session or HTTP-FLV/WS-FLV player (the UI's "kick"; they share one id space); false if there is none. */
  kick(sessionId: number): boolean {
    const session = this.sessions.get(sessionId);
    session?.close();
    return session !== undefined || this.httpService.disconnect(sessionId);
  }

  stats() {
    const { rss, heapUsed, external } = process.memoryUsage();
    return {
      uptimeMs: this.startedAt ? Date.now() - this.startedAt : 0,
      memory: { rssBytes: rss, heapUsedBytes: heapUsed, externalBytes: external },
      connections: { total: this.connections, rtmp: this.sessions.size },
      tls: this.certificate ? { fingerprint256: this.certificate.fingerprint256, notAfter: this.certificate.notAfter.toISOString() } : null,
      streams: streamStats(this.registry),
    };
  }

  /** Stops listening, ends every session and reader, resolves when the listeners are closed. */
  async stop(): Promise<void> {
    const servers = [this.rtmpServer, this.httpServer, this.rtmpsServer, this.httpsServer, this.proxyServer];
    const closing = servers.filter((server) => server?.listening === true).map((server) => new Promise((resolve) => server!.close(resolve)));
    for (const session of this.sessions.values()) session.connection.destroy(new ProtocolError('SOCKET_ERROR', 'server stopping'));
    this.httpService.closeAll();
    this.httpServer.closeAllConnections();
    this.httpsServer?.closeAllConnections();
    await Promise.all(closing);
    this.log.info('server.stop', {});
  }
}

async function listen(server: net.Server, host: string, port: number): Promise<AddressInfo> {
  server.listen(port, host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  return server.address() as AddressInfo;
}
