// Failing inputs on disk: fuzz/crashes/<target>/<kind>-<seed>-<index>.bin holds the bytes, the .json next to
// it how they were cut into pieces and what went wrong, so `npm run fuzz -- --replay FILE` reproduces it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from './harness';

export interface FindingMeta extends Omit<Finding, 'pieces'> {
  pieceLengths: number[];
}

/** Writes the finding and returns the path of its .bin file. */
export function saveFinding(crashesDir: string, finding: Finding): string {
  const dir = join(crashesDir, finding.target);
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${finding.kind}-${finding.seed}-${finding.index}`);
  const { pieces, ...rest } = finding;
  const meta: FindingMeta = { ...rest, pieceLengths: pieces.map((piece) => piece.length) };
  writeFileSync(`${base}.bin`, Buffer.concat(pieces));
  writeFileSync(`${base}.json`, JSON.stringify(meta, null, 2) + '\n');
  return `${base}.bin`;
}

/** The bytes of a saved input, cut as they were when it failed (whole if there is no .json beside it). */
export function loadFinding(binPath: string): { target: string | null; pieces: Buffer[] } {
  const bytes = readFileSync(binPath);
  let meta: FindingMeta;
  try {
    meta = JSON.parse(readFileSync(binPath.replace(/\.bin$/, '.json'), 'utf8')) as FindingMeta;
  } catch {
    return { target: null, pieces: [bytes] };
  }
  const pieces: Buffer[] = [];
  let at = 0;
  for (const length of meta.pieceLengths) {
    pieces.push(bytes.subarray(at, at + length));
    at += length;
  }
  return { target: meta.target, pieces };
}
