// A server under test: spawned pinned to its own core, measured by pid, stopped at the end of each run.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

export const TARGET_NAMES = ['airlock', 'nginx', 'nms'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface RunningTarget {
  name: TargetName;
  /** The server process whose CPU and memory are measured. */
  pid: number;
  host: string;
  port: number;
  /** RTMP application the stream is published to and played from. */
  app: string;
  stop(): Promise<void>;
}

export interface LaunchSpec {
  command: string;
  args: string[];
  cwd?: string;
  /** Log file for the server's stdout and stderr. */
  logFile: string;
}

export interface TargetContext {
  /** Scratch directory of this server run (config, log, data); the starter creates it. */
  workDir: string;
  /** CPU core to pin the server to, or null when pinning is unavailable. */
  core: number | null;
  /** Most connections the run will open: servers that preallocate per connection are sized to it. */
  maxConnections: number;
  /** Extra command-line flags for airlock's server. */
  airlockArgs: string[];
}

const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 3_000;

/** Every server still running, so an interrupted bench can stop them all. */
const running = new Set<ChildProcess>();

/** A TCP port that was free a moment ago (the OS picks it: listen on port 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port from the OS');
  return address.port;
}

/** Spawns the server (under `taskset -c core` when pinning), waits until its port accepts connections. */
export async function launch(name: TargetName, spec: LaunchSpec, port: number, ctx: TargetContext, app = 'live'): Promise<RunningTarget> {
  const log = openSync(spec.logFile, 'a');
  const [command, args] =
    ctx.core === null ? [spec.command, spec.args] : ['taskset', ['-c', String(ctx.core), spec.command, ...spec.args]];
  const child = spawn(command, args, { cwd: spec.cwd, stdio: ['ignore', log, log] });
  closeSync(log);
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  exited.then(() => running.delete(child));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForPort(port, child);
  } catch (error) {
    await stop();
    throw new Error(`${name} did not start: ${(error as Error).message}\n${tail(spec.logFile)}`);
  }
  if (child.pid === undefined) throw new Error(`${name} has no pid`);
  return { name, pid: child.pid, host: HOST, port, app, stop };
}

/** Kills every server still running, synchronously (for exit and signal handlers). */
export function killAllTargets(): void {
  for (const child of running) child.kill('SIGKILL');
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited with ${child.exitCode ?? child.signalCode}`);
    if (await canConnect(port)) return;
    await sleep(50);
  }
  throw new Error(`port ${port} not open after ${READY_TIMEOUT_MS} ms`);
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}
