/** Shared Object Message (RTMP 1.0 §7.1.3): type 19 (AMF0) or 16 (AMF3), kept raw: we do not serve shared objects. */
export interface SharedObjectMessage {
  type: 'sharedObject';
  encoding: 'amf0' | 'amf3';
  payload: Buffer;
}

export function decodeSharedObject(payload: Buffer, encoding: 'amf0' | 'amf3'): SharedObjectMessage {
  return { type: 'sharedObject', encoding, payload };
}
