// What the tray says about the studio: a one-line summary from the server's status and its latest stats.
import { viewersOf, type ServerStatus, type StatsSample } from '../shared/ipc/server';

export interface TraySummary {
  /** The tooltip and the first, disabled menu line. */
  line: string;
  serverRunning: boolean;
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

const STATE_WORDS: Record<ServerStatus['state'], string> = {
  starting: 'Server starting…',
  running: 'Server running',
  crashed: 'Server crashed',
  restarting: 'Server restarting…',
  stopped: 'Server stopped',
};

export function traySummary(status: ServerStatus, stats: StatsSample | null): TraySummary {
  const running = status.state === 'running';
  if (!running) return { line: `Airlock Studio — ${STATE_WORDS[status.state]}`, serverRunning: false };
  const live = stats?.streams.filter((stream) => stream.publisher !== null) ?? [];
  const viewers = live.reduce((sum, stream) => sum + viewersOf(stream), 0);
  return { line: `Airlock Studio — ${STATE_WORDS.running}, ${plural(live.length, 'live stream')}, ${plural(viewers, 'viewer')}`, serverRunning: true };
}
