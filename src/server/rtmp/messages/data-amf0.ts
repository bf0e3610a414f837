import { decodeAmf0, encodeAmf0 } from '../amf';
import type { AmfValue } from '../amf';

/**
 * Data Message (RTMP 1.0 §7.1.2): metadata such as `@setDataFrame, onMetaData, {…}`, kept as plain values.
 * Type 18 carries AMF0, type 15 the AMF3 form (see data-amf3.ts); both decode to this shape.
 */
export interface DataMessage {
  type: 'data';
  /** The wire form: type 18 (amf0) or 15 (amf3). Set by decodeMessage; encodeMessage defaults to amf0. */
  encoding?: 'amf0' | 'amf3';
  values: AmfValue[];
  /**
   * The body as received, so a server can forward it without re-encoding. Set by decodeMessage;
   * encodeMessage ignores it and always encodes `values`, so edited values are never shadowed.
   */
  payload?: Buffer;
}

export function decodeDataAmf0(payload: Buffer): DataMessage {
  return { type: 'data', encoding: 'amf0', values: decodeAmf0(payload), payload };
}

export function encodeDataAmf0(message: DataMessage): Buffer {
  return encodeAmf0(message.values);
}
