/** Bits per second over the last few seconds, from byte counts in one-second buckets. */
export class RateMeter {
  private readonly buckets: Float64Array;
  private currentSecond = 0;

  constructor(
    private readonly windowSeconds = 5,
    private readonly now: () => number = Date.now,
  ) {
    if (!Number.isInteger(windowSeconds) || windowSeconds < 2) throw new RangeError('windowSeconds must be an integer of at least 2');
    this.buckets = new Float64Array(windowSeconds);
  }

  add(bytes: number): void {
    this.advance();
    this.buckets[this.currentSecond % this.windowSeconds] += bytes;
  }

  /** Average over the complete seconds of the window. */
  get bitsPerSecond(): number {
    this.advance();
    let total = 0;
    for (let i = 1; i < this.windowSeconds; i++) total += this.buckets[(this.currentSecond - i + this.windowSeconds) % this.windowSeconds];
    return (total * 8) / (this.windowSeconds - 1);
  }

  private advance(): void {
    const second = Math.floor(this.now() / 1000);
    if (second === this.currentSecond) return;
    const gap = Math.min(second - this.currentSecond, this.windowSeconds);
    for (let i = 1; i <= gap; i++) this.buckets[(this.currentSecond + i) % this.windowSeconds] = 0;
    this.currentSecond = second;
  }
}
