// A message as the chunk layer carries it (RTMP 1.0 §5.3.1, §6.1.1): header fields and an opaque body.
export interface RawMessage {
  /** Chunk stream id it travelled on (2..65599). */
  chunkStreamId: number;
  /** Message type id (RTMP 1.0 §5.4, §7.1). */
  typeId: number;
  /** Message stream id (little-endian on the wire). */
  streamId: number;
  /** Timestamp in milliseconds, modulo 2^32. */
  timestamp: number;
  payload: Buffer;
}
