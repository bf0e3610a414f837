import { expectBodyLength, encodeUint32Body } from './fixed-body';

/** Abort Message (RTMP 1.0 §5.4.2): discard the partly received message on a chunk stream. */
export interface AbortMessage {
  type: 'abort';
  chunkStreamId: number;
}

export function decodeAbort(payload: Buffer): AbortMessage {
  expectBodyLength(payload, 4, 'Abort');
  return { type: 'abort', chunkStreamId: payload.readUInt32BE(0) };
}

export function encodeAbort(message: AbortMessage): Buffer {
  return encodeUint32Body(message.chunkStreamId);
}
