// Feeds MediaRecorder's Matroska to the supervisor so that every ffmpeg run, a restarted one too, reads a valid stream:
// the stream header (every byte before the first Cluster) first, then media from a Cluster start.
import { EncoderError } from './errors';
import { CLUSTER_ID_BYTES, MatroskaScanner } from './matroska-scanner';
import type { EncoderSupervisorEvents } from './supervisor';

export interface CaptureStreamOptions {
  /** Most bytes kept as the stream header (EBML header, Segment start, Info, Tracks…) before the first Cluster. */
  maxHeaderBytes?: number;
}

/** What the capture stream needs of the supervisor: write() and the run events. */
export interface CaptureTarget {
  write(chunk: Buffer): Promise<void>;
  on<K extends 'start' | 'restart'>(event: K, listener: (...args: EncoderSupervisorEvents[K]) => void): unknown;
}

/**
 * waiting: no ffmpeg run to feed (before the first start, between runs); bytes are scanned, not sent.
 * replay: a run started after bytes flowed; the next write() sends it the header first.
 * resync: the header went out; bytes are dropped up to the next Cluster start.
 * live: every byte goes to the running ffmpeg.
 */
type CaptureState = 'waiting' | 'replay' | 'resync' | 'live';

const DEFAULTS: Required<CaptureStreamOptions> = { maxHeaderBytes: 1024 * 1024 };

export class CaptureStream {
  private readonly options: Required<CaptureStreamOptions>;
  private readonly scanner: MatroskaScanner;
  private state: CaptureState = 'waiting';
  /** Copies of the bytes scanned so far while the first Cluster has not arrived; emptied once the header is whole. */
  private headerParts: Buffer[] = [];
  private headerValue: Buffer | null = null;
  /** Stream offset of the first Cluster, where the header ends; -1 until it arrives. */
  private firstCluster = -1;
  /** Stream offset of the Cluster that ends a resync in the chunk being scanned; -1 until one is seen. */
  private resumeAt = -1;
  private error: EncoderError | null = null;
  /** Stream offset just past the last byte some run was given. */
  private sentUpTo = 0;
  /** Bytes of the capture no run was given: those between runs and the partial Cluster a restart skipped. */
  droppedBytes = 0;

  /** Attach before target.start(): the first run's 'start' is what lets bytes through. */
  constructor(
    private readonly target: CaptureTarget,
    options: CaptureStreamOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.scanner = new MatroskaScanner((offset) => this.clusterAt(offset));
    target.on('restart', () => {
      this.state = 'waiting';
    });
    // A run that starts after bytes flowed missed the header; one that starts first reads the stream from byte 0.
    target.on('start', () => {
      this.state = this.scanner.offset === 0 ? 'live' : 'replay';
    });
  }

  /** The stream header (every byte before the first Cluster), once the first Cluster has arrived. */
  get header(): Buffer | null {
    return this.headerValue;
  }

  /** Scans a chunk of MediaRecorder output and sends what the current run may read; rejects on bytes that are not Matroska. */
  write(chunk: Buffer): Promise<void> {
    if (this.error !== null) return Promise.reject(this.error);
    const start = this.scanner.offset;
    // The header (or its part seen so far, when the run starts before the first Cluster) goes first.
    const replay = this.state === 'replay' ? (this.headerValue ?? Buffer.concat(this.headerParts)) : null;
    if (replay !== null) this.state = this.headerValue === null ? 'live' : 'resync';
    this.resumeAt = -1;
    try {
      this.scanner.push(chunk);
      if (this.headerValue === null) this.keepHeader(chunk, start);
    } catch (error) {
      this.error = error as EncoderError;
      return Promise.reject(this.error);
    }
    const media = this.sendable(chunk, start);
    if (replay === null) return media === null ? Promise.resolve() : this.target.write(media);
    return this.target.write(media === null ? replay : Buffer.concat([replay, media]));
  }

  // The first Cluster ends the header; the first one seen while resyncing is where the restarted run's media begins.
  private clusterAt(offset: number): void {
    if (this.firstCluster < 0) this.firstCluster = offset;
    if (this.state === 'resync' && this.resumeAt < 0) this.resumeAt = offset;
  }

  // Keeps every byte up to the first Cluster, within maxHeaderBytes; until it arrives the kept bytes may end inside its ID.
  private keepHeader(chunk: Buffer, start: number): void {
    const headerEnd = this.firstCluster >= 0 ? this.firstCluster : this.scanner.offset - (CLUSTER_ID_BYTES.length - 1);
    if (headerEnd > this.options.maxHeaderBytes) {
      throw new EncoderError('CAPTURE_HEADER_TOO_LARGE', `no Cluster within the first ${this.options.maxHeaderBytes} bytes of the capture`);
    }
    const end = this.firstCluster >= 0 ? this.firstCluster : this.scanner.offset;
    if (end > start) this.headerParts.push(Buffer.from(chunk.subarray(0, end - start)));
    if (this.firstCluster < 0) return;
    this.headerValue = Buffer.concat(this.headerParts).subarray(0, this.firstCluster);
    this.headerParts = [];
  }

  /** The part of the chunk the running ffmpeg may read now, or null for none. */
  private sendable(chunk: Buffer, start: number): Buffer | null {
    if (this.state === 'live') {
      this.sentUpTo = start + chunk.length;
      return chunk;
    }
    if (this.state === 'resync' && this.resumeAt >= 0) {
      const { resumeAt, sentUpTo } = this;
      this.state = 'live';
      this.sentUpTo = start + chunk.length;
      this.droppedBytes += Math.max(0, resumeAt - start);
      if (resumeAt >= start) return chunk.subarray(resumeAt - start);
      // A chunk boundary cut the Cluster ID: its leading bytes are known, so they are written again and not lost after all.
      this.droppedBytes -= start - Math.max(resumeAt, sentUpTo);
      return Buffer.concat([CLUSTER_ID_BYTES.subarray(0, start - resumeAt), chunk]);
    }
    this.droppedBytes += chunk.length;
    return null;
  }
}
