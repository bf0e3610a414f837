// Chunk stream decoder (RTMP 1.0 §5.3): a push parser, bytes in, RawMessages out.
import { ProtocolError } from '../../errors';
import { decodeAbort } from '../messages/abort';
import type { AbortMessage } from '../messages/abort';
import { MessageTypeId } from '../messages/message-type-id';
import { decodeSetChunkSize } from '../messages/set-chunk-size';
import type { SetChunkSizeMessage } from '../messages/set-chunk-size';
import type { RawMessage } from '../raw-message';
import {
  CHUNK_STREAM_ID_BASE,
  ChunkFormat,
  DEFAULT_CHUNK_SIZE,
  EXTENDED_TIMESTAMP_MARKER,
  EXTENDED_TIMESTAMP_SIZE,
  MAX_CHUNK_SIZE_FIELD,
  MESSAGE_HEADER_SIZE,
} from './chunk-header';

export interface ChunkDecoderOptions {
  /** Largest Set Chunk Size the peer may announce; above it fails with CHUNK_SIZE_INVALID. Default 65536. */
  maxChunkSize?: number;
  /** Largest message length accepted; above it fails with MESSAGE_TOO_LARGE. Default 8 MiB. */
  maxMessageSize?: number;
  /** Most chunk streams one connection may open; one more fails with CHUNK_TOO_MANY_STREAMS. Default 64. */
  maxChunkStreams?: number;
  /** Told about the Set Chunk Size and Abort messages the decoder absorbs, so the connection can log them. */
  onControl?: (message: SetChunkSizeMessage | AbortMessage) => void;
}

export const DEFAULT_MAX_CHUNK_SIZE = 65536;
export const DEFAULT_MAX_MESSAGE_SIZE = 8 * 1024 * 1024;
export const DEFAULT_MAX_CHUNK_STREAMS = 64;

/** Parser states: what the next bytes are. */
const State = {
  /** First basic header byte: format and chunk stream id or its form (§5.3.1.1). */
  BasicHeader: 0,
  /** The 1 or 2 more bytes of a 2- or 3-byte basic header. */
  ChunkStreamId: 1,
  /** The 11, 7, 3 or 0 byte message header (§5.3.1.2). */
  MessageHeader: 2,
  /** 4 bytes of extended timestamp (§5.3.1.3). */
  ExtendedTimestamp: 3,
  /** The chunk's share of the message payload. */
  Payload: 4,
} as const;

type State = (typeof State)[keyof typeof State];

const EMPTY = Buffer.alloc(0);

/** What a chunk stream remembers between chunks (§5.3.1.2: later headers omit what did not change). */
class ChunkStream {
  typeId = 0;
  streamId = 0;
  length = 0;
  /** Timestamp of the latest message started on this chunk stream, modulo 2^32. */
  timestamp = 0;
  /** Latest type 0/1/2 timestamp field (absolute for type 0, a delta otherwise), extended value included. */
  timestampField = 0;
  /** That field was 0xFFFFFF, so type 3 chunks carry the 4 extended timestamp bytes too. */
  extended = false;
  /** A message is partly received: type 3 chunks continue it instead of starting a new one. */
  inProgress = false;
  /** Payload pieces so far, joined once the message is complete. */
  pieces: Buffer[] = [];
  received = 0;

  constructor(readonly id: number) {}

  discardPartial(): void {
    this.inProgress = false;
    this.pieces = [];
    this.received = 0;
  }
}

/**
 * Push parser for the chunk stream a peer sends after the handshake. Emits each complete message
 * through `onMessage`; absorbs Set Chunk Size and Abort (they change the decoder's own state).
 * Payloads are subarrays of the pushed buffers when a message arrives in one piece. After a
 * ProtocolError (its own, or one thrown by a callback) the decoder is dead and push rethrows it.
 */
export class ChunkDecoder {
  private readonly maxChunkSize: number;
  private readonly maxMessageSize: number;
  private readonly maxChunkStreams: number;
  private readonly onControl: ((message: SetChunkSizeMessage | AbortMessage) => void) | undefined;

  private chunkSize = DEFAULT_CHUNK_SIZE;
  private readonly streams = new Map<number, ChunkStream>();
  private state: State = State.BasicHeader;
  // Input not parsed yet: pushed buffers, the first one read from `offset`.
  private buffers: Buffer[] = [];
  private offset = 0;
  private bufferedBytes = 0;
  /** Where `read` put the header bytes: the first pushed buffer itself, or `scratch` across a boundary. */
  private view: Buffer = EMPTY;
  private readonly scratch = Buffer.allocUnsafe(MESSAGE_HEADER_SIZE[ChunkFormat.Full]);
  private error: ProtocolError | undefined;

  // The chunk being parsed.
  private format: ChunkFormat = ChunkFormat.Full;
  private chunkStreamIdBytes = 0;
  private stream: ChunkStream | undefined;
  private chunkRemaining = 0;

  /** `onMessage` receives every complete message except the Set Chunk Size and Abort the decoder absorbs. */
  constructor(
    private readonly onMessage: (message: RawMessage) => void,
    options: ChunkDecoderOptions = {},
  ) {
    this.maxChunkSize = positiveInteger('maxChunkSize', options.maxChunkSize ?? DEFAULT_MAX_CHUNK_SIZE);
    this.maxMessageSize = positiveInteger('maxMessageSize', options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE);
    this.maxChunkStreams = positiveInteger('maxChunkStreams', options.maxChunkStreams ?? DEFAULT_MAX_CHUNK_STREAMS);
    if (this.maxChunkSize > MAX_CHUNK_SIZE_FIELD) throw new RangeError('maxChunkSize is above 0x7FFFFFFF');
    this.onControl = options.onControl;
  }

  push(bytes: Buffer): void {
    if (this.error) throw this.error;
    if (bytes.length === 0) return;
    this.buffers.push(bytes);
    this.bufferedBytes += bytes.length;
    try {
      while (this.step());
    } catch (err) {
      if (err instanceof ProtocolError) this.error = err;
      throw err;
    }
  }

  /** Runs the current state; false when it needs more bytes. */
  private step(): boolean {
    switch (this.state) {
      case State.BasicHeader:
        return this.readBasicHeader();
      case State.ChunkStreamId:
        return this.readChunkStreamId();
      case State.MessageHeader:
        return this.readMessageHeader();
      case State.ExtendedTimestamp:
        return this.readExtendedTimestamp();
      case State.Payload:
        return this.readPayload();
    }
  }

  private readBasicHeader(): boolean {
    if (this.bufferedBytes < 1) return false;
    const at = this.read(1);
    const byte = this.view[at];
    this.format = (byte >> 6) as ChunkFormat;
    const id = byte & 0x3f;
    // §5.3.1.1: id 0 announces the 2-byte form, id 1 the 3-byte form.
    if (id <= 1) {
      this.chunkStreamIdBytes = id + 1;
      this.state = State.ChunkStreamId;
      return true;
    }
    this.openChunkStream(id);
    return true;
  }

  private readChunkStreamId(): boolean {
    if (this.bufferedBytes < this.chunkStreamIdBytes) return false;
    const at = this.read(this.chunkStreamIdBytes);
    // The 3-byte form is little-endian: second byte * 256 + first byte (§5.3.1.1).
    const id = this.chunkStreamIdBytes === 1 ? this.view[at] : this.view[at] + this.view[at + 1] * 256;
    this.openChunkStream(id + CHUNK_STREAM_ID_BASE);
    return true;
  }

  /** Finds the chunk stream's state; only a type 0 chunk may open a new one. */
  private openChunkStream(id: number): void {
    let stream = this.streams.get(id);
    if (stream === undefined) {
      if (this.format !== ChunkFormat.Full) {
        throw new ProtocolError('CHUNK_NO_PREVIOUS_HEADER', `type ${this.format} chunk on chunk stream ${id}, never opened by type 0`);
      }
      if (this.streams.size >= this.maxChunkStreams) {
        throw new ProtocolError('CHUNK_TOO_MANY_STREAMS', `chunk stream ${id} is above the limit of ${this.maxChunkStreams}`);
      }
      stream = new ChunkStream(id);
      this.streams.set(id, stream);
    }
    this.stream = stream;
    this.state = State.MessageHeader;
  }

  private readMessageHeader(): boolean {
    const stream = this.stream!;
    if (this.format === ChunkFormat.Continuation) {
      if (stream.extended) this.state = State.ExtendedTimestamp;
      else this.beginChunk(stream);
      return true;
    }
    const size = MESSAGE_HEADER_SIZE[this.format];
    if (this.bufferedBytes < size) return false;
    const at = this.read(size);
    const header = this.view;
    // A new header in the middle of a message replaces it, as ffmpeg does.
    if (stream.inProgress) stream.discardPartial();
    const field = header.readUIntBE(at, 3);
    if (this.format !== ChunkFormat.SameLength) {
      const length = header.readUIntBE(at + 3, 3);
      if (length > this.maxMessageSize) {
        throw new ProtocolError('MESSAGE_TOO_LARGE', `message of ${length} bytes is above the limit of ${this.maxMessageSize}`);
      }
      stream.length = length;
      stream.typeId = header[at + 6];
    }
    if (this.format === ChunkFormat.Full) stream.streamId = header.readUInt32LE(at + 7);
    stream.extended = field === EXTENDED_TIMESTAMP_MARKER;
    if (stream.extended) {
      this.state = State.ExtendedTimestamp;
    } else {
      stream.timestampField = field;
      this.beginChunk(stream);
    }
    return true;
  }

  private readExtendedTimestamp(): boolean {
    if (this.bufferedBytes < EXTENDED_TIMESTAMP_SIZE) return false;
    const stream = this.stream!;
    // Type 3 continuation chunks repeat it (ffmpeg, Flash); only a chunk opening a message uses it.
    const at = this.read(EXTENDED_TIMESTAMP_SIZE);
    stream.timestampField = this.view.readUInt32BE(at);
    this.beginChunk(stream);
    return true;
  }

  /** Header done: start the message if this chunk opens one, and size the chunk's payload. */
  private beginChunk(stream: ChunkStream): void {
    if (!stream.inProgress) {
      // Type 0 carries the absolute time; types 1, 2 and a type 3 opening a message add a delta (§5.3.1.2).
      // A type 3 right after a type 0 reuses its field as the delta, as ffmpeg and librtmp read it.
      stream.timestamp =
        this.format === ChunkFormat.Full ? stream.timestampField : (stream.timestamp + stream.timestampField) >>> 0;
      stream.inProgress = true;
    }
    this.chunkRemaining = Math.min(this.chunkSize, stream.length - stream.received);
    this.state = State.Payload;
  }

  private readPayload(): boolean {
    const stream = this.stream!;
    while (this.chunkRemaining > 0) {
      if (this.bufferedBytes === 0) return false;
      const piece = this.takePiece(this.chunkRemaining);
      stream.pieces.push(piece);
      stream.received += piece.length;
      this.chunkRemaining -= piece.length;
    }
    this.state = State.BasicHeader;
    if (stream.received === stream.length) this.completeMessage(stream);
    return true;
  }

  private completeMessage(stream: ChunkStream): void {
    const { pieces } = stream;
    // One piece: the payload is a view of the pushed buffer. Several: one allocation of the known length.
    const payload = pieces.length === 1 ? pieces[0] : pieces.length === 0 ? EMPTY : Buffer.concat(pieces, stream.length);
    stream.discardPartial();
    const message: RawMessage = {
      chunkStreamId: stream.id,
      typeId: stream.typeId,
      streamId: stream.streamId,
      timestamp: stream.timestamp,
      payload,
    };
    if (message.typeId === MessageTypeId.SetChunkSize) this.applySetChunkSize(decodeSetChunkSize(payload));
    else if (message.typeId === MessageTypeId.Abort) this.applyAbort(decodeAbort(payload));
    else this.onMessage(message);
  }

  /** §5.4.1: the new size applies to every chunk after this message; 31 bits, at least 1. */
  private applySetChunkSize(message: SetChunkSizeMessage): void {
    const size = message.chunkSize;
    if (size === 0 || size > MAX_CHUNK_SIZE_FIELD || size > this.maxChunkSize) {
      throw new ProtocolError('CHUNK_SIZE_INVALID', `Set Chunk Size ${size} is not within 1..${this.maxChunkSize}`);
    }
    this.chunkSize = size;
    this.onControl?.(message);
  }

  /** §5.4.2: drop the partly received message of that chunk stream, if any. */
  private applyAbort(message: AbortMessage): void {
    this.streams.get(message.chunkStreamId)?.discardPartial();
    this.onControl?.(message);
  }

  /** Makes the next n (header) bytes readable at this.view[returned index]: in place when contiguous. */
  private read(n: number): number {
    const first = this.buffers[0];
    const start = this.offset;
    if (first.length - start >= n) {
      this.view = first;
      this.skip(first, n);
      return start;
    }
    let copied = 0;
    while (copied < n) copied += this.takePiece(n - copied).copy(this.scratch, copied);
    this.view = this.scratch;
    return 0;
  }

  /** Up to n bytes of the first buffer as a view; the buffer itself when it is taken whole. */
  private takePiece(n: number): Buffer {
    const first = this.buffers[0];
    const start = this.offset;
    const size = Math.min(n, first.length - start);
    const piece = start === 0 && size === first.length ? first : first.subarray(start, start + size);
    this.skip(first, size);
    return piece;
  }

  private skip(first: Buffer, n: number): void {
    this.bufferedBytes -= n;
    this.offset += n;
    if (this.offset === first.length) {
      this.buffers.shift();
      this.offset = 0;
    }
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
