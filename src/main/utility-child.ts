// The Electron transport for the server process: a SpawnChild over utilityProcess.fork (the child runs src/server/host/utility-entry.ts).
import { join } from 'node:path';
import { app, utilityProcess } from 'electron';
import type { SpawnChild } from '../server/host/channel';

/** Where electron-vite puts the server process entry (electron.vite.config.ts), inside the app (asar) or the project in dev. */
export const serverProcessEntry = (): string => join(app.getAppPath(), 'out', 'main', 'server-process.js');

/** Forks `entry` (the built server-process.js) in a new utility process on each call: ServerHost's first start and every restart. */
export function utilityServerChild(entry: string = serverProcessEntry()): SpawnChild {
  return () => {
    // stdout and stderr go where main's go: everything the server says travels as log events.
    const child = utilityProcess.fork(entry, [], { serviceName: 'Airlock media server', stdio: 'inherit' });
    // Electron emits 'exit' once, also for a process that failed to launch; a listener added later still hears of it.
    const exited = new Promise<number>((resolve) => child.once('exit', resolve));
    return {
      get pid() {
        return child.pid;
      },
      // After 'exit' Electron drops messages and kill() answers false: nothing to guard here.
      send: (message) => child.postMessage(message),
      onMessage: (listener) => void child.on('message', listener),
      onExit: (listener) => void exited.then((code) => listener(code, null)),
      // SIGTERM on POSIX (Electron offers no SIGKILL); the entry does not handle it, so the process ends at once.
      kill: () => void child.kill(),
    };
  };
}
