// Finds the ffmpeg processes this process started (the studio's encoders run in-process in e2e and bench), by what
// they read: the capture's Matroska on stdin or the test bench's lavfi pattern. Linux procfs (proc(5)).
import { readdirSync, readFileSync } from 'node:fs';

export type EncoderKind = 'capture' | 'test-bench';

/** The parent pid (field 4 of /proc/PID/stat, the second after comm), or null for a process that is gone. */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

const kindOf = (args: string[]): EncoderKind | null => {
  if (!/ffmpeg$/.test(args[0] ?? '')) return null;
  const format = args[args.indexOf('-f') + 1];
  return format === 'matroska' || format === 'webm' ? 'capture' : format === 'lavfi' ? 'test-bench' : null;
};

/** Pids of the running ffmpeg children of `parent` that encode `kind`. */
export function childFfmpegPids(kind: EncoderKind, parent = process.pid): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => parentOf(pid) === parent && kindOf(commandLine(pid)) === kind);
}
