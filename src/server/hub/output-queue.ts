import type { Batch } from './batch';
import type { MediaPacket, PacketFormat } from './media-packet';

/** The transport under a reader: a socket, an HTTP response or a WebSocket. */
export interface PacketSink {
  /** Bytes the transport accepted but has not sent yet. */
  readonly pendingBytes: number;
  /** Hands a batch to the transport; false when the caller should wait for drain. */
  write(batch: Buffer[]): boolean;
  onceDrain(listener: () => void): void;
}

export interface OutputQueueOptions {
  /** Bytes queued (ours plus the transport's) above which a reader drops to the next keyframe. */
  maxQueueBytes?: number;
}

export const DEFAULT_MAX_QUEUE_BYTES = 8 * 1024 * 1024;

export interface OutputStats {
  bytesSent: number;
  packetsSent: number;
  packetsDropped: number;
  /** Times the reader fell behind and skipped to the next keyframe. */
  skips: number;
}

/**
 * A reader's bounded outgoing queue, in the manner of mediamtx's per-reader ring buffer:
 * the publisher never waits; a reader that falls behind loses media up to the next
 * keyframe (counted), while control messages and decoder headers are never dropped.
 */
export class OutputQueue {
  readonly stats: OutputStats = { bytesSent: 0, packetsSent: 0, packetsDropped: 0, skips: 0 };
  private pending: Buffer[] = [];
  private pendingMedia: boolean[] = [];
  private pendingBytes = 0;
  private waitingForDrain = false;
  private waitingForKeyframe = false;
  private closed = false;
  private readonly maxQueueBytes: number;

  constructor(
    private readonly sink: PacketSink,
    options: OutputQueueOptions = {},
  ) {
    this.maxQueueBytes = options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES;
  }

  /** Protocol bytes (commands, headers): always delivered, in order with media. */
  pushControl(bytes: Buffer): void {
    this.append(bytes, false);
  }

  /**
   * Media for this reader. `syncPoint` says the packet can start playback (a video keyframe,
   * or audio in a stream without video); after a skip, delivery resumes only there.
   */
  pushMedia(packet: MediaPacket, format: PacketFormat, syncPoint: boolean): void {
    if (this.closed) return;
    if (packet.isInit) return this.append(packet.encoded(format), false);
    if (this.waitingForKeyframe) {
      if (!syncPoint) {
        this.stats.packetsDropped++;
        return;
      }
      this.waitingForKeyframe = false;
    }
    const bytes = packet.encoded(format);
    if (this.pendingBytes + this.sink.pendingBytes + bytes.length > this.maxQueueBytes) {
      this.skipToKeyframe();
      if (!syncPoint) {
        this.stats.packetsDropped++;
        return;
      }
      this.waitingForKeyframe = false;
    }
    this.append(bytes, true);
  }

  /** Holds media back until the next sync point: for a reader joining without a cached GOP. */
  awaitSyncPoint(): void {
    this.waitingForKeyframe = true;
  }

  /** True when bytes wait to be handed to the transport. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /**
   * Hands everything queued to the transport in one write, unless it asked us to wait.
   * With the stream's batch and this reader's format, a reader holding exactly that batch
   * writes the Buffer every such reader shares.
   */
  flush(batch?: Batch, format?: PacketFormat): void {
    if (this.waitingForDrain || this.closed || this.pending.length === 0) return;
    const pending = this.pending;
    const shared = batch && format ? batch.sharedBytes(pending, format) : null;
    this.stats.bytesSent += this.pendingBytes;
    this.stats.packetsSent += pending.length;
    this.pending = [];
    this.pendingMedia = [];
    this.pendingBytes = 0;
    if (!this.sink.write(shared ? [shared] : pending)) {
      this.waitingForDrain = true;
      this.sink.onceDrain(() => {
        this.waitingForDrain = false;
        this.flush();
      });
    }
  }

  close(): void {
    this.closed = true;
    this.pending = [];
    this.pendingMedia = [];
    this.pendingBytes = 0;
  }

  private append(bytes: Buffer, media: boolean): void {
    if (this.closed) return;
    this.pending.push(bytes);
    this.pendingMedia.push(media);
    this.pendingBytes += bytes.length;
  }

  // Drops queued media (not control or headers) and waits for the next sync point.
  private skipToKeyframe(): void {
    const keep: Buffer[] = [];
    const keepMedia: boolean[] = [];
    let keptBytes = 0;
    for (let i = 0; i < this.pending.length; i++) {
      if (this.pendingMedia[i]) {
        this.stats.packetsDropped++;
        continue;
      }
      keep.push(this.pending[i]);
      keepMedia.push(false);
      keptBytes += this.pending[i].length;
    }
    this.pending = keep;
    this.pendingMedia = keepMedia;
    this.pendingBytes = keptBytes;
    this.waitingForKeyframe = true;
    this.stats.skips++;
  }
}
