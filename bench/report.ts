// The bench report: a table per run, airlock's ratios to the anchors, and the goals checked.
import type { WindowResult } from './load';
import type { TargetName } from './targets';

export interface RunRecord {
  target: TargetName;
  players: number;
  result?: WindowResult;
  error?: string;
}

export interface Ratio {
  players: number;
  anchor: TargetName;
  cpu: number;
  rss: number;
  latencyP99: number;
}

export interface GoalCheck {
  goal: string;
  pass: boolean;
  detail: string;
}

const COLUMNS = [
  ['target', 8],
  ['players', 7],
  ['Mbit/s', 8],
  ['CPU %', 6],
  ['RSS MB', 7],
  ['lat p50', 8],
  ['lat p99', 8],
  ['TTFF p50', 9],
  ['TTFF p99', 9],
  ['lost msgs', 9],
  ['lossy', 5],
  ['behind', 7],
  ['gen CPU', 7],
  ['gen lag', 7],
  ['other', 5],
] as const;

const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '-');

export const TABLE_LEGEND = [
  'Mbit/s: delivered to all players, RTMP framing included; CPU %: server utime+stime, % of one core; RSS MB: server VmHWM',
  'lat: publisher write to player read of the whole message, ms (sampled players); TTFF: player connect to first keyframe, ms',
  'lost msgs: window messages not received, summed over players; lossy: players with loss or disconnected; behind: ms a player trailed',
  'gen CPU: this load generator, % of one core; gen lag: its event loop delay p99, ms (part of every latency measured)',
  'other: CPU the rest of the machine used during the window, % of one core (a noisy run if well above 0)',
];

export function tableHeader(): string {
  return COLUMNS.map(([name, width]) => name.padStart(width)).join(' ');
}

export function tableRow(record: RunRecord): string {
  const { result: r } = record;
  if (r === undefined) return `${record.target.padStart(8)} ${String(record.players).padStart(7)}  failed: ${record.error ?? 'unknown'}`;
  const cells = [
    record.target,
    String(r.players),
    fixed(r.throughputMbps, 0),
    fixed(r.serverCpuPercent),
    fixed(r.peakRssMB),
    fixed(r.latencyMs.p50),
    fixed(r.latencyMs.p99),
    fixed(r.firstFrameMs.p50, 0),
    fixed(r.firstFrameMs.p99, 0),
    String(r.lostMessages),
    String(r.playersWithLoss + r.disconnected),
    fixed(r.maxBehindMs, 0),
    fixed(r.generatorCpuPercent, 0),
    fixed(r.generatorLoopDelayP99Ms, 0),
    fixed(r.otherCpuPercent, 0),
  ];
  return cells.map((cell, i) => cell.padStart(COLUMNS[i][1])).join(' ');
}

function find(records: RunRecord[], target: TargetName, players: number): WindowResult | undefined {
  return records.find((r) => r.target === target && r.players === players)?.result;
}

/** airlock over each anchor, per player count where both ran: below 1 means airlock uses less. */
export function ratios(records: RunRecord[]): Ratio[] {
  const out: Ratio[] = [];
  for (const ours of records) {
    if (ours.target !== 'airlock' || ours.result === undefined) continue;
    for (const anchor of ['nginx', 'nms'] as const) {
      const theirs = find(records, anchor, ours.players);
      if (theirs === undefined) continue;
      out.push({
        players: ours.players,
        anchor,
        cpu: ours.result.serverCpuPercent / theirs.serverCpuPercent,
        rss: ours.result.peakRssMB / theirs.peakRssMB,
        latencyP99: ours.result.latencyMs.p99 / theirs.latencyMs.p99,
      });
    }
  }
  return out;
}

export function formatRatios(list: Ratio[]): string[] {
  return list.map(
    (r) => `airlock/${r.anchor.padEnd(5)} at ${String(r.players).padStart(5)}: CPU ${fixed(r.cpu, 2)}  RSS ${fixed(r.rss, 2)}  latency p99 ${fixed(r.latencyP99, 2)}`,
  );
}

/** The targets for airlock: at 1000 players, and first frame at 300. */
export function checkGoals(records: RunRecord[]): GoalCheck[] {
  const checks: GoalCheck[] = [];
  const at1000 = find(records, 'airlock', 1000);
  if (at1000 !== undefined) {
    const nginx = find(records, 'nginx', 1000);
    const nms = find(records, 'nms', 1000);
    if (nginx !== undefined) {
      checks.push({ goal: 'CPU <= nginx-rtmp at 1000', pass: at1000.serverCpuPercent <= nginx.serverCpuPercent, detail: `${fixed(at1000.serverCpuPercent)}% vs ${fixed(nginx.serverCpuPercent)}%` });
    }
    if (nms !== undefined) {
      checks.push({ goal: 'CPU <= 0.7 x node-media-server at 1000', pass: at1000.serverCpuPercent <= 0.7 * nms.serverCpuPercent, detail: `${fixed(at1000.serverCpuPercent)}% vs 0.7 x ${fixed(nms.serverCpuPercent)}%` });
    }
    checks.push({ goal: 'latency p99 <= 50 ms at 1000', pass: at1000.latencyMs.p99 <= 50, detail: `${fixed(at1000.latencyMs.p99)} ms` });
    checks.push({ goal: 'RSS <= 100 MB at 1000', pass: at1000.peakRssMB <= 100, detail: `${fixed(at1000.peakRssMB)} MB` });
    checks.push({ goal: 'zero loss at 1000', pass: at1000.lostMessages === 0 && at1000.disconnected === 0, detail: `${at1000.lostMessages} messages, ${at1000.disconnected} disconnected` });
  }
  const at300 = find(records, 'airlock', 300);
  if (at300 !== undefined) {
    checks.push({ goal: 'first frame p99 <= 100 ms at 300', pass: at300.firstFrameMs.p99 <= 100, detail: `${fixed(at300.firstFrameMs.p99, 0)} ms` });
  }
  return checks;
}
