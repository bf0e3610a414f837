// The FLV file header (FLV spec v10.1 §E.2) and the PreviousTagSize0 that follows it (§E.3).

import { ProtocolError } from '../errors';

/** §E.2 DataOffset for version 1: the header is 9 bytes. */
export const FLV_HEADER_SIZE = 9;
/** §E.3 each PreviousTagSize field is a UI32. */
export const PREVIOUS_TAG_SIZE_BYTES = 4;
export const FLV_VERSION = 1;

// §E.2 TypeFlags: TypeFlagsAudio is bit 2, TypeFlagsVideo bit 0.
const FLAG_AUDIO = 0x04;
const FLAG_VIDEO = 0x01;

export interface FlvHeader {
  audio: boolean;
  video: boolean;
  /** §E.2 DataOffset: where the body starts; 9 for version 1, larger only in future versions. */
  dataOffset: number;
}

/** The 9-byte header plus PreviousTagSize0 (always 0): what a player reads before the first tag. */
export function encodeFlvHeader(flags: { audio: boolean; video: boolean }): Buffer {
  const bytes = Buffer.alloc(FLV_HEADER_SIZE + PREVIOUS_TAG_SIZE_BYTES);
  bytes.write('FLV', 0, 'latin1');
  bytes[3] = FLV_VERSION;
  bytes[4] = (flags.audio ? FLAG_AUDIO : 0) | (flags.video ? FLAG_VIDEO : 0);
  bytes.writeUInt32BE(FLV_HEADER_SIZE, 5);
  return bytes;
}

/** Reads the first FLV_HEADER_SIZE bytes of `bytes`. */
export function decodeFlvHeader(bytes: Buffer): FlvHeader {
  if (bytes[0] !== 0x46 || bytes[1] !== 0x4c || bytes[2] !== 0x56) {
    throw new ProtocolError('FLV_MALFORMED', 'FLV signature is not "FLV"');
  }
  if (bytes[3] !== FLV_VERSION) throw new ProtocolError('FLV_MALFORMED', `FLV version ${bytes[3]} is not 1`);
  const dataOffset = bytes.readUInt32BE(5);
  if (dataOffset < FLV_HEADER_SIZE) throw new ProtocolError('FLV_MALFORMED', `FLV DataOffset ${dataOffset} is below ${FLV_HEADER_SIZE}`);
  return { audio: (bytes[4] & FLAG_AUDIO) !== 0, video: (bytes[4] & FLAG_VIDEO) !== 0, dataOffset };
}
