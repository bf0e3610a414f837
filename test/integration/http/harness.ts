// A real node:http server around an HttpFlvService on 127.0.0.1, and clients that demux what they receive.
import { createServer, get, request, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket } from 'ws';
import { FlvDemuxer } from '../../../src/server/flv/demuxer';
import type { FlvTag } from '../../../src/server/flv/tag';
import type { LiveStream, LiveStreamOptions } from '../../../src/server/hub/live-stream';
import { StreamRegistry } from '../../../src/server/hub/stream-registry';
import { HttpFlvService, type HttpFlvServiceOptions } from '../../../src/server/http/http-flv-service';
import { streamStats } from '../../../src/server/http/stats';
import { silentLogger } from '../../../src/server/log';

export interface Harness {
  registry: StreamRegistry;
  service: HttpFlvService;
  /** http://127.0.0.1:PORT */
  origin: string;
  publish(app?: string, name?: string): LiveStream;
  close(): Promise<void>;
}

export async function startHarness(
  options: Partial<HttpFlvServiceOptions> = {},
  registryOptions: LiveStreamOptions = {},
): Promise<Harness> {
  const registry = new StreamRegistry(registryOptions);
  let nextId = 1;
  const service = new HttpFlvService({
    registry,
    allocateId: () => nextId++,
    log: silentLogger,
    stats: () => ({ server: 'test', streams: streamStats(registry).length }),
    ...options,
  });
  const server = createServer((req, res) => service.handleRequest(req, res));
  server.on('upgrade', (req, socket, head) => service.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    registry,
    service,
    origin: `http://127.0.0.1:${port}`,
    publish: (app = 'live', name = 'x') => registry.claim(app, name, { id: 1000, protocol: 'rtmp', remoteAddress: '127.0.0.1' })!,
    async close() {
      service.closeAll();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A player's view: the raw bytes, the demuxed tags, and when its stream ended. */
export interface Received {
  chunks: Buffer[];
  tags: FlvTag[];
  readonly bytes: Buffer;
  ended: Promise<void>;
}

function receiver(): Received & { push(chunk: Buffer): void; end(): void } {
  const chunks: Buffer[] = [];
  const tags: FlvTag[] = [];
  const demuxer = new FlvDemuxer((tag) => tags.push(tag));
  let end = () => {};
  const ended = new Promise<void>((resolve) => (end = resolve));
  return {
    chunks,
    tags,
    get bytes() {
      return Buffer.concat(chunks);
    },
    ended,
    push(chunk) {
      chunks.push(chunk);
      demuxer.push(chunk);
    },
    end: () => end(),
  };
}

export interface HttpPlayer extends Received {
  response: IncomingMessage;
}

/** GETs a URL and resolves once the response headers arrive; the body feeds the demuxer. */
export function playHttp(url: string, headers: Record<string, string> = {}): Promise<HttpPlayer> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers }, (response) => {
      const received = receiver();
      response.on('data', (chunk: Buffer) => received.push(chunk));
      response.on('end', received.end);
      response.on('close', received.end);
      resolve(Object.assign(received, { response }));
    });
    request.on('error', reject);
  });
}

export interface WsPlayer extends Received {
  ws: WebSocket;
  messages: number;
  closeCode: Promise<number>;
}

/** Opens a WebSocket and resolves once it is open; every binary message feeds the demuxer. */
export function playWs(url: string, headers: Record<string, string> = {}): Promise<WsPlayer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const received = receiver();
    let closed: (code: number) => void = () => {};
    const player: WsPlayer = Object.assign(received, { ws, messages: 0, closeCode: new Promise<number>((r) => (closed = r)) });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) return reject(new Error('text message'));
      player.messages++;
      received.push(data);
    });
    ws.on('close', (code) => {
      received.end();
      closed(code);
    });
    ws.on('open', () => resolve(player));
    ws.on('unexpected-response', (_, response) => reject(Object.assign(new Error(`HTTP ${response.statusCode}`), { status: response.statusCode })));
    ws.on('error', reject);
  });
}

/** Polls `condition` until it holds, failing after `timeoutMs`. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One complete HTTP exchange with node:http: unlike fetch, it sends any Origin, and with a
 * path given apart it sends the target as written (a URL would resolve its dot segments).
 */
export function exchange(origin: string, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ host: hostname, port, path, ...options }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}
