import { audioInfo, videoInfo } from '../flv/media-info';
import { Batch } from './batch';
import { MediaPacket, dataPacket, type MediaKind } from './media-packet';
import { RateMeter } from './rate-meter';
import type { StreamReader } from './stream-reader';

export interface PublisherInfo {
  id: number;
  protocol: 'rtmp' | 'rtmps';
  remoteAddress: string;
}

export interface LiveStreamOptions {
  /** A GOP larger than this is not cached: late joiners then wait for the next keyframe. */
  maxGopBytes?: number;
  /**
   * How long audio and data may wait to ride in the same write as the next video frame. Video
   * never waits, nor does audio in a stream without video; halving the writes per player is
   * most of a large audience's CPU. 0 writes everything at the end of each socket read.
   */
  writeCoalesceMs?: number;
}


// Well under a reader's queue bound (DEFAULT_MAX_QUEUE_BYTES), so a joiner's burst never counts as falling behind.
export const DEFAULT_MAX_GOP_BYTES = 4 * 1024 * 1024;

// RTMP timestamps are 32-bit and wrap (RTMP 1.0 §5.3.1.3): compare them as serial numbers.
const isBefore = (a: number, b: number): boolean => ((a - b) | 0) < 0;

/**
 * One app/stream: its publisher, the decoder headers and GOP a new reader starts from,
 * and the readers it fans out to. Timestamps stay monotonic for readers across the
 * publisher leaving and coming back.
 */
export class LiveStream {
  publisher: PublisherInfo | null = null;
  publishedAt = 0;
  readonly createdAt = Date.now();
  readonly readers = new Set<StreamReader>();
  readonly codecs = { video: '', audio: '' };
  readonly inbound = { bytes: 0, packets: 0, rate: new RateMeter() };

  private metadata: MediaPacket | null = null;
  // When each reader joined, for stats ("watching since").
  private readonly joined = new WeakMap<StreamReader, number>();
  private readonly videoHeaders = new Map<number, MediaPacket>();
  private readonly audioHeaders = new Map<number, MediaPacket>();
  private gop: MediaPacket[] = [];
  private gopBytes = 0;
  private hasVideo = false;
  private readonly maxGopBytes: number;
  private readonly writeCoalesceMs: number;
  private batch = new Batch();

  private offset = 0; // added to publisher timestamps to keep reader timestamps monotonic
  // Last audio/video timestamp given to readers per kind; absent until that kind has been seen.
  private readonly lastOut = new Map<MediaKind, number>();
  // The latest audio/video timestamp readers saw (data timestamps are not trusted for this).
  private latest: number | undefined;
  private rebase = false;
  private flushQueued = false; // a flush runs after the current socket read
  private flushTimer: NodeJS.Timeout | undefined; // audio waiting for a video frame to ride with

  constructor(
    readonly app: string,
    readonly name: string,
    options: LiveStreamOptions = {},
  ) {
    this.maxGopBytes = options.maxGopBytes ?? DEFAULT_MAX_GOP_BYTES;
    this.writeCoalesceMs = options.writeCoalesceMs ?? 0;
  }

  get path(): string {
    return `${this.app}/${this.name}`;
  }

  get isLive(): boolean {
    return this.publisher !== null;
  }

  /** The publisher's last onMetaData body (AMF0), for stats to read its dimensions and rates; null without one. */
  get metadataPayload(): Buffer | null {
    return this.metadata?.payload ?? null;
  }

  /** When `reader` joined this stream (ms since the epoch); undefined for one that never did. */
  joinedAt(reader: StreamReader): number | undefined {
    return this.joined.get(reader);
  }

  startPublishing(publisher: PublisherInfo): void {
    this.publisher = publisher;
    this.publishedAt = Date.now();
    this.rebase = this.latest !== undefined;
    for (const reader of this.readers) {
      reader.queue.awaitSyncPoint();
      reader.publishStarted(this);
    }
    this.scheduleFlush();
  }

  stopPublishing(): void {
    this.publisher = null;
    this.metadata = null;
    this.videoHeaders.clear();
    this.audioHeaders.clear();
    this.clearGop();
    this.hasVideo = false;
    this.codecs.video = this.codecs.audio = '';
    for (const reader of this.readers) reader.publishEnded(this);
    this.scheduleFlush();
  }

  pushVideo(timestamp: number, payload: Buffer): void {
    const info = videoInfo(payload);
    const packet = new MediaPacket('video', this.outputTime('video', timestamp), payload, info);
    this.hasVideo = true;
    this.codecs.video = info.codec;
    if (info.sequenceHeader) this.videoHeaders.set(info.headerSlot, packet);
    else if (info.keyframe) this.startGop(packet);
    else this.extendGop(packet);
    this.fanOut(packet, info.keyframe && !info.sequenceHeader);
  }

  pushAudio(timestamp: number, payload: Buffer): void {
    const info = audioInfo(payload);
    const packet = new MediaPacket('audio', this.outputTime('audio', timestamp), payload, info);
    this.codecs.audio = info.codec;
    if (info.sequenceHeader) this.audioHeaders.set(info.headerSlot, packet);
    else this.extendGop(packet);
    this.fanOut(packet, !this.hasVideo);
  }

  /** A data message body (AMF0 values); `isMetadata` for onMetaData, kept for late joiners. */
  pushData(timestamp: number, payload: Buffer, isMetadata: boolean): void {
    const packet = dataPacket(this.outputTime('data', timestamp), payload, isMetadata);
    if (isMetadata) this.metadata = packet;
    this.fanOut(packet, false);
  }

  /** Adds a reader; if live, it starts on the decoder headers and the cached GOP at once. */
  addReader(reader: StreamReader): void {
    this.readers.add(reader);
    this.joined.set(reader, Date.now());
    if (!this.isLive) return;
    const { queue, format } = reader;
    if (this.metadata) queue.pushMedia(this.metadata, format, false);
    for (const header of this.videoHeaders.values()) queue.pushMedia(header, format, false);
    for (const header of this.audioHeaders.values()) queue.pushMedia(header, format, false);
    if (this.hasVideo && this.gop.length === 0) queue.awaitSyncPoint();
    for (const packet of this.gop) queue.pushMedia(packet, format, packet === this.gop[0]);
    queue.flush();
  }

  removeReader(reader: StreamReader): void {
    this.readers.delete(reader);
  }

  /** Everything handed to readers since the last flush goes out in one write per reader. */
  flush(): void {
    this.flushQueued = false;
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const batch = this.batch;
    this.batch = new Batch();
    for (const reader of this.readers) reader.queue.flush(batch, reader.format);
  }

  private fanOut(packet: MediaPacket, keyframe: boolean): void {
    this.inbound.bytes += packet.payload.length;
    this.inbound.packets++;
    this.inbound.rate.add(packet.payload.length);
    const syncPoint = packet.kind === 'video' ? keyframe : packet.kind === 'audio' && !this.hasVideo;
    this.batch.packets.push(packet);
    for (const reader of this.readers) reader.queue.pushMedia(packet, reader.format, syncPoint);
    this.scheduleFlush(packet.kind === 'video' || !this.hasVideo);
  }

  // Batches writes: what one socket read produced goes out in one write per reader, and with
  // writeCoalesceMs audio and data wait (bounded) for the next video frame.
  private scheduleFlush(urgent = true): void {
    if (urgent || this.writeCoalesceMs === 0) {
      if (this.flushQueued) return;
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    } else if (!this.flushQueued && !this.flushTimer) {
      this.flushTimer = setTimeout(() => this.flush(), this.writeCoalesceMs);
    }
  }

  private outputTime(kind: MediaKind, timestamp: number): number {
    if (this.rebase && this.latest !== undefined) {
      // A returning publisher restarts its clock: continue just after what readers last saw.
      this.offset = (this.latest + 1 - timestamp) >>> 0;
      this.rebase = false;
    }
    let out = (timestamp + this.offset) >>> 0;
    if (kind === 'data') return out;
    const previous = this.lastOut.get(kind);
    if (previous !== undefined && isBefore(out, previous)) out = previous;
    this.lastOut.set(kind, out);
    if (this.latest === undefined || isBefore(this.latest, out)) this.latest = out;
    return out;
  }

  private startGop(keyframe: MediaPacket): void {
    this.clearGop();
    this.extendGop(keyframe);
  }

  private extendGop(packet: MediaPacket): void {
    if (this.gop.length === 0 && !(packet.kind === 'video' && packet.info.keyframe)) return;
    this.gopBytes += packet.payload.length;
    if (this.gopBytes > this.maxGopBytes) return this.clearGop();
    this.gop.push(packet);
  }

  private clearGop(): void {
    this.gop = [];
    this.gopBytes = 0;
  }
}
