import type { MediaKind, PacketFormat } from '../hub/media-packet';
import { FlvTagType, encodeFlvTag } from './tag';

const TAG_TYPES: Record<MediaKind, number> = { audio: FlvTagType.AUDIO, video: FlvTagType.VIDEO, data: FlvTagType.SCRIPT_DATA };

/** A hub packet as one complete FLV tag with its PreviousTagSize: what HTTP-FLV and WS-FLV readers send. */
export const flvTagFormat: PacketFormat = {
  encode: (packet) => encodeFlvTag(TAG_TYPES[packet.kind], packet.timestamp, packet.payload),
};
