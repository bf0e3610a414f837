import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { LiveStream } from '../hub/live-stream';
import { writableSink } from '../hub/socket-sink';
import type { StreamRegistry } from '../hub/stream-registry';
import type { Logger } from '../log';
import { CorsPolicy, type AllowedOrigins } from './cors';
import { FlvPlayer, type FlvTransport } from './flv-player';
import { refuseUpgrade, sendError, sendJson } from './respond';
import { DEFAULT_MAX_URL_LENGTH, parseRequestTarget, type PlayTarget } from './routes';
import { streamStats } from './stats';
import { webSocketSink } from './websocket-sink';

/** What an authorization hook sees of a play request. */
export interface PlayRequest {
  app: string;
  name: string;
  /** Carries tokens: never log it. */
  query: URLSearchParams;
  protocol: 'http-flv' | 'ws-flv';
  remoteAddress: string;
}

/** An authorization answer: `code` (a reason code, never a secret) goes to the access log. */
export interface PlayDecision {
  allow: boolean;
  code?: string;
}

export interface HttpFlvServiceOptions {
  registry: StreamRegistry;
  allocateId(): number;
  log: Logger;
  /** The server's JSON snapshot for GET /api/stats. */
  stats(): unknown;
  /** Per-player queue bound, see OutputQueue. */
  maxQueueBytes?: number;
  /** Origins whose pages may play and read the API; '*' (default) allows every origin. */
  allowedOrigins?: AllowedOrigins;
  /** Longer request targets get 414. */
  maxUrlLength?: number;
  /** Decides every play before a byte of media is sent; allows all when absent. */
  authorizePlay?(request: PlayRequest): PlayDecision | Promise<PlayDecision>;
}

// WS-FLV clients only listen: anything they send beyond a few bytes is abuse.
const MAX_CLIENT_MESSAGE_BYTES = 1024;
const WS_CLOSE_NORMAL = 1000;
const WS_CLOSE_GOING_AWAY = 1001;

/**
 * HTTP-FLV (`GET /APP/STREAM.flv`) and WS-FLV (the same path upgraded to a WebSocket)
 * players of the stream hub, and the JSON API (`/api/stats`, `/api/streams`), with CORS.
 * Plug `handleRequest` and `handleUpgrade` into a node:http or node:https server.
 */
export class HttpFlvService {
  private readonly players = new Set<FlvPlayer>();
  private readonly cors: CorsPolicy;
  private readonly maxUrlLength: number;
  private readonly webSockets = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    clientTracking: false,
    maxPayload: MAX_CLIENT_MESSAGE_BYTES,
  });

  constructor(private readonly options: HttpFlvServiceOptions) {
    this.cors = new CorsPolicy(options.allowedOrigins);
    this.maxUrlLength = options.maxUrlLength ?? DEFAULT_MAX_URL_LENGTH;
  }

  /** Players currently attached, HTTP-FLV and WS-FLV. */
  get playerCount(): number {
    return this.players.size;
  }

  handleRequest(req: IncomingMessage, res: ServerResponse): void {
    this.route(req, res).catch((error: unknown) => {
      this.options.log.error('http.request-failed', { error: String(error) });
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_ERROR', 'internal error', this.cors.responseHeaders(req.headers));
      else res.destroy();
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (error) => this.options.log.warn('ws-flv.socket-error', { error: error.message }));
    this.upgrade(req, socket, head).catch((error: unknown) => {
      this.options.log.error('ws-flv.upgrade-failed', { error: String(error) });
      socket.destroy();
    });
  }

  /** Ends one HTTP-FLV or WS-FLV player (the UI's "kick"); false if there is no such player. */
  disconnect(id: number): boolean {
    const player = [...this.players].find((each) => each.id === id);
    player?.close();
    return player !== undefined;
  }

  /** Ends every HTTP-FLV and WS-FLV player: for server shutdown. */
  closeAll(): void {
    for (const player of this.players) player.close();
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const cors = this.cors.responseHeaders(req.headers);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, this.cors.preflightHeaders(req.headers));
      return void res.end();
    }
    if (req.method !== 'GET') return sendError(res, 405, 'METHOD_NOT_ALLOWED', 'only GET and OPTIONS', { ...cors, Allow: 'GET, OPTIONS' });
    if (!this.cors.allows(req.headers.origin)) return sendError(res, 403, 'FORBIDDEN', 'origin not allowed', cors);
    const target = parseRequestTarget(req.url ?? '', this.maxUrlLength);
    switch (target.route) {
      case 'stats':
        return sendJson(res, 200, JSON.stringify(this.options.stats()), cors);
      case 'streams':
        return sendJson(res, 200, JSON.stringify({ streams: streamStats(this.options.registry) }), cors);
      case 'bad':
        return sendError(res, target.status, target.code, target.message, cors);
      case 'play': {
        const remoteAddress = req.socket.remoteAddress ?? '';
        const peer = `${remoteAddress}:${req.socket.remotePort ?? 0}`;
        const admitted = await this.admit(target, 'http-flv', remoteAddress, peer);
        if (res.destroyed || req.socket.destroyed) return; // the client left while we decided
        if (!isStream(admitted)) return sendError(res, admitted.status, admitted.code, admitted.message, cors);
        // No Content-Length: chunked for HTTP/1.1, until the connection closes for HTTP/1.0.
        res.writeHead(200, { ...cors, 'Content-Type': 'video/x-flv', 'Cache-Control': 'no-cache' });
        const transport: FlvTransport = { sink: writableSink(res), end: () => res.end() };
        return this.attach(admitted, 'http-flv', remoteAddress, peer, transport, (gone) => res.once('close', gone));
      }
    }
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    if (req.headers.upgrade?.toLowerCase() !== 'websocket') return refuseUpgrade(socket, 400, 'BAD_REQUEST', 'only WebSocket upgrades');
    if (!this.cors.allows(req.headers.origin)) return refuseUpgrade(socket, 403, 'FORBIDDEN', 'origin not allowed');
    const target = parseRequestTarget(req.url ?? '', this.maxUrlLength);
    if (target.route === 'bad') return refuseUpgrade(socket, target.status, target.code, target.message);
    if (target.route !== 'play') return refuseUpgrade(socket, 404, 'NOT_FOUND', 'only play paths upgrade to WebSocket');
    const remoteAddress = req.socket.remoteAddress ?? '';
    const peer = `${remoteAddress}:${req.socket.remotePort ?? 0}`;
    const admitted = await this.admit(target, 'ws-flv', remoteAddress, peer);
    if (socket.destroyed) return;
    if (!isStream(admitted)) return refuseUpgrade(socket, admitted.status, admitted.code, admitted.message);
    this.webSockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      const transport: FlvTransport = {
        sink: webSocketSink(ws, socket),
        end: (reason) => ws.close(reason === 'shutdown' ? WS_CLOSE_GOING_AWAY : WS_CLOSE_NORMAL, reason),
      };
      ws.on('error', (error) => this.options.log.warn('ws-flv.error', { error: error.message }));
      if (!admitted.isLive) return transport.end('unpublished'); // the publisher left during the handshake
      this.attach(admitted, 'ws-flv', remoteAddress, peer, transport, (gone) => ws.once('close', gone));
    });
  }

  /** The live stream a play request may read, or why not; authorization first, so refused clients learn nothing of what exists. */
  private async admit(target: PlayTarget, protocol: PlayRequest['protocol'], remoteAddress: string, peer: string): Promise<LiveStream | Refusal> {
    const { app, name, query } = target;
    const { authorizePlay, registry } = this.options;
    const decision = authorizePlay ? await authorizePlay({ app, name, query, protocol, remoteAddress }) : { allow: true };
    if (!decision.allow) {
      this.options.log.warn('http-flv.reject', { peer, protocol, action: 'play', app, stream: name, code: decision.code });
      return { status: 403, code: 'FORBIDDEN', message: 'not authorized to play this stream' };
    }
    const stream = registry.get(app, name);
    if (!stream?.isLive) return { status: 404, code: 'STREAM_NOT_LIVE', message: `stream ${app}/${name} is not live` };
    return stream;
  }

  private attach(
    stream: LiveStream,
    protocol: PlayRequest['protocol'],
    remoteAddress: string,
    peer: string,
    transport: FlvTransport,
    onceGone: (gone: () => void) => void,
  ): void {
    const { registry, maxQueueBytes, log } = this.options;
    const player = new FlvPlayer({ id: this.options.allocateId(), protocol, remoteAddress, registry, stream, transport, maxQueueBytes });
    const startedAt = Date.now();
    const fields = { id: player.id, peer, protocol, app: stream.app, stream: stream.name };
    this.players.add(player);
    log.info('http-flv.play', fields);
    onceGone(() => {
      this.players.delete(player);
      player.stop();
      log.info('http-flv.stop', { ...fields, durationMs: Date.now() - startedAt, ...player.queue.stats });
    });
    player.start();
  }
}

interface Refusal {
  status: 403 | 404;
  code: 'FORBIDDEN' | 'STREAM_NOT_LIVE';
  message: string;
}

const isStream = (admitted: LiveStream | Refusal): admitted is LiveStream => !('status' in admitted);
