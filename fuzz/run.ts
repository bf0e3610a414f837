// npm run fuzz [-- --runs N] [--seconds S] [--target NAME[,NAME]] [--seed N] [--jobs N] [--hang-ms MS]
//              [--max-rss-mb MB] [--stall-seconds S] [--replay FILE.bin]
// Fuzzes each parser in its own child process (see child.ts), prints a table per target, and exits 1 on any
// crash, hang or memory overrun. Failing inputs land in fuzz/crashes/<target>/.
import { fork } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ChildMessage, ChildOptions } from './child';
import { loadFinding, saveFinding } from './findings';
import { describe, inputAt, runInput, type FuzzStats } from './harness';
import { FUZZ_DIR, TARGETS, TARGET_NAMES, isTargetName, loadCorpus, type TargetName } from './targets';

interface TargetResult {
  target: TargetName;
  stats: FuzzStats | null;
  peakRss: number;
  failures: string[];
  wallMs: number;
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    seconds: { type: 'string' },
    target: { type: 'string', multiple: true },
    seed: { type: 'string' },
    jobs: { type: 'string' },
    'hang-ms': { type: 'string', default: '100' },
    'max-rss-mb': { type: 'string', default: '300' },
    'stall-seconds': { type: 'string', default: '30' },
    replay: { type: 'string' },
  },
});

function numberOption(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number, got ${text}`);
  return value;
}

/** Replays one saved input: prints what it throws now. */
function replay(path: string, targetName: string | undefined): number {
  const { target, pieces } = loadFinding(path);
  const name = targetName ?? target;
  if (name === null || !isTargetName(name)) throw new Error('name the target with --target (no .json beside the input)');
  const result = runInput(TARGETS[name], pieces);
  console.log(`${name}: ${pieces.length} piece(s), ${pieces.reduce((n, p) => n + p.length, 0)} bytes -> ${result.outcome}`);
  if (result.crash !== undefined) console.log(describe(result.crash));
  return result.outcome === 'crash' ? 1 : 0;
}

/** Rebuilds the input the watchdog caught stalling the child's loop, and saves it as a hang. */
function saveStall(options: ChildOptions): string {
  const { index, stalledMs } = JSON.parse(readFileSync(options.stallFile, 'utf8')) as { index: number; stalledMs: number };
  rmSync(options.stallFile);
  const input = inputAt(TARGETS[options.target], loadCorpus(options.target), options.seed, index);
  const error = `no return after ${stalledMs} ms`;
  const path = saveFinding(options.crashesDir, { kind: 'hang', target: options.target, seed: options.seed, index, origin: input.origin, pieces: input.pieces, error, elapsedMs: stalledMs });
  return `hang: input ${index} ${error}, saved ${path}`;
}

function runChild(options: ChildOptions): Promise<TargetResult> {
  const started = performance.now();
  const result: TargetResult = { target: options.target, stats: null, peakRss: 0, failures: [], wallMs: 0 };
  // The child runs TypeScript too: tsx's loader, as this process has it.
  const child = fork(join(FUZZ_DIR, 'child.ts'), [JSON.stringify(options)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let lastReport = started;
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'progress') {
      result.peakRss = Math.max(result.peakRss, message.rss);
      if (performance.now() - lastReport > 30_000) {
        lastReport = performance.now();
        console.log(`  ${options.target}: ${message.runs} inputs, ${((performance.now() - started) / 1000).toFixed(0)} s`);
      }
    } else if (message.type === 'finding') {
      const where = message.path ?? '(not saved: too many)';
      console.log(`  ${options.target}: ${message.kind.toUpperCase()} at input ${message.index} ${where}\n    ${message.error}`);
    } else {
      result.stats = message.stats;
      result.peakRss = Math.max(result.peakRss, message.peakRss);
      if (message.memoryExceeded) result.failures.push(`RSS above ${options.maxRssBytes / 2 ** 20} MB`);
    }
  });
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      result.wallMs = performance.now() - started;
      if (signal === 'SIGKILL') result.failures.push(saveStall(options));
      else if (code !== 0 || result.stats === null) result.failures.push(`child exited with ${signal ?? code}`);
      else if (options.seconds === null && result.stats.runs < options.runs!) result.failures.push(`only ${result.stats.runs} of ${options.runs} inputs ran`);
      resolve(result);
    });
  });
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

function printTable(results: TargetResult[], wallMs: number, seed: number): void {
  const header = ['target', 'runs', 'generated', 'mutated', 'inputs/s', 'crashes', 'hangs', 'slowest ms', 'peak RSS MB', 'time s'];
  const rows = results.map(({ target, stats, peakRss, wallMs: ms }) => [
    target,
    String(stats?.runs ?? '-'),
    String(stats?.generated ?? '-'),
    String(stats?.mutated ?? '-'),
    stats ? String(Math.round(stats.runs / (stats.elapsedMs / 1000))) : '-',
    String(stats?.crashes ?? '-'),
    String(stats?.hangs ?? '-'),
    stats ? stats.slowestMs.toFixed(1) : '-',
    mb(peakRss),
    (ms / 1000).toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]): string => '| ' + cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ') + ' |';
  console.log(`\nseed ${seed}, total ${(wallMs / 1000).toFixed(1)} s`);
  console.log(line(header));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const row of rows) console.log(line(row));
  console.log('\noutcomes by code:');
  for (const { target, stats, failures } of results) {
    const outcomes = Object.entries(stats?.outcomes ?? {}).sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ');
    console.log(`  ${target}: ${outcomes}${failures.length > 0 ? `  FAILED: ${failures.join('; ')}` : ''}`);
  }
}

async function main(): Promise<number> {
  const targets = (values.target ?? [...TARGET_NAMES]).flatMap((t) => t.split(','));
  for (const t of targets) if (!isTargetName(t)) throw new Error(`unknown target ${t}; targets: ${TARGET_NAMES.join(', ')}`);
  if (values.replay) return replay(values.replay, values.target?.[0]);
  const seconds = values.seconds ? numberOption('seconds', values.seconds) : null;
  // --seconds alone bounds by time only; --runs (default 1e6) bounds by count.
  const runs = values.runs ? numberOption('runs', values.runs) : values.seconds ? null : 1e6;
  const seed = values.seed ? Number(values.seed) >>> 0 : (Date.now() ^ process.pid) >>> 0;
  const jobs = values.jobs ? numberOption('jobs', values.jobs) : availableParallelism();
  const base = {
    seed,
    runs,
    seconds,
    hangMs: numberOption('hang-ms', values['hang-ms']!),
    maxRssBytes: numberOption('max-rss-mb', values['max-rss-mb']!) * 2 ** 20,
    stallMs: numberOption('stall-seconds', values['stall-seconds']!) * 1000,
    crashesDir: join(FUZZ_DIR, 'crashes'),
  };
  console.log(`fuzz: ${targets.join(', ')}; ${runs === null ? `${seconds} s` : `${runs} inputs`} each, seed ${seed}, ${jobs} at a time`);
  const started = performance.now();
  const queue = [...targets] as TargetName[];
  const results: TargetResult[] = [];
  await Promise.all(
    Array.from({ length: Math.min(jobs, queue.length) }, async () => {
      for (let target = queue.shift(); target; target = queue.shift()) {
        const result = await runChild({ ...base, target, stallFile: join(tmpdir(), `airlock-fuzz-${process.pid}-${target}.json`) });
        console.log(`  ${target}: done in ${(result.wallMs / 1000).toFixed(1)} s`);
        results.push(result);
      }
    }),
  );
  results.sort((a, b) => targets.indexOf(a.target) - targets.indexOf(b.target));
  printTable(results, performance.now() - started, seed);
  const failed = results.some((r) => r.failures.length > 0 || !r.stats || r.stats.crashes > 0 || r.stats.hangs > 0);
  console.log(failed ? '\nFAIL' : '\nPASS: no crash, no hang, memory bounded');
  return failed ? 1 : 0;
}

process.exitCode = await main();
