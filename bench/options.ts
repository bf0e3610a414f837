// Command line of `npm run bench`.
import { parseArgs } from 'node:util';
import { TARGET_NAMES } from './targets';
import type { TargetName } from './targets';

export interface BenchOptions {
  targets: TargetName[];
  players: number[];
  seconds: number;
  warmupSeconds: number;
  /** Longest wait before a window for other processes to go quiet. */
  quietWaitSeconds: number;
  sampledPlayers: number;
  ceiling: boolean;
  ceilingStep: number;
  ceilingMax: number;
  ceilingSeconds: number;
  /** Extra command-line flags for airlock's server. */
  airlockArgs: string[];
  /** Pin the server to core 0 and the generator to core 1 with taskset. */
  pin: boolean;
  /** The capture bench (camera to preview through the real studio): with the server runs, alone, or not at all. */
  capture: 'with' | 'only' | 'off';
  /** Measurement window per encoding path of the capture bench. */
  captureSeconds: number;
  outDir: string;
}

export const USAGE = `npm run bench -- [options]
  --targets airlock,nginx,nms   servers to measure (default: all three)
  --players 100,300,1000        player counts, one fresh server each (default 100,300,1000)
  --seconds 20                  measurement window per player count (default 20)
  --warmup 2                    seconds between the last player's first frame and the window (default 2)
  --quiet-wait 60               before each window, wait up to this many seconds for other processes
                                to go quiet (default 60, 0 to skip)
  --sampled 20                  players that record per-message latency (default 20)
  --ceiling                     instead: add players in steps until one misses messages or lags > 1 s
  --ceiling-step 250            players added per step (default 250)
  --ceiling-max 5000            stop there even if all is well (default 5000)
  --ceiling-seconds 10          window per step (default 10)
  --airlock-args "..."          extra flags for airlock's server, e.g. "--write-coalesce-ms 10"
  --no-pin                      do not pin server and generator to separate cores
  --capture-only                only the capture bench: a stamped camera through the real renderer, IPC,
                                ffmpeg (stream copy, then x264) and server to the preview; latency and
                                ffmpeg CPU (needs Debian's chromium)
  --no-capture                  skip the capture bench (it runs first by default, not in --ceiling)
  --capture-seconds 20          capture bench window per encoding path (default 20)
  --out bench/results           where the JSON results go`;

function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} wants a positive integer, got "${value}"`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions | null {
  const { values } = parseArgs({
    args: argv,
    options: {
      targets: { type: 'string', default: TARGET_NAMES.join(',') },
      players: { type: 'string', default: '100,300,1000' },
      seconds: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '2' },
      'quiet-wait': { type: 'string', default: '60' },
      sampled: { type: 'string', default: '20' },
      ceiling: { type: 'boolean', default: false },
      'ceiling-step': { type: 'string', default: '250' },
      'ceiling-max': { type: 'string', default: '5000' },
      'ceiling-seconds': { type: 'string', default: '10' },
      'airlock-args': { type: 'string', default: '' },
      'no-pin': { type: 'boolean', default: false },
      'capture-only': { type: 'boolean', default: false },
      'no-capture': { type: 'boolean', default: false },
      'capture-seconds': { type: 'string', default: '20' },
      out: { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
  if (values['capture-only'] && (values['no-capture'] || values.ceiling)) throw new Error('--capture-only goes with neither --no-capture nor --ceiling');
  const targets = values.targets.split(',').map((name) => name.trim());
  for (const name of targets) {
    if (!(TARGET_NAMES as readonly string[]).includes(name)) throw new Error(`unknown target "${name}" (known: ${TARGET_NAMES.join(', ')})`);
  }
  return {
    targets: targets as TargetName[],
    players: values.players.split(',').map((n) => positiveInteger('players', n.trim())),
    seconds: positiveInteger('seconds', values.seconds),
    warmupSeconds: Number(values.warmup),
    quietWaitSeconds: Number(values['quiet-wait']),
    sampledPlayers: positiveInteger('sampled', values.sampled),
    ceiling: values.ceiling,
    ceilingStep: positiveInteger('ceiling-step', values['ceiling-step']),
    ceilingMax: positiveInteger('ceiling-max', values['ceiling-max']),
    ceilingSeconds: positiveInteger('ceiling-seconds', values['ceiling-seconds']),
    airlockArgs: values['airlock-args'].split(/\s+/).filter(Boolean),
    pin: !values['no-pin'],
    capture: values['capture-only'] ? 'only' : values['no-capture'] || values.ceiling ? 'off' : 'with',
    captureSeconds: positiveInteger('capture-seconds', values['capture-seconds']),
    outDir: values.out,
  };
}
