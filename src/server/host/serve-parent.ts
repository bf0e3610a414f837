// What every server process entry does, whatever carries its messages: serve the parent, and report a fatal error before dying.
import type { ParentChannel } from './channel';
import { ServerProcess } from './server-process';

// Long enough for the fatal event to leave; the process ends sooner if its event loop drains.
const FATAL_EXIT_MS = 1000;

/** Runs one ServerProcess over `channel` for the life of this process. */
export function serveParent(channel: ParentChannel): void {
  new ServerProcess(channel);
  // Nothing a peer sends should get here; if anything does, the parent hears why before the process dies.
  process.on('uncaughtException', (error) => {
    channel.send({ kind: 'event', event: 'fatal', error: { code: 'HOST_FATAL', message: error.message } });
    process.exitCode = 1;
    channel.close();
    setTimeout(() => process.exit(1), FATAL_EXIT_MS).unref();
  });
}
