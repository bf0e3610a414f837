// Small statistics helpers for the bench report.

/** The p-th percentile (0..100) by nearest rank; NaN for no samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export interface Distribution {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = Float64Array.from(values).sort();
  const list = Array.from(sorted);
  return { p50: percentile(list, 50), p99: percentile(list, 99), max: list.length ? list[list.length - 1] : NaN, samples: list.length };
}
