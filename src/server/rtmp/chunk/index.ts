// The RTMP chunk layer (RTMP 1.0 §5.3): bytes to RawMessages and back, no sockets, no timers.
export { ChunkDecoder, DEFAULT_MAX_CHUNK_SIZE, DEFAULT_MAX_CHUNK_STREAMS, DEFAULT_MAX_MESSAGE_SIZE } from './chunk-decoder';
export type { ChunkDecoderOptions } from './chunk-decoder';
export { ChunkEncoder, encodeChunksType0 } from './chunk-encoder';
export { DEFAULT_CHUNK_SIZE, MAX_CHUNK_STREAM_ID, MIN_CHUNK_STREAM_ID } from './chunk-header';
