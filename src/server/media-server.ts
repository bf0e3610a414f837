import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { ProtocolError } from './errors';
import { HttpFlvService } from './http/http-flv-service';
import { streamStats } from './http/stats';
import { DEFAULT_MAX_GOP_BYTES } from './hub/live-stream';
import { DEFAULT_MAX_QUEUE_BYTES } from './hub/output-queue';
import { StreamRegistry } from './hub/stream-registry';
import { silentLogger, type Logger } from './log';
import { allowAll, decide, type Authorizer } from './session/authorization';
import { RtmpConnection, type ConnectionLimits } from './session/rtmp-connection';
import { RtmpFormats } from './session/rtmp-format';
import { ServerSession, type PeerAddress, type SessionContext } from './session/server-session';

export interface MediaServerOptions {
  /** Address to listen on; 127.0.0.1 keeps the server off the network. */
  host?: string;
  /** RTMP port (0 picks a free one); null turns plain RTMP off. */
  rtmpPort?: number | null;
  /** HTTP-FLV / WS-FLV / stats port (0 picks a free one); null turns HTTP off. */
  httpPort?: number | null;
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
}

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
  private readonly httpService: HttpFlvService;
  private nextId = 1;
  private connections = 0;
  private startedAt = 0;
  private addressInfo: ServerAddresses = { rtmp: null, http: null };

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
        return (await decide(this.context.authorize, request, this.options.authorizationTimeoutMs)).allow;
      },
    });
    this.httpServer = http.createServer((req, res) => this.httpService.handleRequest(req, res));
    this.httpServer.on('upgrade', (req, socket, head) => this.httpService.handleUpgrade(req, socket, head));
    this.httpServer.on('clientError', (_error, socket) => socket.destroy());
    this.httpServer.on('connection', (socket: net.Socket) => this.admit(socket, 'http', { address: socket.remoteAddress ?? '?', port: socket.remotePort ?? 0 }));
  }

  async start(): Promise<ServerAddresses> {
    const { host, rtmpPort, httpPort } = this.options;
    this.startedAt = Date.now();
    this.addressInfo = {
      rtmp: rtmpPort === null ? null : await listen(this.rtmpServer, host, rtmpPort),
      http: httpPort === null ? null : await listen(this.httpServer, host, httpPort),
    };
    this.log.info('server.start', { rtmp: this.addressInfo.rtmp?.port, http: this.addressInfo.http?.port, host });
    return this.addressInfo;
  }

  get addresses(): ServerAddresses {
    return this.addressInfo;
  }

  /** Runs an RTMP session over any transport: a TCP socket, a TLS socket, a PROXY-protocol stream. */
  acceptRtmp(socket: Duplex, protocol: 'rtmp' | 'rtmps', remote: PeerAddress): void {
    if (!this.admit(socket, protocol, remote)) return;
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

  /** Disconnects one RTMP session (the UI's "kick"); false if there is no such session. */
  kick(sessionId: number): boolean {
    const session = this.sessions.get(sessionId);
    session?.close();
    return session !== undefined;
  }

  stats() {
    const { rss, heapUsed, external } = process.memoryUsage();
    return {
      uptimeMs: this.startedAt ? Date.now() - this.startedAt : 0,
      memory: { rssBytes: rss, heapUsedBytes: heapUsed, externalBytes: external },
      connections: { total: this.connections, rtmp: this.sessions.size },
      streams: streamStats(this.registry),
    };
  }

  /** Stops listening, ends every session and reader, resolves when the listeners are closed. */
  async stop(): Promise<void> {
    const closing = [this.rtmpServer, this.httpServer].filter((server) => server.listening).map((server) => new Promise((resolve) => server.close(resolve)));
    for (const session of this.sessions.values()) session.connection.destroy(new ProtocolError('SOCKET_ERROR', 'server stopping'));
    this.httpService.closeAll();
    this.httpServer.closeAllConnections();
    await Promise.all(closing);
    this.log.info('server.stop', {});
  }
}

async function listen(server: net.Server, host: string, port: number): Promise<AddressInfo> {
  server.listen(port, host);
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  return server.address() as AddressInfo;
}
