// A counting RTMP chunk reader for bench players (Adobe RTMP 1.0 spec §5.3): it walks chunk headers to
// find message boundaries, type ids and timestamps, and skips media payloads without assembling them.
// Only small non-media messages (protocol control, commands, data) are assembled for the client.
import { ProtocolError } from '../src/server/errors';
import { DEFAULT_CHUNK_SIZE, EXTENDED_TIMESTAMP_MARKER, MESSAGE_HEADER_SIZE } from '../src/server/rtmp/chunk/chunk-header';
import { MessageTypeId } from '../src/server/rtmp/messages';

/** Largest chunk header: 3-byte basic header, 11-byte message header, 4-byte extended timestamp (§5.3.1). */
const MAX_HEADER_SIZE = 18;
/** Largest non-media message assembled by default: commands and metadata are a few hundred bytes. */
const DEFAULT_MAX_ASSEMBLED_SIZE = 1 << 20;

export interface ChunkWalkerSink {
  /** A complete audio or video message; `keyframe` marks a coded video keyframe, not a sequence header. */
  onMedia(typeId: number, timestamp: number, keyframe: boolean): void;
  /** A complete non-media message with its assembled body (valid only during the call). */
  onMessage(typeId: number, streamId: number, timestamp: number, payload: Buffer): void;
}

export interface ChunkWalkerOptions {
  /** Largest non-media message body assembled; larger ones fail with MESSAGE_TOO_LARGE. Default 1 MiB. */
  maxAssembledSize?: number;
}

/** What the walker remembers per chunk stream (§5.3.1.2: later headers inherit from earlier ones). */
class ChunkStream {
  opened = false;
  timestamp = 0;
  /** Timestamp field of the last header: the delta a type 3 chunk starting a new message adds. */
  delta = 0;
  length = 0;
  typeId = 0;
  streamId = 0;
  /** The last header carried an extended timestamp, so type 3 chunks carry one too (§5.3.1.3). */
  extended = false;
  /** Bytes of the current message not yet received; 0 between messages. */
  remaining = 0;
  /** Leading bytes of a video message seen so far (up to 2: frame type, codec or packet type, AVC packet type). */
  headSeen = 0;
  head0 = 0;
  head1 = 0;
  body: Buffer | null = null;
}

function isMedia(typeId: number): boolean {
  return typeId === MessageTypeId.Audio || typeId === MessageTypeId.Video;
}

/** Video codec ids whose second byte is a packet type, 1 = coded frames (FLV spec E.4.3.1, E.4.3.2; HEVC as ffmpeg 6 writes it). */
const AVC = 7;
const LEGACY_HEVC = 12;
/** Enhanced RTMP ExVideoTagHeader packet types that carry frames: CodedFrames, CodedFramesX. */
const EX_CODED_FRAMES = 1;
const EX_CODED_FRAMES_X = 3;

/** A key frame with picture data: frame type 1 (FLV spec E.4.3.1), not a sequence header or end of sequence. */
export function isCodedKeyframe(head0: number, head1: number): boolean {
  if (((head0 >>> 4) & 0x07) !== 1) return false;
  if ((head0 & 0x80) !== 0) {
    const packetType = head0 & 0x0f;
    return packetType === EX_CODED_FRAMES || packetType === EX_CODED_FRAMES_X;
  }
  const codecId = head0 & 0x0f;
  return codecId === AVC || codecId === LEGACY_HEVC ? head1 === 1 : true;
}

export class ChunkWalker {
  private chunkSize = DEFAULT_CHUNK_SIZE;
  private readonly streams = new Map<number, ChunkStream>();
  private readonly maxAssembledSize: number;
  /** A chunk header split across reads is gathered here. */
  private readonly stash = Buffer.allocUnsafe(MAX_HEADER_SIZE);
  private stashLength = 0;
  /** Chunk stream whose chunk payload is being read, or null while a header is expected. */
  private current: ChunkStream | null = null;
  /** Payload bytes left in the current chunk. */
  private chunkLeft = 0;

  constructor(
    private readonly sink: ChunkWalkerSink,
    options: ChunkWalkerOptions = {},
  ) {
    this.maxAssembledSize = options.maxAssembledSize ?? DEFAULT_MAX_ASSEMBLED_SIZE;
  }

  /** Walks `bytes`, which may end anywhere; nothing of it is kept after the call returns. */
  push(bytes: Buffer): void {
    let offset = 0;
    const end = bytes.length;
    while (offset < end) {
      if (this.current === null) {
        offset = this.stashLength === 0 ? this.headerInPlace(bytes, offset, end) : this.headerFromStash(bytes, offset, end);
      } else {
        offset = this.payload(this.current, bytes, offset, end);
      }
    }
  }

  private headerInPlace(bytes: Buffer, offset: number, end: number): number {
    const size = this.header(bytes, offset, end - offset);
    if (size > 0) return offset + size;
    this.stashLength = bytes.copy(this.stash, 0, offset, end);
    return end;
  }

  private headerFromStash(bytes: Buffer, offset: number, end: number): number {
    const before = this.stashLength;
    const copied = bytes.copy(this.stash, before, offset, Math.min(end, offset + MAX_HEADER_SIZE - before));
    const size = this.header(this.stash, 0, before + copied);
    if (size === 0) {
      this.stashLength += copied;
      return offset + copied;
    }
    this.stashLength = 0;
    return offset + size - before;
  }

  /** Parses one chunk header (§5.3.1) from `available` bytes; returns its size, or 0 (nothing changed) if incomplete. */
  private header(src: Buffer, start: number, available: number): number {
    const format = src[start] >>> 6;
    let chunkStreamId = src[start] & 0x3f;
    let p = start + 1;
    if (chunkStreamId === 0) {
      if (available < 2) return 0;
      chunkStreamId = 64 + src[p];
      p += 1;
    } else if (chunkStreamId === 1) {
      if (available < 3) return 0;
      chunkStreamId = 64 + src[p] + (src[p + 1] << 8);
      p += 2;
    }
    const messageHeaderSize = MESSAGE_HEADER_SIZE[format];
    if (p - start + messageHeaderSize > available) return 0;
    const cs = this.chunkStream(chunkStreamId);
    const timestampField = format < 3 ? src.readUIntBE(p, 3) : 0;
    const extended = format < 3 ? timestampField === EXTENDED_TIMESTAMP_MARKER : cs.extended;
    const size = p - start + messageHeaderSize + (extended ? 4 : 0);
    if (size > available) return 0;
    if (format > 0 && !cs.opened) {
      throw new ProtocolError('CHUNK_NO_PREVIOUS_HEADER', `type ${format} chunk on chunk stream ${chunkStreamId} before any type 0`);
    }
    const field = extended ? src.readUInt32BE(p + messageHeaderSize) : timestampField;
    cs.extended = extended;
    const startsMessage = format < 3 || cs.remaining === 0;
    if (format === 0) {
      cs.opened = true;
      cs.timestamp = field;
      cs.streamId = src.readUInt32LE(p + 7);
    } else if (format < 3) {
      cs.timestamp = (cs.timestamp + field) >>> 0;
    } else if (startsMessage) {
      cs.timestamp = (cs.timestamp + cs.delta) >>> 0;
    }
    if (format < 3) cs.delta = field;
    if (format < 2) {
      cs.length = src.readUIntBE(p + 3, 3);
      cs.typeId = src[p + 6];
    }
    if (startsMessage) this.startMessage(cs);
    this.current = cs;
    this.chunkLeft = Math.min(this.chunkSize, cs.remaining);
    if (cs.remaining === 0) this.completeMessage(cs);
    return size;
  }

  private startMessage(cs: ChunkStream): void {
    cs.remaining = cs.length;
    if (isMedia(cs.typeId)) {
      cs.headSeen = cs.typeId === MessageTypeId.Video ? 0 : 2;
      cs.head0 = cs.head1 = 0;
      cs.body = null;
      return;
    }
    if (cs.length > this.maxAssembledSize) {
      throw new ProtocolError('MESSAGE_TOO_LARGE', `type ${cs.typeId} message of ${cs.length} bytes`);
    }
    cs.body = Buffer.allocUnsafe(cs.length);
  }

  private payload(cs: ChunkStream, bytes: Buffer, offset: number, end: number): number {
    const n = Math.min(this.chunkLeft, end - offset);
    if (cs.headSeen < 2) this.readHead(cs, bytes, offset, n);
    if (cs.body !== null) bytes.copy(cs.body, cs.length - cs.remaining, offset, offset + n);
    cs.remaining -= n;
    this.chunkLeft -= n;
    if (this.chunkLeft === 0 && cs.remaining === 0) this.completeMessage(cs);
    else if (this.chunkLeft === 0) this.current = null;
    return offset + n;
  }

  /** Keeps the first two bytes of a video message, which may arrive in different reads. */
  private readHead(cs: ChunkStream, bytes: Buffer, offset: number, n: number): void {
    if (n === 0) return;
    if (cs.headSeen === 0) {
      cs.head0 = bytes[offset];
      cs.headSeen = 1;
      if (n === 1) return;
      offset += 1;
    }
    cs.head1 = bytes[offset];
    cs.headSeen = 2;
  }

  private completeMessage(cs: ChunkStream): void {
    this.current = null;
    if (cs.body === null) {
      this.sink.onMedia(cs.typeId, cs.timestamp, cs.typeId === MessageTypeId.Video && isCodedKeyframe(cs.head0, cs.head1));
      return;
    }
    const body = cs.body;
    cs.body = null;
    this.control(cs.typeId, body);
    this.sink.onMessage(cs.typeId, cs.streamId, cs.timestamp, body);
  }

  /** Applies the protocol control messages that change how chunks are read (§5.4.1, §5.4.2). */
  private control(typeId: number, body: Buffer): void {
    if (typeId === MessageTypeId.SetChunkSize && body.length >= 4) {
      const size = body.readUInt32BE(0);
      if (size === 0 || size > 0x7fffffff) throw new ProtocolError('CHUNK_SIZE_INVALID', `Set Chunk Size ${size}`);
      this.chunkSize = size;
    } else if (typeId === MessageTypeId.Abort && body.length >= 4) {
      const cs = this.streams.get(body.readUInt32BE(0));
      if (cs !== undefined) {
        cs.remaining = 0;
        cs.body = null;
      }
    }
  }

  private chunkStream(id: number): ChunkStream {
    let cs = this.streams.get(id);
    if (cs === undefined) {
      cs = new ChunkStream();
      this.streams.set(id, cs);
    }
    return cs;
  }
}
