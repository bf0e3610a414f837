// A small, fast, seedable PRNG (sfc32) so that input number i of a run is a pure function of (seed, i):
// a crash or hang is reproduced from those two numbers alone.

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** The generator for input `index` of the run with `seed`. */
  constructor(seed: number, index = 0) {
    this.a = seed >>> 0;
    this.b = index >>> 0;
    this.c = (index / 0x100000000) >>> 0;
    this.d = 0x9e3779b9;
    for (let i = 0; i < 12; i++) this.next(); // mix the seed words before the first use
  }

  /** Uniform 32-bit unsigned integer. */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Integer in [0, n). */
  below(n: number): number {
    return n <= 0x100000000 ? Math.floor((this.next() / 0x100000000) * n) : Math.floor(this.float() * n);
  }

  /** Integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.below(max - min + 1);
  }

  float(): number {
    return (this.next() + (this.next() >>> 11) * 0x100000000) / 2 ** 53;
  }

  chance(p: number): boolean {
    return this.next() < p * 0x100000000;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  /** A size biased towards small values: most inputs stay cheap, a few are large. */
  size(max: number): number {
    const bits = this.below(Math.ceil(Math.log2(max + 1)) + 1);
    return Math.min(max, this.below(2 ** bits));
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let i = 0;
    for (; i + 4 <= n; i += 4) out.writeUInt32LE(this.next(), i);
    for (; i < n; i++) out[i] = this.next() & 0xff;
    return out;
  }

  /** Short text: ASCII mostly, sometimes multi-byte or lone-surrogate code units. */
  text(max: number): string {
    const length = this.size(max);
    let out = '';
    for (let i = 0; i < length; i++) {
      const kind = this.below(16);
      out += String.fromCharCode(kind < 13 ? this.range(0x20, 0x7e) : kind < 15 ? this.range(0x80, 0x7ff) : this.range(0xd800, 0xdfff));
    }
    return out;
  }
}
