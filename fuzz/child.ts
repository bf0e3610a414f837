// One target's fuzz run in its own process (forked by run.ts), so its memory is measured alone: runs the
// inputs in batches, reports progress and findings over IPC, and keeps a watchdog thread for endless loops.
import { saveFinding } from './findings';
import { Fuzzer, type FuzzStats } from './harness';
import { TARGETS, loadCorpus, type TargetName } from './targets';
import { startWatchdog } from './watchdog';

export interface ChildOptions {
  target: TargetName;
  seed: number;
  /** Inputs to run; null for no count bound. */
  runs: number | null;
  /** Stop after this long even if fewer runs are done; null for no time bound. */
  seconds: number | null;
  hangMs: number;
  maxRssBytes: number;
  stallMs: number;
  crashesDir: string;
  /** Where the watchdog writes the index of an input that stalled the loop. */
  stallFile: string;
}

export type ChildMessage =
  | { type: 'progress'; runs: number; rss: number }
  | { type: 'finding'; kind: 'crash' | 'hang'; index: number; path: string | null; error: string }
  | { type: 'done'; stats: FuzzStats; peakRss: number; memoryExceeded: boolean };

// Findings saved per target: one bug tends to fire thousands of times, the first ones are enough.
const MAX_SAVED = 20;
const BATCH_MS = 100;

const options = JSON.parse(process.argv[2]) as ChildOptions;
const send = (message: ChildMessage): void => void process.send!(message);

const watchdog = startWatchdog(options.stallMs, options.stallFile);

let saved = 0;
const fuzzer = new Fuzzer(
  TARGETS[options.target],
  loadCorpus(options.target),
  {
    seed: options.seed,
    hangMs: options.hangMs,
    onFinding: (finding) => {
      const path = saved++ < MAX_SAVED ? saveFinding(options.crashesDir, finding) : null;
      send({ type: 'finding', kind: finding.kind, index: finding.index, path, error: finding.error.split('\n').slice(0, 3).join(' | ') });
    },
  },
  watchdog,
);

const runs = options.runs ?? Infinity;
const deadline = options.seconds === null ? Infinity : performance.now() + options.seconds * 1000;
let peakRss = process.memoryUsage.rss();
let memoryExceeded = false;
let batch = 256;
let done = 0;
while (done < runs && performance.now() < deadline) {
  const count = Math.min(batch, runs - done);
  const t0 = performance.now();
  fuzzer.run(done, done + count);
  watchdog.idle();
  done += count;
  // Size batches to about BATCH_MS, so progress, IPC and the time bound stay responsive.
  const took = performance.now() - t0;
  batch = Math.max(1, Math.min(batch * 4, Math.round((count * BATCH_MS) / Math.max(took, 1))));
  const rss = process.memoryUsage.rss();
  peakRss = Math.max(peakRss, rss);
  if (rss > options.maxRssBytes) {
    memoryExceeded = true;
    break;
  }
  send({ type: 'progress', runs: done, rss });
  await new Promise((resolve) => setImmediate(resolve));
}
send({ type: 'done', stats: fuzzer.stats, peakRss, memoryExceeded });
process.disconnect();
await watchdog.stop();
