import { ProtocolError } from '../../errors';

/** Fails with MESSAGE_MALFORMED unless a fixed-size body has exactly `size` bytes. */
export function expectBodyLength(payload: Buffer, size: number, what: string): void {
  if (payload.length !== size) {
    throw new ProtocolError('MESSAGE_MALFORMED', `${what} body is ${payload.length} bytes, expected ${size}`);
  }
}

/** A 4-byte big-endian body, the shape of most protocol control messages (RTMP 1.0 §5.4). */
export function encodeUint32Body(value: number): Buffer {
  const payload = Buffer.allocUnsafe(4);
  payload.writeUInt32BE(value >>> 0, 0);
  return payload;
}
