// The scanner on real ffmpeg and Chromium Matroska (known and unknown sizes) and on hand-built streams, fed whole,
// byte by byte and split anywhere: Cluster starts, the video track, each block's kind, and bad EBML refused.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_ID_BYTES, MatroskaScanner, type BlockKind } from '../../../src/encoder/matroska-scanner';
import { loadChromiumCapture } from '../../fixtures/matroska/fixtures';
import { blockGroup, cluster, ebml, makeMatroska, matroskaLayout, simpleBlock, sizeAt, synthetic, withUnknownClusterSizes, type BlockLayout } from './matroska-fixture';

let file: Buffer = Buffer.alloc(0);
let live: Buffer = Buffer.alloc(0);
let audioOnly: Buffer = Buffer.alloc(0);
const chromium = loadChromiumCapture();

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-mkv-'));
  [file, live, audioOnly] = await Promise.all([makeMatroska(dir, false), makeMatroska(dir, true), makeMatroska(dir, true, 'audio')]);
  return () => rmSync(dir, { recursive: true, force: true });
});

/** What a scanner reports, in order: Cluster starts, blocks with their kinds, and the video track it learned. */
interface Scan {
  clusters: number[];
  blocks: BlockLayout[];
  videoTrack: number | null;
}

function scanAll(pieces: Buffer[]): Scan {
  const result: Scan = { clusters: [], blocks: [], videoTrack: null };
  const scanner = new MatroskaScanner({ cluster: (offset) => result.clusters.push(offset), block: (offset, kind: BlockKind) => result.blocks.push({ offset, kind }) });
  for (const piece of pieces) scanner.push(piece);
  result.videoTrack = scanner.videoTrack;
  return result;
}

/** The scan of `bytes` split in two at each cut: every one must equal the whole scan (reported as the first cut that differs). */
function expectSameAtCuts(bytes: Buffer, cuts: Iterable<number>): void {
  const whole = JSON.stringify(scanAll([bytes]));
  for (const cut of cuts) {
    const split = JSON.stringify(scanAll([bytes.subarray(0, cut), bytes.subarray(cut)]));
    if (split !== whole) expect({ cut, split }).toEqual({ cut, split: whole });
  }
}

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);

function scan(pieces: Buffer[]): number[] {
  const clusters: number[] = [];
  const scanner = new MatroskaScanner((offset) => clusters.push(offset));
  for (const piece of pieces) scanner.push(piece);
  return clusters;
}

const bytewise = (bytes: Buffer) => Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));

/** Clusters of known size must tile the media: each one ends exactly where the next begins. */
function expectClusterChain(bytes: Buffer, clusters: number[]): void {
  expect(clusters.length).toBeGreaterThanOrEqual(3);
  for (const offset of clusters) expect(bytes.subarray(offset, offset + 4)).toEqual(CLUSTER_ID_BYTES);
  for (let i = 1; i < clusters.length; i++) {
    const { width, value } = sizeAt(bytes, clusters[i - 1] + 4);
    expect(clusters[i - 1] + 4 + width + value).toBe(clusters[i]);
  }
}

describe('MatroskaScanner', { timeout: 60_000 }, () => {
  it.each([
    ['a file (known Segment size)', () => file],
    ['a pipe (unknown Segment size)', () => live],
  ])('finds every Cluster start of %s, whole, byte by byte and split at every byte', (_, bytes) => {
    const input = bytes();
    const whole = scan([input]);
    expectClusterChain(input, whole);
    expect(scan(bytewise(input))).toEqual(whole);
    for (let cut = 1; cut < input.length; cut++) {
      const split = scan([input.subarray(0, cut), input.subarray(cut)]);
      if (split.length !== whole.length || split.some((offset, i) => offset !== whole[i])) expect({ cut, split }).toEqual({ cut, split: whole });
    }
  });

  it('finds the same Cluster starts when Cluster sizes are unknown, as Chromium writes them', () => {
    const clusters = scan([live]);
    const unknown = withUnknownClusterSizes(live, clusters);
    expect(unknown).not.toEqual(live);
    expect(scan([unknown])).toEqual(clusters);
    expect(scan(bytewise(unknown))).toEqual(clusters);
  });

  it('learns the video track from Tracks, and that an audio-only capture has none', () => {
    expect(scanAll([chromium]).videoTrack).toBe(2);
    expect(scanAll([live]).videoTrack).toBe(1);
    expect(scanAll([audioOnly]).videoTrack).toBeNull();
    expect(scanAll([synthetic(300, [])]).videoTrack).toBe(300);
    expect(scanAll([synthetic(null, [])]).videoTrack).toBeNull();
  });

  it.each([
    ['Chromium’s recording', () => chromium],
    ['an ffmpeg file (known sizes)', () => file],
    ['an ffmpeg pipe (unknown Segment size)', () => live],
  ])('reports every block of %s as a video keyframe, another video frame or another track’s', (_, bytes) => {
    const layout = matroskaLayout(bytes());
    const scan = scanAll([bytes()]);
    expect(scan.clusters).toEqual(layout.clusters.map((c) => c.offset));
    expect(scan.blocks).toEqual(layout.clusters.flatMap((c) => c.blocks));
    expect(scanAll(bytewise(bytes()))).toEqual(scan);
  });

  it('sees in Chromium’s recording what the restart must cope with: most Clusters led by a non-key frame, some by audio alone', () => {
    const { clusters } = matroskaLayout(chromium);
    const firstVideo = clusters.map((c) => c.blocks.find((block) => block.kind !== 'other')?.kind ?? 'none');
    expect(firstVideo.filter((kind) => kind === 'delta').length).toBeGreaterThan(clusters.length / 2);
    expect(firstVideo.filter((kind) => kind === 'key').length).toBeGreaterThanOrEqual(4);
    expect(firstVideo).toContain('none');
    expect(clusters.some((c) => c.blocks[0].kind === 'other' && c.blocks[1]?.kind === 'key' && c !== clusters[0])).toBe(true);
  });

  it('reports the same Clusters, blocks and video track when Chromium’s recording is split anywhere around them', () => {
    const layout = matroskaLayout(chromium);
    const cuts = new Set(range(1, layout.clusters[0].offset + 64));
    for (const offset of [...layout.clusters.map((c) => c.offset), ...layout.clusters.flatMap((c) => c.blocks.map((block) => block.offset))]) {
      for (const cut of range(offset - 2, offset + 16)) cuts.add(cut);
    }
    expectSameAtCuts(chromium, cuts);
  });

  it('tells BlockGroups apart: a video Block without a ReferenceBlock is a keyframe, with one it is not', () => {
    const stream = synthetic(300, [
      cluster([blockGroup(1, false), blockGroup(300, false), simpleBlock(300, false)]),
      cluster([blockGroup(300, true), simpleBlock(1, true)], 'known'),
      cluster([simpleBlock(300, true), blockGroup(300, true)]),
    ]);
    const layout = matroskaLayout(stream);
    const scan = scanAll([stream]);
    expect(scan.blocks.map((block) => block.kind)).toEqual(['other', 'key', 'delta', 'delta', 'other', 'key', 'delta']);
    expect(scan.blocks).toEqual(layout.clusters.flatMap((c) => c.blocks));
    expect(scanAll(bytewise(stream))).toEqual(scan);
    expectSameAtCuts(stream, range(1, stream.length));
  });

  it('reports every block as another track’s when there is no video track', () => {
    const stream = synthetic(null, [cluster([simpleBlock(1, true), blockGroup(1, false)])]);
    expect(scanAll([stream]).blocks.map((block) => block.kind)).toEqual(['other', 'other']);
    expect(scanAll([audioOnly]).blocks.every((block) => block.kind === 'other')).toBe(true);
  });

  it('reports a Cluster only once its whole ID has arrived', () => {
    const found: number[] = [];
    const scanner = new MatroskaScanner((offset) => found.push(offset));
    const first = scan([live])[0];
    scanner.push(live.subarray(0, first + 3));
    expect(found).toEqual([]);
    scanner.push(live.subarray(first + 3, first + 4));
    expect(found).toEqual([first]);
  });

  it.each([
    ['a stream that does not start with the EBML header (the middle of a capture)', () => live.subarray(scan([live])[1])],
    ['an Element ID longer than 4 bytes', () => Buffer.of(0x08, 0, 0, 0, 0, 0x81)],
    ['a reserved all-ones Element ID', () => Buffer.of(0xff, 0x80)],
    ['an Element Data Size starting with a zero byte', () => Buffer.of(0x1a, 0x45, 0xdf, 0xa3, 0x00)],
    ['an unknown size on an element other than Segment or Cluster', () => Buffer.of(0x1a, 0x45, 0xdf, 0xa3, 0xff)],
    ['an unknown-sized Tracks inside the Segment', () => Buffer.of(0x1a, 0x45, 0xdf, 0xa3, 0x80, 0x18, 0x53, 0x80, 0x67, 0xff, 0x16, 0x54, 0xae, 0x6b, 0xff)],
    ['a size beyond 2^53 bytes', () => Buffer.of(0x1a, 0x45, 0xdf, 0xa3, 0x01, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe)],
    ['a SimpleBlock that ends inside its header', () => synthetic(2, [cluster([ebml(0xa3, Buffer.of(0x82, 0, 0))])])],
    ['a block whose track number starts with a zero byte', () => synthetic(2, [cluster([ebml(0xa3, Buffer.of(0x00, 0, 0, 0x80))])])],
    ['a TrackNumber of more than 8 bytes', () => Buffer.concat([synthetic(null, []), ebml(0x1654ae6b, ebml(0xae, ebml(0xd7, Buffer.alloc(9, 1))))])],
  ])('rejects %s with CAPTURE_INVALID', (_, bytes) => {
    expect(() => scan([bytes()])).toThrow(expect.objectContaining({ name: 'EncoderError', code: 'CAPTURE_INVALID' }));
    expect(() => scan(bytewise(bytes()))).toThrow(expect.objectContaining({ code: 'CAPTURE_INVALID' }));
  });
});
