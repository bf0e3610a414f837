// The Node transport: child_process.fork on the parent's side, process.send / process.on('message') in the child.
import { fork } from 'node:child_process';
import type { ParentChannel, SpawnChild } from './channel';

/** The child's end of the fork IPC pipe. */
export function nodeParentChannel(): ParentChannel {
  return {
    // A parent already gone makes send fail; the 'disconnect' listener handles that, so the error is dropped here.
    send: (message) => void (process.connected && process.send?.(message, undefined, {}, () => {})),
    onMessage: (listener) => void process.on('message', listener),
    onParentGone: (listener) => void process.once('disconnect', listener),
    close: () => void (process.connected && process.disconnect()),
  };
}

export interface ForkOptions {
  /** Node flags for the child, e.g. ['--import', 'tsx'] to run the TypeScript entry. */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Forks `modulePath` (the built node-entry, or its TypeScript source under tsx) once per call. */
export function forkServerChild(modulePath: string, options: ForkOptions = {}): SpawnChild {
  return () => {
    // stdout and stderr are inherited: everything the server says travels as log events, the rest is Node's own.
    const child = fork(modulePath, [], { execArgv: options.execArgv ?? [], env: options.env ?? process.env, serialization: 'json' });
    // 'exit' ends it; a spawn that failed emits only 'error' (no pid), which ends it too. An EPIPE on a dying child is not an end.
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.on('error', () => child.pid === undefined && resolve({ code: null, signal: null }));
    });
    return {
      get pid() {
        return child.pid;
      },
      send: (message) => void (child.connected && child.send(message as object, undefined, {}, () => {})),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void exited.then(({ code, signal }) => listener(code, signal)),
      kill: () => void child.kill('SIGKILL'),
    };
  };
}
