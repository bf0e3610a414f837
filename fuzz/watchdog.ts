// A watchdog thread for a fuzz child: if the loop sits on one input past the stall limit (an endless loop,
// which no per-input timer can catch), it writes that input's index to a file and kills the process; run.ts
// then rebuilds the input and saves it as a hang. Plain JavaScript, so the thread needs no TypeScript loader.
import { Worker } from 'node:worker_threads';

export interface Watchdog {
  /** Call with the index of each input before running it. */
  enter(index: number): void;
  /** Call between batches, while no input runs. */
  idle(): void;
  stop(): Promise<number>;
}

const SOURCE = `
const { workerData } = require('node:worker_threads');
const { writeFileSync } = require('node:fs');
const progress = new Int32Array(workerData.progress);
let lastIndex = -1;
let since = performance.now();
setInterval(() => {
  const index = Atomics.load(progress, 0);
  const now = performance.now();
  if (index !== lastIndex || Atomics.load(progress, 1) === 0) {
    lastIndex = index;
    since = now;
  } else if (now - since >= workerData.stallMs) {
    writeFileSync(workerData.stallFile, JSON.stringify({ index, stalledMs: Math.round(now - since) }));
    process.kill(process.pid, 'SIGKILL');
  }
}, 250);
`;

export function startWatchdog(stallMs: number, stallFile: string): Watchdog {
  // [0]: index of the input being run; [1]: 1 while inputs run, 0 between batches.
  const progress = new Int32Array(new SharedArrayBuffer(8));
  const worker = new Worker(SOURCE, { eval: true, workerData: { progress: progress.buffer, stallMs, stallFile } });
  worker.unref();
  return {
    enter: (index) => {
      Atomics.store(progress, 0, index);
      Atomics.store(progress, 1, 1);
    },
    idle: () => Atomics.store(progress, 1, 0),
    stop: () => worker.terminate(),
  };
}
