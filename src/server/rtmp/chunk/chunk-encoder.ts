// Chunk stream encoder (RTMP 1.0 §5.3): RawMessages in, chunk bytes out, each message in one Buffer.
import { ProtocolError } from '../../errors';
import type { RawMessage } from '../raw-message';
import {
  ChunkFormat,
  DEFAULT_CHUNK_SIZE,
  EXTENDED_TIMESTAMP_MARKER,
  EXTENDED_TIMESTAMP_SIZE,
  MAX_CHUNK_SIZE_FIELD,
  MAX_CHUNK_STREAM_ID,
  MESSAGE_HEADER_SIZE,
  MIN_CHUNK_STREAM_ID,
  basicHeaderSize,
  writeBasicHeader,
} from './chunk-header';

/** The message length field has 3 bytes (§5.3.1.2.1). */
const MAX_MESSAGE_LENGTH = 0xffffff;

/** What the peer's decoder remembers of a chunk stream after our last message on it. */
interface SentHeader {
  typeId: number;
  streamId: number;
  length: number;
  timestamp: number;
  /** Delta of the last type 1/2 header; undefined after a type 0, so no type 3 leans on an absolute field. */
  delta: number | undefined;
}

/**
 * Per-connection encoder: picks the smallest header each chunk stream allows (§5.3.1.2). The caller
 * sends Set Chunk Size itself and then calls setChunkSize. A chunk stream used for
 * encodeChunksType0 output must not also go through this encoder, whose memory of it would be stale.
 */
export class ChunkEncoder {
  private size = DEFAULT_CHUNK_SIZE;
  private readonly sent = new Map<number, SentHeader>();

  get chunkSize(): number {
    return this.size;
  }

  setChunkSize(size: number): void {
    this.size = validChunkSize(size);
  }

  encode(message: RawMessage): Buffer {
    const timestamp = message.timestamp >>> 0;
    const length = message.payload.length;
    const previous = this.sent.get(message.chunkStreamId);
    let format: ChunkFormat;
    let field: number;
    let delta: number | undefined;
    // A backwards (or wrapped) timestamp gets an absolute type 0: some peers read deltas as unsigned only.
    if (previous === undefined || previous.streamId !== message.streamId || timestamp < previous.timestamp) {
      format = ChunkFormat.Full;
      field = timestamp;
    } else {
      delta = field = timestamp - previous.timestamp;
      if (previous.typeId !== message.typeId || previous.length !== length) format = ChunkFormat.SameStream;
      else if (previous.delta !== delta) format = ChunkFormat.SameLength;
      else format = ChunkFormat.Continuation;
    }
    const bytes = writeChunks(message, format, field, this.size);
    this.sent.set(message.chunkStreamId, { typeId: message.typeId, streamId: message.streamId, length, timestamp, delta });
    return bytes;
  }
}

/**
 * A message as a type 0 chunk then type 3 chunks, independent of any connection's state: the server
 * writes this one Buffer to every player with the same chunk size and stream id.
 */
export function encodeChunksType0(message: RawMessage, chunkSize: number): Buffer {
  return writeChunks(message, ChunkFormat.Full, message.timestamp >>> 0, validChunkSize(chunkSize));
}

/**
 * Header and payload in one preallocated Buffer. `field` is the timestamp (type 0) or delta; when it
 * needs extended timestamp bytes, every type 3 continuation chunk repeats them, as ffmpeg and Flash do.
 */
function writeChunks(message: RawMessage, format: ChunkFormat, field: number, chunkSize: number): Buffer {
  const { chunkStreamId, payload } = message;
  if (!Number.isInteger(chunkStreamId) || chunkStreamId < MIN_CHUNK_STREAM_ID || chunkStreamId > MAX_CHUNK_STREAM_ID) {
    throw new ProtocolError('CHUNK_BAD_STREAM_ID', `chunk stream id ${chunkStreamId} is outside 2..65599`);
  }
  if (payload.length > MAX_MESSAGE_LENGTH) {
    throw new ProtocolError('MESSAGE_TOO_LARGE', `message of ${payload.length} bytes does not fit 3 length bytes`);
  }
  const extended = field >= EXTENDED_TIMESTAMP_MARKER;
  const extendedSize = extended ? EXTENDED_TIMESTAMP_SIZE : 0;
  const basicSize = basicHeaderSize(chunkStreamId);
  const continuations = Math.max(0, Math.ceil(payload.length / chunkSize) - 1);
  const bytes = Buffer.allocUnsafe(
    basicSize + MESSAGE_HEADER_SIZE[format] + extendedSize + payload.length + continuations * (basicSize + extendedSize),
  );

  let offset = writeBasicHeader(bytes, 0, format, chunkStreamId);
  if (format !== ChunkFormat.Continuation) {
    offset = bytes.writeUIntBE(extended ? EXTENDED_TIMESTAMP_MARKER : field, offset, 3);
    if (format !== ChunkFormat.SameLength) {
      offset = bytes.writeUIntBE(payload.length, offset, 3);
      bytes[offset++] = message.typeId;
      if (format === ChunkFormat.Full) offset = bytes.writeUInt32LE(message.streamId >>> 0, offset);
    }
  }
  if (extended) offset = bytes.writeUInt32BE(field, offset);

  let sent = 0;
  for (;;) {
    const end = Math.min(sent + chunkSize, payload.length);
    offset += payload.copy(bytes, offset, sent, end);
    sent = end;
    if (sent >= payload.length) return bytes;
    offset = writeBasicHeader(bytes, offset, ChunkFormat.Continuation, chunkStreamId);
    if (extended) offset = bytes.writeUInt32BE(field, offset);
  }
}

function validChunkSize(size: number): number {
  if (!Number.isInteger(size) || size < 1 || size > MAX_CHUNK_SIZE_FIELD) {
    throw new RangeError(`chunk size must be an integer in 1..0x7FFFFFFF, got ${size}`);
  }
  return size;
}
