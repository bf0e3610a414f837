// Feeds MediaRecorder's Matroska to the supervisor so that every ffmpeg run, the first like a restarted one, reads a valid
// stream: the stream header (every byte before the first Cluster) first, then media from a Cluster that opens on a video keyframe.
import { EncoderError } from './errors';
import { CLUSTER_ID_BYTES, MatroskaScanner, VOID_ID, type BlockKind } from './matroska-scanner';
import type { EncoderSupervisorEvents } from './supervisor';

export interface CaptureStreamOptions {
  /** Most bytes kept as the stream header (EBML header, Segment start, Info, Tracks…) before the first Cluster. */
  maxHeaderBytes?: number;
  /** Most bytes of a Cluster held back (give or take one chunk) while a run waits for its first video block. */
  maxHeldBytes?: number;
}

/** What the capture stream needs of the supervisor: write() and the run events. */
export interface CaptureTarget {
  write(chunk: Buffer): Promise<void>;
  on<K extends 'start' | 'restart'>(event: K, listener: (...args: EncoderSupervisorEvents[K]) => void): unknown;
}

/**
 * waiting: no ffmpeg run to feed (before the first start, between runs); bytes are scanned, not sent.
 * replay: a run started; the first write() once the header is whole sends it the header first.
 * resync: the header went out; bytes are held or dropped up to a Cluster whose first video block is a keyframe.
 * live: every byte goes to the running ffmpeg.
 */
type CaptureState = 'waiting' | 'replay' | 'resync' | 'live';

const DEFAULTS: Required<CaptureStreamOptions> = { maxHeaderBytes: 1024 * 1024, maxHeldBytes: 4 * 1024 * 1024 };

export class CaptureStream {
  private readonly options: Required<CaptureStreamOptions>;
  private readonly scanner: MatroskaScanner;
  private state: CaptureState = 'waiting';
  /** Copies of the bytes scanned so far while the first Cluster has not arrived; emptied once the header is whole. */
  private headerParts: Buffer[] = [];
  private headerValue: Buffer | null = null;
  /** Stream offset of the first Cluster, where the header ends; -1 until it arrives. */
  private firstCluster = -1;
  /** Stream offset of the chunk being scanned. */
  private chunkStart = 0;
  /** While a run seeks where its media starts, the Cluster it may start at once its first video block shows a keyframe; -1 for none. */
  private candidate = -1;
  /** The candidate's bytes from before the chunk being scanned (its ID's first bytes rebuilt when a chunk boundary cut it). */
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** The candidate's blocks of other tracks before its first video block: they go out as Void elements. */
  private voids: number[] = [];
  /** Stream offset of the Cluster that ends a resync in the chunk being scanned; -1 until one is found. */
  private resumeAt = -1;
  private error: EncoderError | null = null;
  /** Stream offset just past the last byte after the header some run was given. */
  private sentUpTo = 0;
  /** Stream bytes after the header some run was given, each counted once. */
  private delivered = 0;

  /** Attach before target.start(): the first run's 'start' is what lets bytes through. */
  constructor(
    private readonly target: CaptureTarget,
    options: CaptureStreamOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
    this.scanner = new MatroskaScanner({ cluster: (offset) => this.clusterAt(offset), block: (offset, kind) => this.blockAt(offset, kind) });
    target.on('restart', () => {
      this.state = 'waiting';
      this.dropCandidate();
    });
    // Every run takes the same path: nothing until the header is whole, then the header, then resync.
    target.on('start', () => {
      this.state = 'replay';
    });
  }

  /** Bytes of the capture no run was given: those between runs and those a run skipped to reach a keyframe; every run gets the header. */
  get droppedBytes(): number {
    const headerEnd = this.firstCluster >= 0 ? this.firstCluster : this.scanner.offset;
    const pending = this.candidate >= 0 ? this.scanner.offset - Math.max(this.candidate, this.sentUpTo) : 0;
    return this.scanner.offset - headerEnd - this.delivered - pending;
  }

  /** The stream header (every byte before the first Cluster), once the first Cluster has arrived. */
  get header(): Buffer | null {
    return this.headerValue;
  }

  /** Scans a chunk of MediaRecorder output and sends what the current run may read; rejects on bytes that are not Matroska. */
  write(chunk: Buffer): Promise<void> {
    if (this.error !== null) return Promise.reject(this.error);
    const start = this.scanner.offset;
    this.chunkStart = start;
    this.resumeAt = -1;
    try {
      this.scanner.push(chunk);
      if (this.headerValue === null) this.keepHeader(chunk, start);
    } catch (error) {
      this.error = error as EncoderError;
      return Promise.reject(this.error);
    }
    // The header goes first, once whole: ffmpeg probes the stream from it.
    const replay = this.state === 'replay' ? this.headerValue : null;
    if (replay !== null) this.state = 'resync';
    const media = this.sendable(chunk, start);
    if (replay === null) return media === null ? Promise.resolve() : this.target.write(media);
    return this.target.write(media === null ? replay : Buffer.concat([replay, media]));
  }

  // The first Cluster ends the header; while a run seeks where its media starts, each Cluster is a candidate until its first video block is known.
  private clusterAt(offset: number): void {
    if (this.firstCluster < 0) this.firstCluster = offset;
    if (!this.seeking || this.resumeAt >= 0) return;
    // Resuming only at a Cluster led by a keyframe drops at most one keyframe interval, which the restart already costs.
    this.candidate = offset;
    this.voids = [];
    // A chunk boundary cut the Cluster ID: its leading bytes are known, so they are written again and not lost after all.
    this.held = offset < this.chunkStart ? [CLUSTER_ID_BYTES.subarray(0, this.chunkStart - offset)] : [];
    this.heldBytes = Math.max(0, this.chunkStart - offset);
    if (this.scanner.videoTrack === null) this.resumeAt = offset;
  }

  // ffmpeg probes a single packet (-probesize 32): unless that is the keyframe, it writes an empty AVC sequence header.
  // So blocks of other tracks ahead of the keyframe become Void, and a Cluster that opens on another frame is passed by.
  private blockAt(offset: number, kind: BlockKind): void {
    if (!this.seeking || this.candidate < 0 || this.resumeAt >= 0) return;
    if (kind === 'other') this.voids.push(offset);
    else if (kind === 'key') this.resumeAt = this.candidate;
    else this.dropCandidate();
  }

  /** A run waits for the Cluster its media starts at, with the header sent or not yet whole. */
  private get seeking(): boolean {
    return this.state === 'replay' || this.state === 'resync';
  }

  private dropCandidate(): void {
    this.candidate = -1;
    this.held = [];
    this.heldBytes = 0;
    this.voids = [];
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
    const end = start + chunk.length;
    if (this.state === 'live') {
      this.deliver(start, end);
      return chunk;
    }
    if (this.state !== 'resync') return null;
    if (this.resumeAt >= 0) {
      const media = this.resumed(chunk, start);
      this.deliver(this.resumeAt, end);
      this.state = 'live';
      this.dropCandidate();
      return media;
    }
    if (this.candidate < 0) return null;
    const part = Buffer.from(chunk.subarray(Math.max(0, this.candidate - start)));
    this.held.push(part);
    this.heldBytes += part.length;
    if (this.heldBytes > this.options.maxHeldBytes) this.dropCandidate();
    return null;
  }

  /** The run's media from the Cluster it resumes at: the bytes held for it, the chunk's from there, the leading blocks of other tracks as Void. */
  private resumed(chunk: Buffer, start: number): Buffer {
    const rest = chunk.subarray(Math.max(0, this.resumeAt - start));
    if (this.held.length === 0 && this.voids.length === 0) return rest;
    const media = Buffer.concat([...this.held, rest]);
    for (const offset of this.voids) media[offset - this.resumeAt] = VOID_ID;
    return media;
  }

  /** Counts the stream bytes from `from` to `to` as given to a run, those some run had already been given only once. */
  private deliver(from: number, to: number): void {
    this.delivered += Math.max(0, to - Math.max(from, this.sentUpTo));
    this.sentUpTo = Math.max(this.sentUpTo, to);
  }
}
