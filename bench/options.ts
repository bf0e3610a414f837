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
      out: { type: 'string', default: 'bench/results' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) return null;
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
    outDir: values.out,
  };
}
