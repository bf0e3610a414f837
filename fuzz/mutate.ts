// Byte-level mutations of seed inputs (the classic fuzzer set): flips, interesting values, inserts,
// deletes, duplications, splices with another seed, length-field edits and truncation.
import type { Rng } from './random';

/** Values that sit on the edges parsers check: zero, one, sign bits, all-ones, 24-bit and 31-bit maxima. */
const INTERESTING = [0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0xfffffe, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000, 0xffffffff];

/** Bytes a mutated input may grow to: keeps one input cheap however many mutations stack up. */
const MAX_MUTATED = 64 * 1024;

type Mutation = (rng: Rng, input: Buffer, corpus: readonly Buffer[]) => Buffer;

const position = (rng: Rng, input: Buffer): number => rng.below(input.length + 1);

const flipBit: Mutation = (rng, input) => {
  if (input.length === 0) return input;
  input[rng.below(input.length)] ^= 1 << rng.below(8);
  return input;
};

const setByte: Mutation = (rng, input) => {
  if (input.length === 0) return input;
  input[rng.below(input.length)] = rng.chance(0.5) ? rng.pick(INTERESTING) & 0xff : rng.below(256);
  return input;
};

const insertBytes: Mutation = (rng, input) => {
  const at = position(rng, input);
  return Buffer.concat([input.subarray(0, at), rng.bytes(rng.size(64) + 1), input.subarray(at)]);
};

const deleteBytes: Mutation = (rng, input) => {
  const at = position(rng, input);
  return Buffer.concat([input.subarray(0, at), input.subarray(Math.min(input.length, at + rng.size(256) + 1))]);
};

const duplicateRange: Mutation = (rng, input) => {
  const at = position(rng, input);
  const end = Math.min(input.length, at + rng.size(512) + 1);
  const to = position(rng, input);
  return Buffer.concat([input.subarray(0, to), input.subarray(at, end), input.subarray(to)]);
};

// Head of this input, tail of another seed (or of itself): joins two valid structures at a random seam.
const splice: Mutation = (rng, input, corpus) => {
  const other = rng.pick(corpus);
  return Buffer.concat([input.subarray(0, position(rng, input)), other.subarray(rng.below(other.length + 1))]);
};

// Overwrites 1-4 bytes with an interesting integer, big- or little-endian, or nudges what is there by a little.
const editLengthField: Mutation = (rng, input) => {
  const width = rng.pick([1, 2, 3, 4]);
  if (input.length < width) return input;
  const at = rng.below(input.length - width + 1);
  const littleEndian = rng.chance(0.25);
  const current = littleEndian ? input.readUIntLE(at, width) : input.readUIntBE(at, width);
  const max = 2 ** (8 * width);
  const value = rng.chance(0.5) ? rng.pick(INTERESTING) % max : (current + rng.range(-16, 16) + max) % max;
  if (littleEndian) input.writeUIntLE(value, at, width);
  else input.writeUIntBE(value, at, width);
  return input;
};

const truncate: Mutation = (rng, input) => input.subarray(0, position(rng, input));

const MUTATIONS: readonly Mutation[] = [flipBit, setByte, setByte, insertBytes, deleteBytes, duplicateRange, splice, editLengthField, editLengthField, truncate];

/** A mutated copy of a seed from the corpus: 1 to 8 stacked mutations (the seed itself is left intact). */
export function mutate(rng: Rng, corpus: readonly Buffer[]): Buffer {
  const seed = rng.pick(corpus);
  // Large seeds (the 33 KB chunk capture) are cut to a window that starts at 0, where their framing is.
  const window = seed.length > 4096 && rng.chance(0.75) ? rng.range(1, 4096) : seed.length;
  let input: Buffer = Buffer.from(seed.subarray(0, window));
  const count = 1 + rng.size(7);
  for (let i = 0; i < count; i++) {
    input = rng.pick(MUTATIONS)(rng, input, corpus);
    if (input.length > MAX_MUTATED) input = input.subarray(0, MAX_MUTATED);
  }
  return input;
}

/** Cuts an input into the pieces a socket might deliver: whole, byte by byte, or at random points. */
export function split(rng: Rng, input: Buffer): Buffer[] {
  const mode = rng.below(8);
  if (mode < 3 || input.length < 2) return [input];
  if (mode === 3 && input.length <= 4096) return Array.from({ length: input.length }, (_, i) => input.subarray(i, i + 1));
  const pieces: Buffer[] = [];
  const mean = mode < 6 ? 16 : 1024;
  for (let at = 0; at < input.length; ) {
    const size = 1 + rng.below(2 * mean);
    pieces.push(input.subarray(at, at + size));
    at += size;
  }
  return pieces;
}
