// Waits for the rest of the machine to go quiet before a measurement window: on a shared machine other
// processes' bursts (compilers, test runs) would otherwise land in the server's and generator's numbers.
import { setTimeout as sleep } from 'node:timers/promises';
import { readCpuSeconds, readMachineBusySeconds } from './proc-stats';

/** Other processes may use this much of one core and still count as quiet. */
export const QUIET_CPU_PERCENT = 10;
const PROBE_MS = 1000;

/** CPU the machine used over one probe, minus the server and this process, as % of one core. */
async function otherCpuPercent(serverPid: number): Promise<number> {
  const machine0 = readMachineBusySeconds();
  const server0 = readCpuSeconds(serverPid);
  const self0 = process.cpuUsage();
  await sleep(PROBE_MS);
  const self = process.cpuUsage(self0);
  const other = readMachineBusySeconds() - machine0 - (readCpuSeconds(serverPid) - server0) - (self.user + self.system) / 1e6;
  return (Math.max(0, other) / (PROBE_MS / 1000)) * 100;
}

/** Resolves once a probe finds the machine quiet, or after `maxWaitMs` (the window's "other" column then tells). */
export async function waitForQuiet(serverPid: number, maxWaitMs: number): Promise<void> {
  const deadline = Date.now() + maxWaitMs;
  let announced = false;
  while (Date.now() < deadline) {
    const other = await otherCpuPercent(serverPid);
    if (other <= QUIET_CPU_PERCENT) return;
    if (!announced) console.log(`  waiting for other processes to go quiet (${other.toFixed(0)}% of a core busy)…`);
    announced = true;
  }
}
