// A push scanner that frames Matroska's top elements (RFC 8794 EBML) just far enough to say where each Cluster starts.
import { EncoderError } from './errors';

/** Matroska element IDs, with their VINT markers as written on the wire. */
export const EBML_HEADER_ID = 0x1a45dfa3;
export const SEGMENT_ID = 0x18538067;
export const CLUSTER_ID = 0x1f43b675;
/** The Cluster ID's bytes: what precedes a Cluster start that a chunk boundary cut. */
export const CLUSTER_ID_BYTES = Buffer.of(0x1f, 0x43, 0xb6, 0x75);

// Segment children (Matroska spec §5.1): inside an unknown-sized Cluster, one of these IDs ends it (RFC 8794 §6.2).
const SEGMENT_CHILDREN = new Set([
  0x114d9b74, // SeekHead
  0x1549a966, // Info
  0x1654ae6b, // Tracks
  CLUSTER_ID,
  0x1c53bb6b, // Cues
  0x1941a469, // Attachments
  0x1043a770, // Chapters
  0x1254c367, // Tags
]);

/** Where the scanner stands: before the Segment, among the Segment's children, or among an unknown-sized Cluster's children. */
type Level = 'top' | 'segment' | 'cluster';

/** What the scanner reads next: an Element ID, an Element Data Size, or Element Data it skips. */
type ScanState = 'id' | 'size' | 'skip';

export class MatroskaScanner {
  /** Stream offset of the next byte push() will see. */
  offset = 0;
  private state: ScanState = 'id';
  private level: Level = 'top';
  private sawEbmlHeader = false;
  /** Stream offset where a known-sized Segment ends; Infinity when its size is unknown. */
  private segmentEnd = Infinity;
  // The element being framed: its ID and size grow byte by byte, since a chunk may cut them anywhere.
  private elementStart = 0;
  private id = 0;
  private vintLength = 0;
  private vintRead = 0;
  private size = 0;
  private sizeAllOnes = false;
  private skipLeft = 0;

  /** onCluster gets the stream offset of each Cluster's first ID byte, as soon as the whole ID has arrived. */
  constructor(private readonly onCluster: (offset: number) => void) {}

  /** Scans a chunk; throws EncoderError CAPTURE_INVALID on bytes that are not Matroska. */
  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.state === 'skip') {
        const step = Math.min(this.skipLeft, chunk.length - at);
        at += step;
        this.offset += step;
        this.skipLeft -= step;
        if (this.skipLeft === 0) this.state = 'id';
        continue;
      }
      const byte = chunk[at++];
      if (this.state === 'id') this.idByte(byte);
      else this.sizeByte(byte);
      this.offset++;
    }
  }

  // RFC 8794 §5: an Element ID is a VINT of 1 to 4 bytes kept with its marker; all-ones and all-zeros data are invalid.
  private idByte(byte: number): void {
    if (this.vintRead === 0) {
      if (this.level !== 'top' && this.offset >= this.segmentEnd) this.level = 'top';
      const length = vintLength(byte);
      if (length > 4) throw invalid(`Element ID at byte ${this.offset} starts with 0x${byte.toString(16)}, longer than 4 bytes`);
      this.elementStart = this.offset;
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
    if (this.level === 'cluster' && SEGMENT_CHILDREN.has(this.id)) this.level = 'segment';
    if (this.id === CLUSTER_ID && this.level === 'segment') this.onCluster(this.elementStart);
    this.vintRead = 0;
    this.state = 'size';
  }

  // RFC 8794 §4: a VINT of 1 to 8 bytes; all value bits set means an unknown size (§6.2).
  private sizeByte(byte: number): void {
    if (this.vintRead === 0) {
      this.vintLength = vintLength(byte);
      if (this.vintLength > 8) throw invalid(`Element Data Size of 0x${this.id.toString(16)} at byte ${this.offset} starts with a zero byte`);
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
    if (this.id === SEGMENT_ID && this.level === 'top') return this.enter('segment', this.offset + 1 + this.size);
    this.skipLeft = this.size;
    this.state = this.size === 0 ? 'id' : 'skip';
  }

  // Only the Segment (MediaRecorder's live output) and a Cluster within it may leave their size unknown.
  private enterUnknownSized(): void {
    if (this.id === SEGMENT_ID && this.level === 'top') return this.enter('segment', Infinity);
    if (this.id === CLUSTER_ID && this.level === 'segment') return this.enter('cluster', this.segmentEnd);
    throw invalid(`element 0x${this.id.toString(16)} at byte ${this.elementStart} has an unknown size where only a Segment or a Cluster may`);
  }

  private enter(level: Level, segmentEnd: number): void {
    this.level = level;
    this.segmentEnd = segmentEnd;
    this.state = 'id';
  }
}

/** A VINT's length from its first byte: leading zeros + 1 (RFC 8794 §4.1); 9 for a zero byte. */
function vintLength(first: number): number {
  return first === 0 ? 9 : 9 - (32 - Math.clz32(first));
}

const invalid = (message: string) => new EncoderError('CAPTURE_INVALID', message);
