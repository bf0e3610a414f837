// `npm run bench`: one publisher at ~4 Mbit/s and N RTMP players on loopback against airlock, nginx-rtmp
// and node-media-server; server CPU and peak RSS from procfs, latency, first frame and losses from the players.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { formatCaptureRecords, runCaptureBench } from './capture/capture-bench';
import type { CaptureRecord } from './capture/capture-bench';
import { DEFAULT_LOAD_OPTIONS, LoadSession } from './load';
import type { LoadOptions, WindowResult } from './load';
import { ensureTestMedia } from './media';
import { USAGE, parseOptions } from './options';
import type { BenchOptions } from './options';
import { loadTags } from './publisher';
import { QUIET_CPU_PERCENT, waitForQuiet } from './quiet';
import { TABLE_LEGEND, checkGoals, formatRatios, ratios, tableHeader, tableRow } from './report';
import type { RunRecord } from './report';
import { killAllTargets, startTarget } from './targets';
import type { TargetContext, TargetName } from './targets';
import type { FlvTag } from '../src/server/flv/tag';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const SERVER_CORE = 0;
const GENERATOR_CORE = 1;
/** A player that trails the publisher by more than this has fallen behind (ceiling mode). */
const MAX_BEHIND_MS = 1000;
/** Generator CPU (% of its core) from which it, not the server, may be what limits the step. */
const SATURATED_CPU_PERCENT = 90;
/** Windows a ceiling step gets when failures coincide with other processes' CPU use. */
const NOISY_STEP_ATTEMPTS = 3;
/** Connections beyond the players: publisher, readiness probes, spare. */
const CONNECTION_MARGIN = 64;
/** Live time before the capture bench's window, for the preview to settle on its latency. */
const CAPTURE_WARMUP_SECONDS = 5;

interface CeilingStep {
  players: number;
  pass: boolean;
  result: WindowResult;
}

interface CeilingRecord {
  target: TargetName;
  /** Most players for which every player got every message and none fell behind; 0 if even the first step failed. */
  highestPassing: number;
  /** First step at which the load generator was saturated, so later steps measure it as much as the server. */
  generatorBoundFrom: number | null;
  steps: CeilingStep[];
  error?: string;
}

/** Pins this process (every thread) to the generator core; the servers get the other one. */
function pinGenerator(options: BenchOptions): number | null {
  if (!options.pin || availableParallelism() < 2) return null;
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(GENERATOR_CORE), String(process.pid)], { stdio: 'ignore' });
    return SERVER_CORE;
  } catch {
    console.warn('taskset unavailable: server and generator share the cores');
    return null;
  }
}

function stepPasses(result: WindowResult): boolean {
  return result.lostMessages === 0 && result.disconnected === 0 && result.maxBehindMs <= MAX_BEHIND_MS;
}

/** The run's own scratch directory, so each server's config and log stay apart. */
function runContext(ctx: TargetContext, run: string): TargetContext {
  return { ...ctx, workDir: join(ctx.workDir, run) };
}

async function measureOnce(name: TargetName, players: number, tags: FlvTag[], ctx: TargetContext, options: BenchOptions): Promise<RunRecord> {
  const runCtx = runContext(ctx, `${name}-${players}`);
  const target = await startTarget(name, runCtx);
  const session = new LoadSession(target, tags, loadOptions(options));
  try {
    await session.startPublisher();
    await session.addPlayers(players);
    await sleep(options.warmupSeconds * 1000);
    await waitForQuiet(target.pid, options.quietWaitSeconds * 1000);
    const result = await session.measure(options.seconds);
    const failures = session.failures();
    if (failures.length > 0) console.warn(`  ${name} at ${players}: players failed: ${failures.join('; ')}`);
    return { target: name, players, result };
  } catch (error) {
    throw new Error(`${(error as Error).message} (server log under ${runCtx.workDir})`);
  } finally {
    session.close();
    await target.stop();
  }
}

/** A ceiling step's window; one that fails while other processes were busy is measured again. */
async function measureQuietly(session: LoadSession, serverPid: number, options: BenchOptions): Promise<WindowResult> {
  for (let attempt = 1; ; attempt++) {
    await waitForQuiet(serverPid, options.quietWaitSeconds * 1000);
    const result = await session.measure(options.ceilingSeconds);
    if (stepPasses(result) || result.otherCpuPercent <= QUIET_CPU_PERCENT || attempt === NOISY_STEP_ATTEMPTS) return result;
    console.log(`  failed while other processes used ${result.otherCpuPercent.toFixed(0)}% of a core: measuring again`);
  }
}

async function climb(name: TargetName, tags: FlvTag[], ctx: TargetContext, options: BenchOptions): Promise<CeilingRecord> {
  const record: CeilingRecord = { target: name, highestPassing: 0, generatorBoundFrom: null, steps: [] };
  const runCtx = runContext(ctx, `${name}-ceiling`);
  const target = await startTarget(name, runCtx);
  const session = new LoadSession(target, tags, loadOptions(options));
  try {
    await session.startPublisher();
    for (let players = options.ceilingStep; players <= options.ceilingMax; players += options.ceilingStep) {
      await session.addPlayers(options.ceilingStep);
      await sleep(options.warmupSeconds * 1000);
      const result = await measureQuietly(session, target.pid, options);
      const pass = stepPasses(result);
      record.steps.push({ players, pass, result });
      if (record.generatorBoundFrom === null && result.generatorCpuPercent >= SATURATED_CPU_PERCENT) record.generatorBoundFrom = players;
      console.log(`${tableRow({ target: name, players, result })}  ${pass ? 'ok' : 'FAIL'}`);
      if (!pass) break;
      record.highestPassing = players;
    }
  } catch (error) {
    record.error = `${(error as Error).message} (server log under ${runCtx.workDir})`;
  } finally {
    session.close();
    await target.stop();
  }
  return record;
}

function loadOptions(options: BenchOptions): LoadOptions {
  return { ...DEFAULT_LOAD_OPTIONS, sampledPlayers: options.sampledPlayers };
}

function writeResults(options: BenchOptions, body: object): string {
  const dir = resolve(options.outDir);
  mkdirSync(dir, { recursive: true });
  const kind = options.ceiling ? 'ceiling-' : options.capture === 'only' ? 'capture-' : '';
  const file = join(dir, `bench-${kind}${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return file;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options === null) {
    console.log(USAGE);
    return;
  }
  const startedAt = new Date().toISOString();
  // Before any pinning: Chromium and ffmpeg, started from here, would inherit this process's one core.
  let capture: CaptureRecord[] | undefined;
  if (options.capture !== 'off') {
    capture = await runCaptureBench({ seconds: options.captureSeconds, warmupSeconds: CAPTURE_WARMUP_SECONDS });
    for (const line of formatCaptureRecords(capture)) console.log(line);
  }
  if (options.capture === 'only') {
    console.log(`results: ${writeResults(options, { startedAt, machine: { cpus: availableParallelism(), node: process.version }, options, capture })}`);
    return;
  }
  const core = pinGenerator(options);
  const media = await ensureTestMedia(join(BENCH_DIR, '.cache'));
  const tags = loadTags(media);
  // Configs, data and server logs of the last run stay here for inspection.
  const workDir = join(BENCH_DIR, '.cache', 'work');
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const maxPlayers = options.ceiling ? options.ceilingMax : Math.max(...options.players);
  const ctx: TargetContext = { workDir, core, maxConnections: maxPlayers + CONNECTION_MARGIN, airlockArgs: options.airlockArgs };
  const machine = { cpus: availableParallelism(), node: process.version, pinned: core !== null };
  console.log(`media ${media}; server on core ${core ?? 'any'}, generator on core ${core === null ? 'any' : GENERATOR_CORE}`);
  for (const line of TABLE_LEGEND) console.log(line);
  console.log(tableHeader());
  if (options.ceiling) {
    const ceilings: CeilingRecord[] = [];
    for (const name of options.targets) {
      const record = await climb(name, tags, ctx, options).catch(
        (error: Error): CeilingRecord => ({ target: name, highestPassing: 0, generatorBoundFrom: null, steps: [], error: error.message }),
      );
      ceilings.push(record);
      const reachedMax = record.highestPassing + options.ceilingStep > options.ceilingMax;
      const bound = record.generatorBoundFrom === null ? '' : `; the load generator saturated from ${record.generatorBoundFrom} players`;
      console.log(`${name}: ceiling ${reachedMax ? '>= ' : ''}${record.highestPassing} players${bound}${record.error ? ` (${record.error})` : ''}`);
    }
    console.log(`results: ${writeResults(options, { startedAt, machine, options, ceilings })}`);
    return;
  }
  const runs: RunRecord[] = [];
  for (const players of options.players) {
    for (const name of options.targets) {
      const record = await measureOnce(name, players, tags, ctx, options).catch((error: Error): RunRecord => ({ target: name, players, error: error.message }));
      runs.push(record);
      console.log(tableRow(record));
    }
  }
  const ratioList = ratios(runs);
  const goals = checkGoals(runs);
  for (const line of formatRatios(ratioList)) console.log(line);
  for (const goal of goals) console.log(`${goal.pass ? 'PASS' : 'FAIL'} ${goal.goal}: ${goal.detail}`);
  console.log(`results: ${writeResults(options, { startedAt, machine, options, runs, ratios: ratioList, goals, capture })}`);
}

process.on('exit', killAllTargets);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllTargets();
    process.exit(130);
  });
}

main().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
