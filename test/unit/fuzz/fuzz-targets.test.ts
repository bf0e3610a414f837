import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/server/errors';
import { Fuzzer, inputAt, runInput, type Finding } from '../../../fuzz/harness';
import { TARGETS, TARGET_NAMES, loadCorpus, type FuzzTarget } from '../../../fuzz/targets';

const RUNS = 3000;

function fuzz(target: FuzzTarget, runs: number, hangMs = 100): { fuzzer: Fuzzer; findings: Finding[] } {
  const findings: Finding[] = [];
  const fuzzer = new Fuzzer(target, loadCorpus(target.name), { seed: 7, hangMs, onFinding: (finding) => findings.push(finding) });
  fuzzer.run(0, runs);
  return { fuzzer, findings };
}

describe('fuzz targets (a smoke run of npm run fuzz)', { timeout: 30_000 }, () => {
  it.each(TARGET_NAMES)(`%s: survives ${RUNS} generated and mutated inputs with neither crash nor hang`, (name) => {
    const { fuzzer, findings } = fuzz(TARGETS[name], RUNS);
    expect(findings.map((f) => `${f.kind} at ${f.index}: ${f.error}`)).toEqual([]);
    expect(fuzzer.stats).toMatchObject({ runs: RUNS, generated: RUNS / 2, mutated: RUNS / 2, crashes: 0, hangs: 0 });
    // Inputs must reach past the first check: some parse, and (media classification aside) some are refused.
    expect(fuzzer.stats.outcomes.accepted).toBeGreaterThan(RUNS / 20);
    if (name !== 'media-info') expect(Object.keys(fuzzer.stats.outcomes).length).toBeGreaterThan(1);
  });

  it.each(TARGET_NAMES)('%s: every seed and regression input in the corpus parses or fails with a ProtocolError', (name) => {
    for (const seed of loadCorpus(name)) {
      expect(runInput(TARGETS[name], [seed]).outcome).not.toBe('crash');
    }
  });

  it('rebuilds input i of a run from the seed and i alone, so a finding can be replayed', () => {
    const corpus = loadCorpus('chunk');
    for (const index of [0, 1, 998, 999]) {
      const a = inputAt(TARGETS.chunk, corpus, 42, index);
      const b = inputAt(TARGETS.chunk, corpus, 42, index);
      expect(Buffer.concat(b.pieces).equals(Buffer.concat(a.pieces))).toBe(true);
      expect(b.pieces.map((p) => p.length)).toEqual(a.pieces.map((p) => p.length));
    }
    expect(Buffer.concat(inputAt(TARGETS.chunk, corpus, 43, 0).pieces).equals(Buffer.concat(inputAt(TARGETS.chunk, corpus, 42, 0).pieces))).toBe(false);
  });

  it('counts an error other than ProtocolError as a crash, and a ProtocolError by its code', () => {
    let calls = 0;
    const target: FuzzTarget = {
      ...TARGETS['media-info'],
      execute: () => {
        calls++;
        if (calls % 2 === 0) throw new TypeError('boom');
        throw new ProtocolError('FLV_MALFORMED', 'bad');
      },
    };
    const { fuzzer, findings } = fuzz(target, 10);
    expect(fuzzer.stats.crashes).toBe(5);
    expect(fuzzer.stats.outcomes).toEqual({ FLV_MALFORMED: 5, crash: 5 });
    expect(findings[0]).toMatchObject({ kind: 'crash', target: 'media-info', seed: 7, index: 1 });
    expect(findings[0].error).toContain('TypeError: boom');
  });

  it('counts an input as a hang only when it is over the time bound three times running', () => {
    const spin = (ms: number): void => {
      const end = performance.now() + ms;
      while (performance.now() < end);
    };
    let calls = 0;
    const slowOnce: FuzzTarget = { ...TARGETS['media-info'], execute: () => spin(calls++ === 0 ? 30 : 0) };
    expect(fuzz(slowOnce, 1, 20).fuzzer.stats.hangs).toBe(0);
    const alwaysSlow: FuzzTarget = { ...TARGETS['media-info'], execute: () => spin(30) };
    const { fuzzer, findings } = fuzz(alwaysSlow, 1, 20);
    expect(fuzzer.stats.hangs).toBe(1);
    expect(findings[0]).toMatchObject({ kind: 'hang', index: 0 });
  });
});
