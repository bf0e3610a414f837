import { describe, expect, it } from 'vitest';
import { RateMeter } from '../../../../src/server/hub/rate-meter';

/** A meter over a clock the test moves, starting mid-second at an arbitrary epoch. */
function meter(windowSeconds = 5) {
  const clock = { now: 1_700_000_000_500 };
  const rate = new RateMeter(windowSeconds, () => clock.now);
  const at = (seconds: number) => {
    clock.now = 1_700_000_000_500 + seconds * 1000;
  };
  return { rate, at };
}

describe('RateMeter', () => {
  it('reads 0 before anything was counted', () => {
    expect(meter().rate.bitsPerSecond).toBe(0);
  });

  it('does not count the second in progress', () => {
    const { rate } = meter();
    rate.add(1000);
    expect(rate.bitsPerSecond).toBe(0);
  });

  it('averages a steady flow over the complete seconds of the window, in bits', () => {
    const { rate, at } = meter(5);
    for (let second = 0; second < 10; second++) {
      at(second);
      rate.add(500);
      rate.add(500);
    }
    expect(rate.bitsPerSecond).toBe(8000);
  });

  it('averages an uneven flow over windowSeconds - 1 complete seconds', () => {
    const { rate, at } = meter(5);
    [1000, 2000, 3000, 4000].forEach((bytes, second) => {
      at(second);
      rate.add(bytes);
    });
    at(4);
    expect(rate.bitsPerSecond).toBe(((1000 + 2000 + 3000 + 4000) * 8) / 4);
  });

  it('lets seconds slide out of the window', () => {
    const { rate, at } = meter(5);
    at(0);
    rate.add(4000);
    at(1);
    expect(rate.bitsPerSecond).toBe(8000);
    at(4);
    expect(rate.bitsPerSecond).toBe(8000);
    at(5);
    expect(rate.bitsPerSecond).toBe(0);
  });

  it('reads 0 after a silence longer than the window, however long', () => {
    const { rate, at } = meter(5);
    at(0);
    rate.add(10_000);
    at(3600);
    expect(rate.bitsPerSecond).toBe(0);
    rate.add(1000);
    at(3601);
    expect(rate.bitsPerSecond).toBe(2000);
  });

  it('clears only the buckets of the seconds skipped over', () => {
    const { rate, at } = meter(5);
    at(0);
    rate.add(1000);
    at(2);
    rate.add(3000);
    at(3);
    expect(rate.bitsPerSecond).toBe(((1000 + 3000) * 8) / 4);
  });

  it('honours a different window', () => {
    const { rate, at } = meter(3);
    at(0);
    rate.add(1000);
    at(1);
    rate.add(3000);
    at(2);
    expect(rate.bitsPerSecond).toBe(((1000 + 3000) * 8) / 2);
    at(3);
    expect(rate.bitsPerSecond).toBe((3000 * 8) / 2);
  });
});
