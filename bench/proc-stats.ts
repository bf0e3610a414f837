// Resource usage of a process from Linux procfs (proc(5)): CPU time from /proc/PID/stat, peak RSS from /proc/PID/status.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second, the unit of utime and stime; 100 on every common Linux. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** Index of utime among the fields after the ")" that ends comm (field 14 overall; stime follows). */
const UTIME_AFTER_COMM = 11;

/** User plus system CPU seconds the process (all its threads) has used so far. */
export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[UTIME_AFTER_COMM]) + Number(fields[UTIME_AFTER_COMM + 1])) / CLOCK_TICKS;
}

/** Peak resident set size in bytes (VmHWM). */
export function readPeakRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'latin1');
  const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
  return match === null ? 0 : Number(match[1]) * 1024;
}

/** CPU seconds the whole machine has spent busy (all cores; idle and iowait excluded), from /proc/stat. */
export function readMachineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0];
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number); // idle and iowait skipped
  return (user + nice + system + irq + softirq + (steal || 0)) / CLOCK_TICKS;
}
