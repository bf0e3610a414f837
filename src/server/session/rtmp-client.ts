import net from 'node:net';
import type { Duplex } from 'node:stream';
import { ProtocolError } from '../errors';
import { ChunkDecoder, ChunkEncoder } from '../rtmp/chunk';
import { ClientHandshake } from '../rtmp/handshake';
import type { AmfObject, AmfValue } from '../rtmp/amf';
import { decodeMessage, encodeMessage, type CommandMessage, type RtmpMessage } from '../rtmp/messages';
import type { RawMessage } from '../rtmp/raw-message';

export interface RtmpClientOptions {
  /** Extra arguments appended to the connect command (tokens travel here). */
  connectArgs?: AmfValue[];
  /** Chunk size to send with. */
  chunkSize?: number;
  /** Use the Flash-style digest handshake (default) or the simple one. */
  digest?: boolean;
  /** Time allowed for each request (connect, createStream, publish, play). */
  timeoutMs?: number;
  /** Every message the server sends that is not a reply to a request: media, data, onStatus. */
  onMessage?: (message: RtmpMessage, raw: RawMessage) => void;
}

/** A status the server answered with, such as NetStream.Publish.BadName. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(
    readonly code: string,
    readonly description: string,
  ) {
    super(`${code}: ${description}`);
  }
}

const CSID_COMMAND = 3;
const CSID_MEDIA: Record<'audio' | 'video' | 'data', number> = { data: 5, audio: 6, video: 7 };

const infoOf = (value: AmfValue): AmfObject => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as AmfObject) : {});

/**
 * The client side of RTMP: connect, createStream, then publish or play. Used by relays
 * (push to destinations and edges, pull from an origin) and by the tests.
 */
export class RtmpClient {
  readonly closed: Promise<ProtocolError | null>;
  /** Settles when the handshake is done: RTMP 1.0 §5.2.1, nothing else may be sent before S2. */
  private readonly handshaken: Promise<void>;
  private handshakeDone!: () => void;
  private readonly encoder = new ChunkEncoder();
  private readonly decoder: ChunkDecoder;
  private handshake: ClientHandshake | null;
  private nextTransaction = 1;
  private readonly pending = new Map<number, { resolve: (reply: CommandMessage) => void; reject: (error: Error) => void }>();
  private readonly statusWaiters = new Map<number, { resolve: () => void; reject: (error: Error) => void; success: string }>();
  private closeWith!: (error: ProtocolError | null) => void;
  private isClosed = false;

  private constructor(
    readonly socket: Duplex,
    private readonly options: RtmpClientOptions,
  ) {
    this.closed = new Promise((resolve) => (this.closeWith = resolve));
    this.handshaken = new Promise((resolve) => (this.handshakeDone = resolve));
    this.decoder = new ChunkDecoder((raw) => this.receive(raw), { maxMessageSize: 16 * 1024 * 1024 });
    this.handshake = new ClientHandshake({ digest: options.digest ?? true });
    socket.on('data', (bytes: Buffer) => this.onData(bytes));
    socket.on('error', (error) => this.shutdown(new ProtocolError('SOCKET_ERROR', error.message)));
    socket.on('close', () => this.shutdown(null));
    socket.write(this.handshake.start());
  }

  /** Opens rtmp://host:port/app over TCP (or over the given transport) and sends connect. */
  static async connect(url: string, options: RtmpClientOptions = {}, transport?: Duplex): Promise<RtmpClient> {
    const parsed = new URL(url);
    const app = parsed.pathname.replace(/^\/+|\/+$/g, '') + parsed.search;
    const socket = transport ?? net.connect({ host: parsed.hostname.replace(/^\[|\]$/g, ''), port: Number(parsed.port || 1935), noDelay: true });
    const client = new RtmpClient(socket, options);
    const tcUrl = `${parsed.protocol}//${parsed.host}/${app}`;
    try {
      await Promise.race([client.handshaken, client.closed.then((error) => Promise.reject(error ?? new ProtocolError('SOCKET_ERROR', 'closed during the handshake')))]);
      const reply = await client.request('connect', { app, tcUrl, flashVer: 'FMLE/3.0 (compatible; Airlock)', type: 'nonprivate', objectEncoding: 0 }, options.connectArgs ?? []);
      const info = infoOf(reply.args[0]);
      if (reply.name !== '_result') throw new StatusError(String(info.code), String(info.description ?? ''));
      if (options.chunkSize) client.setChunkSize(options.chunkSize);
      return client;
    } catch (error) {
      client.close();
      throw error;
    }
  }

  async createStream(): Promise<number> {
    const reply = await this.request('createStream', null, []);
    if (reply.name !== '_result' || typeof reply.args[0] !== 'number') throw new StatusError('createStream', 'failed');
    return reply.args[0];
  }

  /** Resolves on NetStream.Publish.Start, rejects with the status the server sent instead. */
  publish(streamId: number, name: string): Promise<void> {
    return this.streamCommand(streamId, 'publish', [name, 'live'], 'NetStream.Publish.Start');
  }

  /** Resolves on NetStream.Play.Start, rejects with the status the server sent instead. */
  play(streamId: number, name: string, start = -2): Promise<void> {
    return this.streamCommand(streamId, 'play', [name, start], 'NetStream.Play.Start');
  }

  sendMedia(kind: 'audio' | 'video' | 'data', streamId: number, timestamp: number, payload: Buffer): boolean {
    const typeId = kind === 'audio' ? 8 : kind === 'video' ? 9 : 18;
    return this.socket.write(this.encoder.encode({ chunkStreamId: CSID_MEDIA[kind], typeId, streamId, timestamp, payload }));
  }

  send(message: RtmpMessage, streamId = 0, chunkStreamId = CSID_COMMAND): void {
    const { typeId, payload } = encodeMessage(message);
    this.socket.write(this.encoder.encode({ chunkStreamId: typeId <= 6 ? 2 : chunkStreamId, typeId, streamId, timestamp: 0, payload }));
  }

  setChunkSize(size: number): void {
    this.send({ type: 'setChunkSize', chunkSize: size });
    this.encoder.setChunkSize(size);
  }

  close(): void {
    this.socket.destroy();
    this.shutdown(null);
  }

  private request(name: string, commandObject: AmfValue, args: AmfValue[], streamId = 0): Promise<CommandMessage> {
    const transactionId = this.nextTransaction++;
    const reply = new Promise<CommandMessage>((resolve, reject) => {
      this.pending.set(transactionId, { resolve, reject });
      this.timeout(reject, name);
    });
    this.send({ type: 'command', name, transactionId, commandObject, args }, streamId);
    return reply;
  }

  private streamCommand(streamId: number, name: string, args: AmfValue[], success: string): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.statusWaiters.set(streamId, { resolve, reject, success });
      this.timeout(reject, name);
    });
    this.send({ type: 'command', name, transactionId: 0, commandObject: null, args }, streamId, 8);
    return done;
  }

  private timeout(reject: (error: Error) => void, name: string): void {
    const ms = this.options.timeoutMs ?? 5000;
    setTimeout(() => reject(new ProtocolError('TIMEOUT_IDLE', `no answer to ${name} within ${ms} ms`)), ms).unref();
  }

  private onData(bytes: Buffer): void {
    try {
      if (this.handshake) {
        const progress = this.handshake.push(bytes);
        if (progress.output) this.socket.write(progress.output);
        if (!progress.done) return;
        this.handshake = null;
        this.handshakeDone();
        bytes = progress.rest;
      }
      if (bytes.length > 0) this.decoder.push(bytes);
    } catch (error) {
      this.socket.destroy();
      this.shutdown(error instanceof ProtocolError ? error : new ProtocolError('MESSAGE_MALFORMED', String(error)));
    }
  }

  private receive(raw: RawMessage): void {
    const message = decodeMessage(raw);
    if (message.type === 'userControl' && message.event === 'pingRequest') {
      return this.send({ type: 'userControl', event: 'pingResponse', timestamp: message.timestamp });
    }
    if (message.type === 'command') {
      const waiter = this.pending.get(message.transactionId);
      if (waiter && (message.name === '_result' || message.name === '_error')) {
        this.pending.delete(message.transactionId);
        return waiter.resolve(message);
      }
      if (message.name === 'onStatus') this.settleStatus(raw.streamId, infoOf(message.args[0]));
    }
    this.options.onMessage?.(message, raw);
  }

  private settleStatus(streamId: number, info: AmfObject): void {
    const waiter = this.statusWaiters.get(streamId);
    if (!waiter) return;
    if (info.code === waiter.success) {
      this.statusWaiters.delete(streamId);
      waiter.resolve();
    } else if (info.level === 'error') {
      this.statusWaiters.delete(streamId);
      waiter.reject(new StatusError(String(info.code), String(info.description ?? '')));
    }
  }

  private shutdown(error: ProtocolError | null): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const reason = error ?? new ProtocolError('SOCKET_ERROR', 'connection closed');
    for (const waiter of [...this.pending.values(), ...this.statusWaiters.values()]) waiter.reject(reason);
    this.pending.clear();
    this.statusWaiters.clear();
    this.closeWith(error);
  }
}
