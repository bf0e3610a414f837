// The fuzz loop for one target: input i of a run is generated (even i) or mutated from the corpus (odd i),
// from an Rng seeded by (seed, i); it passes if it finishes within the time bound and throws nothing but
// a ProtocolError.
import { ProtocolError } from '../src/server/errors';
import { mutate, split } from './mutate';
import { Rng } from './random';
import type { FuzzTarget } from './targets';

export interface FuzzInput {
  index: number;
  origin: 'generated' | 'mutated';
  pieces: Buffer[];
}

/** A failing input: a crash (non-ProtocolError throw) or a hang (slower than the bound every time). */
export interface Finding {
  kind: 'crash' | 'hang';
  target: string;
  seed: number;
  index: number;
  origin: FuzzInput['origin'];
  pieces: Buffer[];
  error: string;
  elapsedMs: number;
}

export interface FuzzStats {
  target: string;
  runs: number;
  generated: number;
  mutated: number;
  /** ProtocolError codes thrown, and 'accepted' for inputs that parsed without error. */
  outcomes: Record<string, number>;
  crashes: number;
  hangs: number;
  slowestMs: number;
  elapsedMs: number;
}

export function inputAt(target: FuzzTarget, corpus: readonly Buffer[], seed: number, index: number): FuzzInput {
  const rng = new Rng(seed, index);
  const generated = index % 2 === 0;
  const input = generated ? target.generate(rng) : mutate(rng, corpus);
  return { index, origin: generated ? 'generated' : 'mutated', pieces: target.pieced ? split(rng, input) : [input] };
}

/** Runs one input; returns the ProtocolError code, 'accepted', or the crash. */
export function runInput(target: FuzzTarget, pieces: Buffer[]): { outcome: string; crash?: unknown } {
  try {
    target.execute(pieces);
    return { outcome: 'accepted' };
  } catch (error) {
    if (error instanceof ProtocolError) return { outcome: error.code };
    return { outcome: 'crash', crash: error };
  }
}

export interface FuzzerOptions {
  seed: number;
  /** An input slower than this, three times running, is a hang. */
  hangMs: number;
  onFinding(finding: Finding): void;
}

/** Runs inputs [from, to) one at a time, accumulating into `stats`; `watch` is told each index before it runs. */
export class Fuzzer {
  readonly stats: FuzzStats;

  constructor(
    private readonly target: FuzzTarget,
    private readonly corpus: readonly Buffer[],
    private readonly options: FuzzerOptions,
    private readonly watch: { enter(index: number): void } = { enter: () => {} },
  ) {
    this.stats = { target: target.name, runs: 0, generated: 0, mutated: 0, outcomes: {}, crashes: 0, hangs: 0, slowestMs: 0, elapsedMs: 0 };
  }

  run(from: number, to: number): void {
    const started = performance.now();
    const { stats } = this;
    for (let index = from; index < to; index++) {
      this.watch.enter(index);
      const input = inputAt(this.target, this.corpus, this.options.seed, index);
      const t0 = performance.now();
      const result = runInput(this.target, input.pieces);
      const elapsed = performance.now() - t0;
      stats.runs++;
      if (input.origin === 'generated') stats.generated++;
      else stats.mutated++;
      stats.outcomes[result.outcome] = (stats.outcomes[result.outcome] ?? 0) + 1;
      if (elapsed > stats.slowestMs) stats.slowestMs = elapsed;
      if (result.outcome === 'crash') {
        stats.crashes++;
        this.report('crash', input, describe(result.crash), elapsed);
      } else if (elapsed > this.options.hangMs && this.slowAgain(input)) {
        stats.hangs++;
        this.report('hang', input, `took ${elapsed.toFixed(1)} ms (limit ${this.options.hangMs} ms)`, elapsed);
      }
    }
    stats.elapsedMs += performance.now() - started;
  }

  // A scheduler pause or a GC can stall one run: only an input that is slow twice more is a hang.
  private slowAgain(input: FuzzInput): boolean {
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      runInput(this.target, input.pieces);
      if (performance.now() - t0 <= this.options.hangMs) return false;
    }
    return true;
  }

  private report(kind: Finding['kind'], input: FuzzInput, error: string, elapsedMs: number): void {
    const { seed } = this.options;
    this.options.onFinding({ kind, target: this.target.name, seed, index: input.index, origin: input.origin, pieces: input.pieces, error, elapsedMs });
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `thrown non-error: ${String(error)}`;
}
