// A lean RTMP client for the bench (Adobe RTMP 1.0 spec §5.2 handshake, §7.2 command flow): connect,
// createStream, then play or publish. Reads go into one shared buffer (net `onread`) and through the
// counting ChunkWalker, so a player costs no allocation per read and never assembles media.
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { ChunkEncoder } from '../src/server/rtmp/chunk';
import { ClientHandshake } from '../src/server/rtmp/handshake';
import { MessageTypeId, decodeMessage, encodeMessage } from '../src/server/rtmp/messages';
import type { RtmpMessage } from '../src/server/rtmp/messages';
import type { AmfObject, AmfValue } from '../src/server/rtmp/amf';
import { ChunkWalker } from './chunk-walker';
import type { ChunkWalkerSink } from './chunk-walker';

/** Chunk stream ids as ffmpeg uses them: protocol control, commands, media (RTMP 1.0 §5.3.1.1). */
const CSID_CONTROL = 2;
const CSID_COMMAND = 3;
const CSID_DATA = 5;
const CSID_AUDIO = 4;
const CSID_VIDEO = 6;
const CSID_STREAM_COMMAND = 8;

const TXN_CONNECT = 1;
const TXN_CREATE_STREAM = 2;

/** Chunk size a publisher announces, as OBS and ffmpeg do. */
export const PUBLISH_CHUNK_SIZE = 4096;
/** A client that has not reached Play.Start / Publish.Start by then has failed. */
const DEFAULT_SETUP_TIMEOUT_MS = 15_000;

export type ClientRole = 'play' | 'publish';

export interface MediaListener {
  /** A complete audio or video message, while the client is live. */
  onMedia(typeId: number, timestamp: number, keyframe: boolean): void;
}

export interface RtmpClientOptions {
  host: string;
  port: number;
  app: string;
  streamName: string;
  role: ClientRole;
  /** Buffer every read lands in; players share one (reads are processed synchronously). */
  readBuffer: Buffer;
  media?: MediaListener;
  setupTimeoutMs?: number;
}

type Phase = 'handshake' | 'connect' | 'createStream' | 'start' | 'live' | 'closed';

export class RtmpClient implements ChunkWalkerSink {
  /** Bytes received, for the Acknowledgement protocol and throughput. */
  bytesReceived = 0;
  /** performance.now() of the read being walked: the receive time of every message completed in it. */
  readAt = 0;
  /** Why the connection ended, once it has. */
  closeReason: string | null = null;

  private readonly socket: Socket;
  private readonly handshake = new ClientHandshake({ digest: false });
  private readonly walker = new ChunkWalker(this);
  private readonly encoder = new ChunkEncoder();
  private phase: Phase = 'handshake';
  private streamId = 0;
  private ackWindow = 0;
  private ackedAt = 0;
  private settle: { resolve: () => void; reject: (error: Error) => void } | null = null;
  readonly ready: Promise<void>;

  constructor(private readonly options: RtmpClientOptions) {
    this.ready = new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
    const timer = setTimeout(() => this.fail(`no ${options.role} start after ${options.setupTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS} ms`), options.setupTimeoutMs ?? DEFAULT_SETUP_TIMEOUT_MS);
    this.ready.then(() => clearTimeout(timer), () => clearTimeout(timer));
    this.socket = connect({
      host: options.host,
      port: options.port,
      noDelay: true,
      onread: { buffer: options.readBuffer, callback: (length) => this.onRead(length) },
    });
    this.socket.on('connect', () => this.socket.write(this.handshake.start()));
    this.socket.on('error', (error) => this.fail(error.message));
    this.socket.on('close', () => this.fail('connection closed'));
  }

  get live(): boolean {
    return this.phase === 'live';
  }

  /** Sends one media or data message on the stream; false when the socket is backed up. */
  sendMedia(typeId: number, timestamp: number, payload: Buffer): boolean {
    const chunkStreamId = typeId === MessageTypeId.Audio ? CSID_AUDIO : typeId === MessageTypeId.Video ? CSID_VIDEO : CSID_DATA;
    return this.socket.write(this.encoder.encode({ chunkStreamId, typeId, streamId: this.streamId, timestamp, payload }));
  }

  close(): void {
    this.closeReason ??= 'closed by the bench';
    this.phase = 'closed';
    this.socket.destroy();
  }

  onMedia(typeId: number, timestamp: number, keyframe: boolean): void {
    if (this.phase === 'live') this.options.media?.onMedia(typeId, timestamp, keyframe);
  }

  onMessage(typeId: number, streamId: number, timestamp: number, payload: Buffer): void {
    if (typeId !== MessageTypeId.CommandAmf0 && typeId !== MessageTypeId.UserControl && typeId !== MessageTypeId.WindowAcknowledgementSize) {
      return;
    }
    const message = decodeMessage({ chunkStreamId: 0, typeId, streamId, timestamp, payload });
    if (message.type === 'windowAcknowledgementSize') this.ackWindow = message.size;
    else if (message.type === 'userControl' && message.event === 'pingRequest') {
      this.send(CSID_CONTROL, 0, { type: 'userControl', event: 'pingResponse', timestamp: message.timestamp });
    } else if (message.type === 'command') this.onCommand(message.name, message.transactionId, message.args);
  }

  private onRead(length: number): boolean {
    this.bytesReceived += length;
    this.readAt = performance.now();
    let bytes = this.options.readBuffer.subarray(0, length);
    try {
      if (this.phase === 'handshake') {
        const progress = this.handshake.push(bytes);
        if (progress.output !== null) this.socket.write(progress.output);
        if (!progress.done) return true;
        this.startSession();
        bytes = progress.rest;
      }
      this.walker.push(bytes);
    } catch (error) {
      this.fail((error as Error).message);
      return false;
    }
    if (this.ackWindow > 0 && this.bytesReceived - this.ackedAt >= this.ackWindow) {
      this.ackedAt = this.bytesReceived;
      this.send(CSID_CONTROL, 0, { type: 'acknowledgement', sequenceNumber: this.bytesReceived >>> 0 });
    }
    return true;
  }

  /** After the handshake: a publisher raises its chunk size first, then both connect (RTMP 1.0 §7.2.1.1). */
  private startSession(): void {
    this.phase = 'connect';
    if (this.options.role === 'publish') {
      this.send(CSID_CONTROL, 0, { type: 'setChunkSize', chunkSize: PUBLISH_CHUNK_SIZE });
      this.encoder.setChunkSize(PUBLISH_CHUNK_SIZE);
    }
    const { host, port, app } = this.options;
    this.command(CSID_COMMAND, 0, 'connect', TXN_CONNECT, {
      app,
      type: 'nonprivate',
      flashVer: 'FMLE/3.0 (compatible; airlock-bench)',
      tcUrl: `rtmp://${host}:${port}/${app}`,
    });
  }

  private onCommand(name: string, transactionId: number, args: AmfValue[]): void {
    if (name === '_error') {
      this.fail(`_error for transaction ${transactionId}: ${describe(args[0])}`);
    } else if (name === '_result' && transactionId === TXN_CONNECT && this.phase === 'connect') {
      this.phase = 'createStream';
      this.command(CSID_COMMAND, 0, 'createStream', TXN_CREATE_STREAM, null);
    } else if (name === '_result' && transactionId === TXN_CREATE_STREAM && this.phase === 'createStream') {
      this.streamId = typeof args[0] === 'number' ? args[0] : 1;
      this.phase = 'start';
      const { streamName, role } = this.options;
      if (role === 'play') this.command(CSID_STREAM_COMMAND, this.streamId, 'play', 0, null, streamName);
      else this.command(CSID_STREAM_COMMAND, this.streamId, 'publish', 0, null, streamName, 'live');
    } else if (name === 'onStatus') {
      this.onStatus(args[0]);
    }
  }

  private onStatus(info: AmfValue): void {
    const { level, code } = (info ?? {}) as AmfObject;
    if (level === 'error') this.fail(`onStatus ${String(code)}`);
    else if (this.phase === 'start' && (code === 'NetStream.Play.Start' || code === 'NetStream.Publish.Start')) {
      this.phase = 'live';
      this.settle?.resolve();
      this.settle = null;
    }
  }

  private command(chunkStreamId: number, streamId: number, name: string, transactionId: number, commandObject: AmfValue, ...args: AmfValue[]): void {
    this.send(chunkStreamId, streamId, { type: 'command', name, transactionId, commandObject, args });
  }

  private send(chunkStreamId: number, streamId: number, message: RtmpMessage): void {
    const { typeId, payload } = encodeMessage(message);
    this.socket.write(this.encoder.encode({ chunkStreamId, typeId, streamId, timestamp: 0, payload }));
  }

  private fail(reason: string): void {
    if (this.closeReason === null) this.closeReason = reason;
    this.settle?.reject(new Error(`${this.options.role} ${this.options.streamName}: ${reason}`));
    this.settle = null;
    if (this.phase !== 'closed') this.close();
  }
}

function describe(value: AmfValue): string {
  const info = (value ?? {}) as AmfObject;
  return String(info.code ?? info.description ?? 'no details');
}
