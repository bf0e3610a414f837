import { expectBodyLength, encodeUint32Body } from './fixed-body';

/** Set Chunk Size (RTMP 1.0 §5.4.1): the new maximum chunk payload size of the sender. */
export interface SetChunkSizeMessage {
  type: 'setChunkSize';
  /** 31 bits; the top bit must be zero, which the chunk decoder enforces when it applies the size. */
  chunkSize: number;
}

export function decodeSetChunkSize(payload: Buffer): SetChunkSizeMessage {
  expectBodyLength(payload, 4, 'Set Chunk Size');
  return { type: 'setChunkSize', chunkSize: payload.readUInt32BE(0) };
}

export function encodeSetChunkSize(message: SetChunkSizeMessage): Buffer {
  return encodeUint32Body(message.chunkSize);
}
