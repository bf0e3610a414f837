import type { MediaKind, MediaPacket, PacketFormat } from '../hub/media-packet';
import { encodeChunksType0 } from '../rtmp/chunk';
import { MessageTypeId } from '../rtmp/messages';

// Chunk stream ids for fanned-out media, apart from the session's own (2 control, 3 commands).
const CHUNK_STREAM: Record<MediaKind, number> = { data: 5, audio: 6, video: 7 };
const TYPE_ID: Record<MediaKind, number> = { data: MessageTypeId.DataAmf0, audio: MessageTypeId.Audio, video: MessageTypeId.Video };

/** Media as RTMP chunks for one chunk size and message stream id; every player sharing both shares the bytes. */
class RtmpPacketFormat implements PacketFormat {
  constructor(
    private readonly chunkSize: number,
    private readonly streamId: number,
  ) {}

  encode(packet: MediaPacket): Buffer {
    // Type 0 headers carry absolute timestamps, so the bytes do not depend on what a player saw before.
    return encodeChunksType0(
      { chunkStreamId: CHUNK_STREAM[packet.kind], typeId: TYPE_ID[packet.kind], streamId: this.streamId, timestamp: packet.timestamp, payload: packet.payload },
      this.chunkSize,
    );
  }
}

/** The RTMP formats of one server, so players with equal settings get the same format object. */
export class RtmpFormats {
  private readonly formats = new Map<string, RtmpPacketFormat>();

  get(chunkSize: number, streamId: number): PacketFormat {
    const key = `${chunkSize}:${streamId}`;
    let format = this.formats.get(key);
    if (!format) {
      format = new RtmpPacketFormat(chunkSize, streamId);
      this.formats.set(key, format);
    }
    return format;
  }
}
