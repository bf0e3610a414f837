import type { Duplex } from 'node:stream';
import { ProtocolError } from '../errors';
import { DEFAULT_MAX_QUEUE_BYTES, OutputQueue } from '../hub/output-queue';
import { writableSink } from '../hub/socket-sink';
import { ChunkDecoder, ChunkEncoder } from '../rtmp/chunk';
import { ServerHandshake } from '../rtmp/handshake';
import { decodeMessage, encodeMessage, type RtmpMessage } from '../rtmp/messages';
import type { RawMessage } from '../rtmp/raw-message';

export interface ConnectionLimits {
  /** Largest Set Chunk Size a peer may announce. */
  maxChunkSize?: number;
  /** Largest message a peer may send, in bytes. */
  maxMessageSize?: number;
  /** Chunk streams a peer may open. */
  maxChunkStreams?: number;
  /** Time allowed for C0/C1/C2. */
  handshakeTimeoutMs?: number;
  /** A peer that sends nothing (not even a ping response) for this long is dropped. */
  idleTimeoutMs?: number;
  /** How often the server pings, so a healthy but quiet peer still answers. */
  pingIntervalMs?: number;
  /** Chunk size the server sends with. */
  outChunkSize?: number;
  /** Window Acknowledgement Size the server asks peers to use. */
  windowAckSize?: number;
  /** Bytes queued for a slow player before it skips to the next keyframe. */
  maxQueueBytes?: number;
}

export const DEFAULT_LIMITS: Required<ConnectionLimits> = {
  maxChunkSize: 65536,
  maxMessageSize: 8 * 1024 * 1024,
  maxChunkStreams: 64,
  handshakeTimeoutMs: 10_000,
  idleTimeoutMs: 20_000,
  pingIntervalMs: 5_000,
  outChunkSize: 4096,
  windowAckSize: 5_000_000,
  maxQueueBytes: DEFAULT_MAX_QUEUE_BYTES,
};

/** What the session layer above a connection sees: commands, data and media, nothing else. */
export interface ConnectionHandler {
  onMessage(message: RtmpMessage, raw: RawMessage): void;
  onClose(error: ProtocolError | null): void;
}

// A peer that hangs up while we write is an ordinary close, not an error.
const PEER_CLOSED = new Set(['EPIPE', 'ECONNRESET']);

// Chunk stream ids: 2 for protocol control (RTMP 1.0 §5.4), 3 for commands.
const CSID_CONTROL = 2;
const CSID_COMMAND = 3;

/**
 * One RTMP connection over any Duplex (TCP or TLS): handshake, chunking, and the protocol
 * control messages whose state lives here (acknowledgement window, peer bandwidth, pings,
 * timeouts). Chunk size and abort are absorbed by the chunk decoder.
 */
export class RtmpConnection {
  readonly queue: OutputQueue;
  readonly limits: Required<ConnectionLimits>;
  readonly openedAt = Date.now();
  bytesReceived = 0;

  private handshake: ServerHandshake | null = new ServerHandshake();
  private readonly decoder: ChunkDecoder;
  private readonly encoder = new ChunkEncoder();
  private handler: ConnectionHandler | null = null;
  private peerWindowAckSize = 0; // 0: the peer has not asked for acknowledgements
  private bytesAtLastAck = 0;
  private lastReceivedAt = performance.now();
  private readonly handshakeTimer: NodeJS.Timeout;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private flushScheduled = false;

  constructor(
    readonly socket: Duplex,
    limits: ConnectionLimits = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.queue = new OutputQueue(writableSink(socket), { maxQueueBytes: this.limits.maxQueueBytes });
    this.decoder = new ChunkDecoder((raw) => this.receive(raw), {
      maxChunkSize: this.limits.maxChunkSize,
      maxMessageSize: this.limits.maxMessageSize,
      maxChunkStreams: this.limits.maxChunkStreams,
    });
    this.handshakeTimer = setTimeout(
      () => this.fail(new ProtocolError('TIMEOUT_HANDSHAKE', `handshake not done within ${this.limits.handshakeTimeoutMs} ms`)),
      this.limits.handshakeTimeoutMs,
    );
    socket.on('data', (bytes: Buffer) => this.onData(bytes));
    socket.on('error', (error: NodeJS.ErrnoException) => this.fail(PEER_CLOSED.has(error.code ?? '') ? null : new ProtocolError('SOCKET_ERROR', error.message)));
    socket.on('close', () => this.fail(null));
  }

  /** Starts delivering messages; set once by the session that owns this connection. */
  attach(handler: ConnectionHandler): void {
    this.handler = handler;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends a message on the command chunk stream (or control stream for protocol control). */
  send(message: RtmpMessage, streamId = 0, timestamp = 0): void {
    if (this.closed) return;
    const { typeId, payload } = encodeMessage(message);
    const chunkStreamId = typeId <= 6 ? CSID_CONTROL : CSID_COMMAND;
    this.queue.pushControl(this.encoder.encode({ chunkStreamId, typeId, streamId, timestamp, payload }));
    this.scheduleFlush();
  }

  // The replies of one turn (connect's four, play's statuses and the GOP behind them) leave in one write.
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.queue.flush();
    });
  }

  /** Announces our outgoing chunk size and starts using it. */
  setOutChunkSize(size: number): void {
    this.send({ type: 'setChunkSize', chunkSize: size });
    this.encoder.setChunkSize(size);
  }

  get outChunkSize(): number {
    return this.encoder.chunkSize;
  }

  /** Ends the connection after what is queued has been sent (a rejection's status, say). */
  end(): void {
    if (this.closed) return;
    this.queue.flush();
    this.socket.end();
    // A peer that never closes its side must not keep the socket forever.
    setTimeout(() => this.socket.destroy(), 2000).unref();
    this.shutdown(null);
  }

  /** Closes at once: for peers that broke the protocol, and for server shutdown. */
  destroy(error: ProtocolError | null = null): void {
    this.fail(error);
  }

  private onData(bytes: Buffer): void {
    if (this.closed) return;
    this.lastReceivedAt = performance.now();
    try {
      if (this.handshake) {
        const progress = this.handshake.push(bytes);
        if (progress.output) this.socket.write(progress.output);
        if (!progress.done) return;
        this.handshake = null;
        clearTimeout(this.handshakeTimer);
        this.startKeepAlive();
        bytes = progress.rest;
        if (bytes.length === 0) return;
      }
      this.bytesReceived += bytes.length;
      this.decoder.push(bytes);
      this.acknowledge();
    } catch (error) {
      this.fail(error instanceof ProtocolError ? error : new ProtocolError('MESSAGE_MALFORMED', String(error)));
    }
  }

  private receive(raw: RawMessage): void {
    if (this.closed) return;
    const message = decodeMessage(raw);
    switch (message.type) {
      case 'windowAcknowledgementSize':
        this.peerWindowAckSize = message.size;
        return;
      case 'setPeerBandwidth':
      case 'acknowledgement':
        return; // we do not throttle our output by the peer's window: the bounded queue does that
      case 'userControl':
        if (message.event === 'pingRequest') this.send({ type: 'userControl', event: 'pingResponse', timestamp: message.timestamp });
        if (message.event !== 'setBufferLength') return;
        break;
    }
    this.handler?.onMessage(message, raw);
  }

  // RTMP 1.0 §5.4.3: acknowledge once the peer's window of bytes has arrived.
  private acknowledge(): void {
    if (this.peerWindowAckSize === 0 || this.bytesReceived - this.bytesAtLastAck < this.peerWindowAckSize) return;
    this.bytesAtLastAck = this.bytesReceived;
    this.send({ type: 'acknowledgement', sequenceNumber: this.bytesReceived >>> 0 });
  }

  // Pings a quiet peer, and drops one that stayed silent past the idle timeout (a frozen client).
  private startKeepAlive(): void {
    const { pingIntervalMs, idleTimeoutMs } = this.limits;
    this.keepAliveTimer = setInterval(() => {
      const silentFor = performance.now() - this.lastReceivedAt;
      if (silentFor >= idleTimeoutMs) {
        this.fail(new ProtocolError('TIMEOUT_IDLE', `peer silent for ${Math.round(silentFor)} ms`));
        return;
      }
      this.send({ type: 'userControl', event: 'pingRequest', timestamp: Math.floor(performance.now()) >>> 0 });
    }, Math.min(pingIntervalMs, idleTimeoutMs / 2));
    this.keepAliveTimer.unref();
  }

  private fail(error: ProtocolError | null): void {
    if (this.closed) return;
    this.socket.destroy();
    this.shutdown(error);
  }

  private shutdown(error: ProtocolError | null): void {
    this.closed = true;
    clearTimeout(this.handshakeTimer);
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.queue.close();
    this.handler?.onClose(error);
  }
}
