// The child's end of an Electron utility process: process.parentPort, typed here so the server never imports Electron.
import type { ParentChannel } from './channel';

/** The part of Electron's ParentPort (process.parentPort in a utility process) the server process uses. */
export interface UtilityParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

// After a stop the reply needs a moment to leave before the process ends itself.
const EXIT_AFTER_CLOSE_MS = 200;

/**
 * A ParentChannel over a utility process's parentPort. Electron ends a utility process with its parent, so there is
 * no "parent gone" to hear of; close() ends the process, since an open parentPort may keep its event loop alive.
 */
export function utilityParentChannel(port: UtilityParentPort, exit: (code: number) => void = (code) => process.exit(code)): ParentChannel {
  return {
    send: (message) => port.postMessage(message),
    onMessage: (listener) => void port.on('message', ({ data }) => listener(data)),
    onParentGone: () => {},
    close: () => void setTimeout(() => exit(Number(process.exitCode ?? 0)), EXIT_AFTER_CLOSE_MS).unref(),
  };
}
