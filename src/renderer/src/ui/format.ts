// How numbers and times read in the UI: bitrates, countdowns, clock times.

/** 850 kb/s, 2.5 Mb/s. */
export function formatBitrate(kbps: number): string {
  if (kbps >= 1000) return `${(kbps / 1000).toFixed(1)} Mb/s`;
  return `${Math.round(kbps)} kb/s`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A span of whole seconds, coarse to fine, without a zero second part: 2d 03h, 1h 05m, 9m 05s, 5m, 45s. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const pair = (big: string, small: number, unit: string) => (small === 0 ? big : `${big} ${pad(small)}${unit}`);
  if (days > 0) return pair(`${days}d`, hours, 'h');
  if (hours > 0) return pair(`${hours}h`, minutes, 'm');
  if (minutes > 0) return pair(`${minutes}m`, rest, 's');
  return `${rest}s`;
}

/** Local clock time of an ISO date or epoch milliseconds: 14:03:27. */
export function formatClock(at: string | number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** Local date and time: for creation dates and expiries. */
export function formatDateTime(at: string | number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
