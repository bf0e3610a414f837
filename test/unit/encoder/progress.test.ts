import { describe, expect, it } from 'vitest';
import { FfmpegProgress, type ProgressSnapshot } from '../../../src/encoder/progress';

// Two blocks as ffmpeg 5.1 writes them with -progress pipe:1 (the first before any output, the last at exit).
const OUTPUT = Buffer.from(
  [
    'frame=1', 'fps=0.00', 'stream_0_0_q=0.0', 'bitrate=N/A', 'total_size=N/A', 'out_time_us=0', 'out_time_ms=0',
    'out_time=00:00:00.000000', 'dup_frames=0', 'drop_frames=0', 'speed=N/A', 'progress=continue',
    'frame=152', 'fps=29.97', 'stream_0_0_q=23.0', 'bitrate=2480.4kbits/s', 'total_size=1572864', 'out_time_us=5066667',
    'out_time_ms=5066667', 'out_time=00:00:05.066667', 'dup_frames=2', 'drop_frames=3', 'speed=1.01x', 'progress=end',
    '',
  ].join('\n'),
);

const EXPECTED: ProgressSnapshot[] = [
  { frame: 1, fps: 0, bitrateKbps: null, totalSizeBytes: null, outTimeUs: 0, dupFrames: 0, dropFrames: 0, speed: null, ended: false },
  { frame: 152, fps: 29.97, bitrateKbps: 2480.4, totalSizeBytes: 1572864, outTimeUs: 5066667, dupFrames: 2, dropFrames: 3, speed: 1.01, ended: true },
];

function parse(chunks: Buffer[], maxLineBytes?: number): ProgressSnapshot[] {
  const snapshots: ProgressSnapshot[] = [];
  const parser = new FfmpegProgress((snapshot) => snapshots.push(snapshot), { maxLineBytes });
  for (const chunk of chunks) parser.push(chunk);
  return snapshots;
}

describe('FfmpegProgress', () => {
  it('emits one snapshot per block, N/A as null and units stripped', () => {
    expect(parse([OUTPUT])).toEqual(EXPECTED);
  });

  it('gives the same snapshots fed one byte at a time', () => {
    expect(parse([...OUTPUT].map((byte) => Buffer.of(byte)))).toEqual(EXPECTED);
  });

  it('gives the same snapshots split at every point', () => {
    for (let at = 0; at <= OUTPUT.length; at++) {
      expect(parse([OUTPUT.subarray(0, at), OUTPUT.subarray(at)]), `split at ${at}`).toEqual(EXPECTED);
    }
  });

  it('emits nothing until the block is closed by a progress line', () => {
    expect(parse([Buffer.from('frame=10\nfps=25.0\n')])).toEqual([]);
  });

  it('accepts CRLF line ends (ffmpeg on Windows)', () => {
    expect(parse([Buffer.from(OUTPUT.toString().replaceAll('\n', '\r\n'))])).toEqual(EXPECTED);
  });

  it('skips a line longer than maxLineBytes and goes on with the next ones', () => {
    const long = Buffer.from(`frame=${'9'.repeat(100)}\nframe=7\nprogress=continue\n`);
    expect(parse([long.subarray(0, 50), long.subarray(50)], 32)).toEqual([expect.objectContaining({ frame: 7 })]);
  });

  it('ignores lines it does not know and lines without =', () => {
    expect(parse([Buffer.from('garbage\nstream_1_0_q=3\nframe=4\nprogress=continue\n')])).toEqual([expect.objectContaining({ frame: 4, ended: false })]);
  });
});
