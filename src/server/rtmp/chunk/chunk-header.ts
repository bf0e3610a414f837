// Chunk header facts shared by the decoder and the encoder (RTMP 1.0 §5.3.1).

/** Chunk size both sides start with (RTMP 1.0 §5.4.1). */
export const DEFAULT_CHUNK_SIZE = 128;

/** Largest chunk size the spec allows: 31 bits (RTMP 1.0 §5.4.1). */
export const MAX_CHUNK_SIZE_FIELD = 0x7fffffff;

/** Chunk stream ids 0 and 1 select the 2- and 3-byte basic header forms; 2..65599 are usable (§5.3.1.1). */
export const MIN_CHUNK_STREAM_ID = 2;
export const MAX_CHUNK_STREAM_ID = 65599;
/** Largest id of the 1-byte form; the 2-byte form covers 64..319, the 3-byte form up to 65599. */
export const MAX_ONE_BYTE_CHUNK_STREAM_ID = 63;
export const MAX_TWO_BYTE_CHUNK_STREAM_ID = 319;
/** Offset of ids in the 2- and 3-byte forms. */
export const CHUNK_STREAM_ID_BASE = 64;

/** Chunk message header formats (§5.3.1.2). */
export const ChunkFormat = {
  /** Absolute timestamp, length, type id, stream id. */
  Full: 0,
  /** Timestamp delta, length, type id: same stream id. */
  SameStream: 1,
  /** Timestamp delta only: same stream, length and type. */
  SameLength: 2,
  /** No header: everything from the previous chunk on this chunk stream. */
  Continuation: 3,
} as const;

export type ChunkFormat = (typeof ChunkFormat)[keyof typeof ChunkFormat];

/** Message header size per format: 11, 7, 3, 0 (§5.3.1.2.1-4). */
export const MESSAGE_HEADER_SIZE: readonly number[] = [11, 7, 3, 0];

/** A timestamp field of 0xFFFFFF means the real value follows in 4 extended timestamp bytes (§5.3.1.3). */
export const EXTENDED_TIMESTAMP_MARKER = 0xffffff;
export const EXTENDED_TIMESTAMP_SIZE = 4;

/** Basic header size for a chunk stream id: 1, 2 or 3 bytes (§5.3.1.1). */
export function basicHeaderSize(chunkStreamId: number): number {
  if (chunkStreamId <= MAX_ONE_BYTE_CHUNK_STREAM_ID) return 1;
  return chunkStreamId <= MAX_TWO_BYTE_CHUNK_STREAM_ID ? 2 : 3;
}

/** Writes a basic header (§5.3.1.1) at `offset`; returns the offset after it. */
export function writeBasicHeader(target: Buffer, offset: number, format: ChunkFormat, chunkStreamId: number): number {
  const fmtBits = format << 6;
  if (chunkStreamId <= MAX_ONE_BYTE_CHUNK_STREAM_ID) {
    target[offset] = fmtBits | chunkStreamId;
    return offset + 1;
  }
  const id = chunkStreamId - CHUNK_STREAM_ID_BASE;
  if (chunkStreamId <= MAX_TWO_BYTE_CHUNK_STREAM_ID) {
    target[offset] = fmtBits;
    target[offset + 1] = id;
    return offset + 2;
  }
  target[offset] = fmtBits | 1;
  target[offset + 1] = id & 0xff;
  target[offset + 2] = id >>> 8;
  return offset + 3;
}
