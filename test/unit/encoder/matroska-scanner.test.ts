// The scanner on real ffmpeg Matroska (known and unknown sizes) fed whole, byte by byte and split at every byte, and on bad EBML.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_ID_BYTES, MatroskaScanner } from '../../../src/encoder/matroska-scanner';
import { makeMatroska, sizeAt, withUnknownClusterSizes } from './matroska-fixture';

let file: Buffer = Buffer.alloc(0);
let live: Buffer = Buffer.alloc(0);

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-mkv-'));
  [file, live] = await Promise.all([makeMatroska(dir, false), makeMatroska(dir, true)]);
  return () => rmSync(dir, { recursive: true, force: true });
});

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
  ])('rejects %s with CAPTURE_INVALID', (_, bytes) => {
    expect(() => scan([bytes()])).toThrow(expect.objectContaining({ name: 'EncoderError', code: 'CAPTURE_INVALID' }));
    expect(() => scan(bytewise(bytes()))).toThrow(expect.objectContaining({ code: 'CAPTURE_INVALID' }));
  });
});
