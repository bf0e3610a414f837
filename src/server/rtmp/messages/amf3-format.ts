import { ProtocolError } from '../../errors';

/**
 * AMF3 command and data messages (types 17 and 15) start with a format selector byte, 0, followed
 * by AMF0 values that switch to AMF3 with the avmplus marker (RTMP 1.0 §7.1.1, §7.1.2).
 */
const AMF3_FORMAT_SELECTOR = 0x00;

/** The AMF0 bytes after the format selector. */
export function stripFormatSelector(payload: Buffer, what: string): Buffer {
  if (payload.length === 0 || payload[0] !== AMF3_FORMAT_SELECTOR) {
    throw new ProtocolError('MESSAGE_MALFORMED', `${what} does not start with the AMF3 format selector 0`);
  }
  return payload.subarray(1);
}

/** The AMF0 bytes behind a format selector, in one allocation. */
export function prependFormatSelector(amf0: Buffer): Buffer {
  const payload = Buffer.allocUnsafe(1 + amf0.length);
  payload[0] = AMF3_FORMAT_SELECTOR;
  amf0.copy(payload, 1);
  return payload;
}
