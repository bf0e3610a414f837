// A push scanner that frames Matroska (RFC 8794 EBML, RFC 9559 Matroska) just far enough to say where each Cluster
// starts, which track is the video, and what each block of a Cluster is: in constant memory, however the bytes are cut.
import { EncoderError } from './errors';

/** Matroska element IDs, with their VINT markers as written on the wire. */
export const EBML_HEADER_ID = 0x1a45dfa3;
export const SEGMENT_ID = 0x18538067;
export const CLUSTER_ID = 0x1f43b675;
/** The Cluster ID's bytes: what precedes a Cluster start that a chunk boundary cut. */
export const CLUSTER_ID_BYTES = Buffer.of(0x1f, 0x43, 0xb6, 0x75);
/** RFC 8794 §11.3.2 Void: one ID byte, like a SimpleBlock's or a BlockGroup's, whose data every reader skips. */
export const VOID_ID = 0xec;

const TRACKS_ID = 0x1654ae6b; // RFC 9559 §5.1.4
const TRACK_ENTRY_ID = 0xae; // §5.1.4.1
const TRACK_NUMBER_ID = 0xd7; // §5.1.4.1.1
const TRACK_TYPE_ID = 0x83; // §5.1.4.1.3
const VIDEO_TRACK_TYPE = 1; // §5.1.4.1.3: 1 = video
const SIMPLE_BLOCK_ID = 0xa3; // §5.1.3.4
const BLOCK_GROUP_ID = 0xa0; // §5.1.3.5
const BLOCK_ID = 0xa1; // §5.1.3.5.1
const REFERENCE_BLOCK_ID = 0xfb; // a BlockGroup child (§5.1.3.5): the Block needs another one to decode
/** §10 Block Structure: SimpleBlock flags bit 0 (0x80) is Keyframe. */
const KEYFRAME_FLAG = 0x80;
/** §10: after the track number VINT, a signed 16-bit timestamp and one flags byte. */
const TIMESTAMP_AND_FLAGS_BYTES = 3;

// Segment children (RFC 9559 §5.1): inside an unknown-sized Cluster, one of these IDs ends it (RFC 8794 §6.2).
const SEGMENT_CHILDREN = new Set([
  0x114d9b74, // SeekHead
  0x1549a966, // Info
  TRACKS_ID,
  CLUSTER_ID,
  0x1c53bb6b, // Cues
  0x1941a469, // Attachments
  0x1043a770, // Chapters
  0x1254c367, // Tags
]);

// The master elements the scanner reads into, by parent (0: the top level); every other element is skipped whole.
const MASTERS = new Map<number, number[]>([
  [0, [SEGMENT_ID]],
  [SEGMENT_ID, [TRACKS_ID, CLUSTER_ID]],
  [TRACKS_ID, [TRACK_ENTRY_ID]],
  [CLUSTER_ID, [BLOCK_GROUP_ID]],
]);

/**
 * What a block means to a reader starting at its Cluster: a keyframe of the video track ('key'), another frame of it
 * ('delta'), or a block of another track ('other'). A BlockGroup's Block is a keyframe when the group has no
 * ReferenceBlock (RFC 9559 §5.1.3.5 and its Random Access Points).
 */
export type BlockKind = 'key' | 'delta' | 'other';

export interface MatroskaListener {
  /** A Cluster starts at `offset` (its first ID byte); reported as soon as its whole ID has arrived. */
  cluster(offset: number): void;
  /** A SimpleBlock or BlockGroup of a Cluster starts at `offset`; reported once its header (a BlockGroup: its end) tells its kind. */
  block?(offset: number, kind: BlockKind): void;
}

/** A master element being read: its ID, its first byte, where it ends (Infinity: the stream's end) and whether its size is unknown. */
interface OpenElement {
  id: number;
  start: number;
  end: number;
  unknownSize: boolean;
}

/** What the scanner reads next: an Element ID, an Element Data Size, data it skips, an unsigned integer, or a block header. */
type ScanState = 'id' | 'size' | 'skip' | 'uint' | 'block';

export class MatroskaScanner {
  private readonly listener: MatroskaListener;
  /** Stream offset of the next byte push() will see. */
  offset = 0;
  private video: number | null = null;
  private state: ScanState = 'id';
  private sawEbmlHeader = false;
  /** Open master elements, outermost first: at most Segment > Tracks > TrackEntry or Segment > Cluster > BlockGroup. */
  private readonly open: OpenElement[] = [];
  // The element being framed: its ID and size grow byte by byte, since a chunk may cut them anywhere.
  private elementStart = 0;
  private id = 0;
  private vintLength = 0;
  private vintRead = 0;
  private size = 0;
  private sizeAllOnes = false;
  /** Data bytes of the current element not read yet. */
  private dataLeft = 0;
  // An unsigned integer (TrackNumber, TrackType) or a block header (track number VINT, timestamp, flags) being read.
  private value = 0;
  private headerRead = 0;
  private trackLength = 0;
  // The TrackEntry being read.
  private entryNumber = 0;
  private entryType = 0;
  // The BlockGroup being read: its Block's track (-1 before the Block) and whether it had a ReferenceBlock.
  private groupTrack = -1;
  private groupReferenced = false;

  /** Give a listener, or just a Cluster callback: onCluster gets each Cluster's offset as soon as its whole ID has arrived. */
  constructor(listener: MatroskaListener | ((offset: number) => void)) {
    this.listener = typeof listener === 'function' ? { cluster: listener } : listener;
  }

  /** TrackNumber of the first video TrackEntry, once that entry has ended; null before (or without a video track). */
  get videoTrack(): number | null {
    return this.video;
  }

  /** Scans a chunk; throws EncoderError CAPTURE_INVALID on bytes that are not Matroska. */
  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.state === 'skip') {
        const step = Math.min(this.dataLeft, chunk.length - at);
        at += step;
        this.offset += step;
        this.dataLeft -= step;
        if (this.dataLeft === 0) this.dataEnded();
        continue;
      }
      const byte = chunk[at++];
      this.offset++;
      if (this.state === 'id') this.idByte(byte);
      else if (this.state === 'size') this.sizeByte(byte);
      else if (this.state === 'uint') this.uintByte(byte);
      else this.blockHeaderByte(byte);
    }
  }

  private get parent(): number {
    return this.open.at(-1)?.id ?? 0;
  }

  // RFC 8794 §5: an Element ID is a VINT of 1 to 4 bytes kept with its marker; all-ones and all-zeros data are invalid.
  private idByte(byte: number): void {
    if (this.vintRead === 0) {
      const length = vintLength(byte);
      if (length > 4) throw invalid(`Element ID at byte ${this.offset - 1} starts with 0x${byte.toString(16)}, longer than 4 bytes`);
      this.elementStart = this.offset - 1;
      this.vintLength = length;
      this.id = 0;
    }
    this.id = this.id * 256 + byte;
    if (++this.vintRead < this.vintLength) return;
    const dataBits = 7 * this.vintLength;
    const data = this.id - 2 ** dataBits;
    if (data === 0 || data === 2 ** dataBits - 1) throw invalid(`Element ID 0x${this.id.toString(16)} at byte ${this.elementStart} is reserved`);
    if (!this.sawEbmlHeader && this.id !== EBML_HEADER_ID) throw invalid(`the stream starts with element 0x${this.id.toString(16)}, not the EBML header`);
    this.sawEbmlHeader = true;
    const top = this.open.at(-1);
    if (top?.id === CLUSTER_ID && top.unknownSize && SEGMENT_CHILDREN.has(this.id)) this.open.pop();
    if (this.id === CLUSTER_ID && this.parent === SEGMENT_ID) this.listener.cluster(this.elementStart);
    this.vintRead = 0;
    this.state = 'size';
  }

  // RFC 8794 §4: a VINT of 1 to 8 bytes; all value bits set means an unknown size (§6.2).
  private sizeByte(byte: number): void {
    if (this.vintRead === 0) {
      this.vintLength = vintLength(byte);
      if (this.vintLength > 8) throw invalid(`Element Data Size of 0x${this.id.toString(16)} at byte ${this.offset - 1} starts with a zero byte`);
      const mask = 0xff >> this.vintLength;
      this.size = byte & mask;
      this.sizeAllOnes = this.size === mask;
    } else {
      this.size = this.size * 256 + byte;
      this.sizeAllOnes &&= byte === 0xff;
    }
    if (++this.vintRead < this.vintLength) return;
    this.vintRead = 0;
    if (this.sizeAllOnes) return this.enterUnknownSized();
    if (this.size > Number.MAX_SAFE_INTEGER) throw invalid(`element 0x${this.id.toString(16)} at byte ${this.elementStart} declares more than 2^53 bytes`);
    this.dataLeft = this.size;
    if (MASTERS.get(this.parent)?.includes(this.id)) return this.enter(this.offset + this.size, false);
    if (this.parent === TRACK_ENTRY_ID && (this.id === TRACK_NUMBER_ID || this.id === TRACK_TYPE_ID)) return this.readUint();
    if ((this.parent === CLUSTER_ID && this.id === SIMPLE_BLOCK_ID) || (this.parent === BLOCK_GROUP_ID && this.id === BLOCK_ID)) return this.readBlockHeader();
    if (this.parent === BLOCK_GROUP_ID && this.id === REFERENCE_BLOCK_ID) this.groupReferenced = true;
    this.skipData();
  }

  // Only the Segment (MediaRecorder's live output) and a Cluster within it may leave their size unknown.
  private enterUnknownSized(): void {
    if (this.id === SEGMENT_ID && this.parent === 0) return this.enter(Infinity, true);
    // It ends at the latest where its parent ends (RFC 8794 §6.2).
    if (this.id === CLUSTER_ID && this.parent === SEGMENT_ID) return this.enter(this.open.at(-1)!.end, true);
    throw invalid(`element 0x${this.id.toString(16)} at byte ${this.elementStart} has an unknown size where only a Segment or a Cluster may`);
  }

  private enter(end: number, unknownSize: boolean): void {
    this.open.push({ id: this.id, start: this.elementStart, end, unknownSize });
    if (this.id === TRACK_ENTRY_ID) this.entryNumber = this.entryType = 0;
    if (this.id === BLOCK_GROUP_ID) {
      this.groupTrack = -1;
      this.groupReferenced = false;
    }
    this.state = 'id';
    this.closeEnded();
  }

  private skipData(): void {
    if (this.dataLeft === 0) return this.dataEnded();
    this.state = 'skip';
  }

  // RFC 8794 §7.2: an unsigned integer of 0 to 8 bytes, big-endian; 0 bytes read as 0.
  private readUint(): void {
    if (this.size > 8) throw invalid(`element 0x${this.id.toString(16)} at byte ${this.elementStart} is an unsigned integer of ${this.size} bytes, more than 8`);
    this.value = 0;
    if (this.size === 0) return this.uintRead();
    this.state = 'uint';
  }

  private uintByte(byte: number): void {
    this.value = this.value * 256 + byte;
    if (--this.dataLeft === 0) this.uintRead();
  }

  private uintRead(): void {
    if (this.id === TRACK_NUMBER_ID) this.entryNumber = this.value;
    else this.entryType = this.value;
    this.dataEnded();
  }

  private readBlockHeader(): void {
    this.headerRead = 0;
    this.state = 'block';
    if (this.dataLeft === 0) throw this.shortBlock();
  }

  // RFC 9559 §10: the track number as a VINT with its marker dropped, then (a SimpleBlock's kind) timestamp and flags.
  private blockHeaderByte(byte: number): void {
    this.dataLeft--;
    if (this.headerRead === 0) {
      this.trackLength = vintLength(byte);
      if (this.trackLength > 8) throw invalid(`the block at byte ${this.elementStart} has a track number starting with a zero byte`);
      this.value = byte & (0xff >> this.trackLength);
    } else if (this.headerRead < this.trackLength) {
      this.value = this.value * 256 + byte;
    }
    const simple = this.id === SIMPLE_BLOCK_ID;
    if (++this.headerRead < this.trackLength + (simple ? TIMESTAMP_AND_FLAGS_BYTES : 0)) {
      if (this.dataLeft === 0) throw this.shortBlock();
      return;
    }
    if (!simple) this.groupTrack = this.value;
    else this.report(this.elementStart, this.value, (byte & KEYFRAME_FLAG) !== 0);
    this.skipData();
  }

  private shortBlock(): EncoderError {
    return invalid(`the block at byte ${this.elementStart} ends inside its header`);
  }

  private report(offset: number, track: number, keyframe: boolean): void {
    const kind: BlockKind = track !== this.video ? 'other' : keyframe ? 'key' : 'delta';
    this.listener.block?.(offset, kind);
  }

  private dataEnded(): void {
    this.state = 'id';
    this.closeEnded();
  }

  // Known-sized masters end at their last byte; what they said is acted on then.
  private closeEnded(): void {
    for (let top = this.open.at(-1); top !== undefined && top.end <= this.offset; top = this.open.at(-1)) {
      this.open.pop();
      if (top.id === TRACK_ENTRY_ID && this.entryType === VIDEO_TRACK_TYPE && this.video === null) this.video = this.entryNumber;
      if (top.id === BLOCK_GROUP_ID && this.groupTrack >= 0) this.report(top.start, this.groupTrack, !this.groupReferenced);
    }
  }
}

/** A VINT's length from its first byte: leading zeros + 1 (RFC 8794 §4.1); 9 for a zero byte. */
function vintLength(first: number): number {
  return first === 0 ? 9 : 9 - (32 - Math.clz32(first));
}

const invalid = (message: string) => new EncoderError('CAPTURE_INVALID', message);
