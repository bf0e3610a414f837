// The server's states in words: a short label for badges and the status bar.
import type { ServerState } from '../../../../shared/ipc';

export const STATE_LABELS: Record<ServerState, string> = {
  starting: 'Starting',
  running: 'Running',
  restarting: 'Restarting',
  crashed: 'Crashed',
  stopped: 'Stopped',
};

/** Start when nothing runs; stop when something runs or is on its way. */
export const canStart = (state: ServerState): boolean => state === 'stopped' || state === 'crashed';
