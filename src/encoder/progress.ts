// A push parser for ffmpeg's `-progress` output: key=value lines, each block closed by progress=continue|end.

/** One progress block; null where ffmpeg reported N/A (nothing encoded yet). */
export interface ProgressSnapshot {
  frame: number;
  fps: number;
  bitrateKbps: number | null;
  totalSizeBytes: number | null;
  outTimeUs: number | null;
  dupFrames: number;
  dropFrames: number;
  /** Encoding speed relative to real time: 1 is live, below 1 falls behind. */
  speed: number | null;
  /** True on the last block, written as ffmpeg exits. */
  ended: boolean;
}

export interface FfmpegProgressOptions {
  /** A line longer than this is skipped up to its newline instead of buffered. */
  maxLineBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 1024;

const NEWLINE = 0x0a;

const emptySnapshot = (): ProgressSnapshot => ({
  frame: 0, fps: 0, bitrateKbps: null, totalSizeBytes: null, outTimeUs: null, dupFrames: 0, dropFrames: 0, speed: null, ended: false,
});

// parseFloat reads the number in front of a unit ("812.3kbits/s", "1.01x") and yields NaN for "N/A".
const numberOrNull = (value: string): number | null => {
  const parsed = Number.parseFloat(value);
  return Number.isFinite(parsed) ? parsed : null;
};

export class FfmpegProgress {
  private readonly maxLineBytes: number;
  private block = emptySnapshot();
  // Bytes of a line split across chunks; lines are short, so keeping a small string is cheap.
  private partial = '';
  private skipping = false;

  constructor(
    private readonly onSnapshot: (snapshot: ProgressSnapshot) => void,
    { maxLineBytes = DEFAULT_MAX_LINE_BYTES }: FfmpegProgressOptions = {},
  ) {
    this.maxLineBytes = maxLineBytes;
  }

  push(chunk: Buffer): void {
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      if (this.skipping) this.skipping = false;
      else this.line(this.partial + chunk.toString('latin1', start, end));
      this.partial = '';
      start = end + 1;
    }
    if (start === chunk.length || this.skipping) return;
    this.partial += chunk.toString('latin1', start);
    if (this.partial.length > this.maxLineBytes) {
      this.partial = '';
      this.skipping = true;
    }
  }

  private line(text: string): void {
    const equals = text.indexOf('=');
    if (equals === -1) return;
    const key = text.slice(0, equals);
    const value = text.slice(equals + 1).trim();
    const block = this.block;
    switch (key) {
      case 'frame': block.frame = numberOrNull(value) ?? 0; break;
      case 'fps': block.fps = numberOrNull(value) ?? 0; break;
      case 'bitrate': block.bitrateKbps = numberOrNull(value); break;
      case 'total_size': block.totalSizeBytes = numberOrNull(value); break;
      case 'out_time_us': block.outTimeUs = numberOrNull(value); break;
      case 'dup_frames': block.dupFrames = numberOrNull(value) ?? 0; break;
      case 'drop_frames': block.dropFrames = numberOrNull(value) ?? 0; break;
      case 'speed': block.speed = numberOrNull(value); break;
      case 'progress':
        block.ended = value === 'end';
        this.block = emptySnapshot();
        this.onSnapshot(block);
        break;
    }
  }
}
