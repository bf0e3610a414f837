// The Server screen's access log: the server's access lines (see ACCESS_EVENTS) as entries, the newest few thousand kept.
import { ACCESS_EVENTS } from '../../server/log';
import type { AccessEntry, AccessOutcome } from '../../shared/ipc/server';

export const ACCESS_LOG_SIZE = 5000;

type Fields = Record<string, unknown>;
type Action = AccessEntry['action'];

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const id = (value: unknown): number | null => (Number.isSafeInteger(value) ? (value as number) : null);

/** "203.0.113.5:50123" → "203.0.113.5", "[2001:db8::1]:50123" → "2001:db8::1": the client, without its port. */
export function addressOf(peer: unknown): string {
  const value = text(peer) ?? '?';
  const bracketed = /^\[(.*)\]:\d+$/.exec(value);
  if (bracketed) return bracketed[1];
  return /^[^:]*:\d+$/.test(value) ? value.slice(0, value.lastIndexOf(':')) : value;
}

/** app/stream for a stream line, app alone for a connect, null when the line names neither. */
function pathOf(fields: Fields): string | null {
  const stream = text(fields.stream);
  const app = text(fields.app);
  if (stream !== null && app !== null && !stream.includes('/')) return `${app}/${stream}`;
  return stream ?? app;
}

const isAction = (value: unknown): value is Action => value === 'connect' || value === 'publish' || value === 'play';

// What each access event is: its action, its outcome, and the protocol when the line does not say.
function classify(event: string, fields: Fields): { action: Action; outcome: AccessOutcome; protocol: string } | null {
  const protocol = text(fields.protocol);
  switch (event) {
    case 'rtmp.connect':
    case 'rtmp.publish':
    case 'rtmp.play':
      return { action: event.slice('rtmp.'.length) as Action, outcome: 'allowed', protocol: protocol ?? 'rtmp' };
    case 'rtmp.reject':
      return { action: isAction(fields.action) ? fields.action : 'connect', outcome: 'refused', protocol: protocol ?? 'rtmp' };
    case 'rtmp.close':
      return { action: 'close', outcome: 'closed', protocol: protocol ?? 'rtmp' };
    case 'http-flv.play':
      return { action: 'play', outcome: 'allowed', protocol: protocol ?? 'http-flv' };
    case 'http-flv.reject':
      return { action: 'play', outcome: 'refused', protocol: protocol ?? 'http-flv' };
    case 'http-flv.stop':
      return { action: 'close', outcome: 'closed', protocol: protocol ?? 'http-flv' };
    default:
      // rtmp.refuse, rtmps.refuse, http.refuse, https.refuse, proxy.refuse: turned away before any protocol began.
      return event.endsWith('.refuse') ? { action: 'connect', outcome: 'refused', protocol: event.slice(0, -'.refuse'.length) } : null;
  }
}

/** The entry for one server log line (JSON), or null when it is not an access line or not one we can read. */
export function accessEntryFromLine(line: string, entryId: number): AccessEntry | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const fields = parsed as Fields;
  const event = text(fields.event);
  if (event === null || !ACCESS_EVENTS.has(event)) return null;
  const kind = classify(event, fields);
  if (kind === null) return null;
  return {
    id: entryId,
    at: text(fields.time) ?? new Date().toISOString(),
    address: addressOf(fields.peer),
    protocol: kind.protocol,
    action: kind.action,
    path: pathOf(fields),
    outcome: kind.outcome,
    code: text(fields.code),
    sessionId: id(fields.session) ?? id(fields.id),
  };
}

const matches = (entry: AccessEntry, needle: string): boolean =>
  [entry.address, entry.path, entry.code, entry.outcome, entry.action, entry.protocol].some((value) => value !== null && value.toLowerCase().includes(needle));

/** A bounded ring of access entries: the oldest goes when it is full. */
export class AccessLog {
  private readonly entries: AccessEntry[] = [];
  private nextId = 1;

  constructor(private readonly size = ACCESS_LOG_SIZE) {}

  /** Keeps the entry a server log line stands for, and returns it; null for a line that is not an access line. */
  add(line: string): AccessEntry | null {
    const entry = accessEntryFromLine(line, this.nextId);
    if (entry === null) return null;
    this.nextId++;
    this.entries.push(entry);
    if (this.entries.length > this.size) this.entries.shift();
    return entry;
  }

  /** Newest first, at most `limit`, those whose address, path, code, outcome, action or protocol contains `search` (any case). */
  search({ search, limit }: { search: string; limit: number }): AccessEntry[] {
    const needle = search.trim().toLowerCase();
    const found: AccessEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && found.length < limit; i--) {
      if (needle === '' || matches(this.entries[i], needle)) found.push(this.entries[i]);
    }
    return found;
  }
}
