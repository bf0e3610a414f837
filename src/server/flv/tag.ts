// One FLV tag (FLV spec v10.1 §E.4.1) followed by its PreviousTagSize (§E.3).

import { ProtocolError } from '../errors';
import { PREVIOUS_TAG_SIZE_BYTES } from './header';

/** §E.4.1 TagType. */
export const FlvTagType = {
  AUDIO: 8,
  VIDEO: 9,
  SCRIPT_DATA: 18,
} as const;

/** §E.4.1: TagType … StreamID, before the body. */
export const TAG_HEADER_SIZE = 11;
/** §E.4.1 DataSize is a UI24. */
export const MAX_DATA_SIZE = 0xffffff;

// §E.4.1 first byte: Reserved (2 bits, 0), Filter (1 bit, 1 = encrypted), TagType (5 bits).
const TAG_TYPE_MASK = 0x1f;

export interface FlvTag {
  /** §E.4.1 TagType: 8 audio, 9 video, 18 script data. */
  type: number;
  /** Milliseconds, Timestamp (UI24) extended by TimestampExtended as its upper 8 bits. */
  timestamp: number;
  /** AUDIODATA, VIDEODATA or SCRIPTDATA (§E.4.2–E.4.4), as RTMP carries it. */
  body: Buffer;
}

export interface FlvTagHeader {
  type: number;
  dataSize: number;
  timestamp: number;
}

/** The tag and its PreviousTagSize in one preallocated buffer: one allocation, one copy of the body. */
export function encodeFlvTag(type: number, timestamp: number, body: Buffer): Buffer {
  if (body.length > MAX_DATA_SIZE) throw new ProtocolError('FLV_MALFORMED', `FLV tag body of ${body.length} bytes exceeds the 24-bit DataSize`);
  const tagSize = TAG_HEADER_SIZE + body.length;
  const bytes = Buffer.allocUnsafe(tagSize + PREVIOUS_TAG_SIZE_BYTES);
  bytes[0] = type;
  bytes.writeUIntBE(body.length, 1, 3);
  bytes.writeUIntBE(timestamp & 0xffffff, 4, 3);
  bytes[7] = timestamp >>> 24; // TimestampExtended
  bytes.writeUIntBE(0, 8, 3); // StreamID: always 0
  body.copy(bytes, TAG_HEADER_SIZE);
  bytes.writeUInt32BE(tagSize, tagSize);
  return bytes;
}

/** Reads the first TAG_HEADER_SIZE bytes of `bytes`; StreamID is ignored as real demuxers do. */
export function decodeFlvTagHeader(bytes: Buffer): FlvTagHeader {
  if ((bytes[0] & ~TAG_TYPE_MASK) !== 0) {
    throw new ProtocolError('FLV_MALFORMED', `FLV tag has Reserved or Filter (encryption) bits set: 0x${bytes[0].toString(16)}`);
  }
  return {
    type: bytes[0],
    dataSize: bytes.readUIntBE(1, 3),
    timestamp: (bytes.readUIntBE(4, 3) | (bytes[7] << 24)) >>> 0,
  };
}
