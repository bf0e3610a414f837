import { decodeAmf0, encodeAmf0 } from '../amf';
import { prependFormatSelector, stripFormatSelector } from './amf3-format';
import type { DataMessage } from './data-amf0';

/** Data Message, AMF3 form (RTMP 1.0 §7.1.2, type 15): format selector 0, then AMF0 with AMF3 switches. */
export function decodeDataAmf3(payload: Buffer): DataMessage {
  return { type: 'data', encoding: 'amf3', values: decodeAmf0(stripFormatSelector(payload, 'AMF3 data')), payload };
}

export function encodeDataAmf3(message: DataMessage): Buffer {
  return prependFormatSelector(encodeAmf0(message.values));
}
