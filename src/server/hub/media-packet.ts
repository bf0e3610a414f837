import type { MediaInfo } from '../flv/media-info';

export type MediaKind = 'audio' | 'video' | 'data';

/** Turns a packet into the bytes one kind of reader needs; its identity is the cache key. */
export interface PacketFormat {
  encode(packet: MediaPacket): Buffer;
}

/**
 * One audio, video or data message of a live stream, as the hub hands it to every reader.
 * Each output format is encoded once and the same Buffer is written to every reader of it.
 */
export class MediaPacket {
  private formats: PacketFormat[] = [];
  private encodings: Buffer[] = [];

  constructor(
    readonly kind: MediaKind,
    /** Stream time in ms, modulo 2^32, already monotonic for this stream. */
    readonly timestamp: number,
    readonly payload: Buffer,
    readonly info: MediaInfo,
  ) {}

  /** Decoder state a reader needs before media: sequence headers and metadata. */
  get isInit(): boolean {
    return this.info.sequenceHeader;
  }

  encoded(format: PacketFormat): Buffer {
    // A handful of formats per stream at most: a linear scan beats a Map here.
    for (let i = 0; i < this.formats.length; i++) if (this.formats[i] === format) return this.encodings[i];
    const bytes = format.encode(this);
    this.formats.push(format);
    this.encodings.push(bytes);
    return bytes;
  }
}

const DATA_INFO: MediaInfo = { sequenceHeader: false, headerSlot: 0, keyframe: false, codec: 'AMF', track: 0 };
const METADATA_INFO: MediaInfo = { sequenceHeader: true, headerSlot: 0, keyframe: false, codec: 'AMF', track: 0 };

export const dataPacket = (timestamp: number, payload: Buffer, isMetadata: boolean): MediaPacket =>
  new MediaPacket('data', timestamp, payload, isMetadata ? METADATA_INFO : DATA_INFO);
