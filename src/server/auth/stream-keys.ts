import { createHash, randomBytes } from 'node:crypto';
import { safeEqual } from './constant-time';
import type { Failure } from './reasons';

/** One publish key as stored: only its SHA-256, enough for 192 random bits that nobody can guess. */
export interface StreamKeyRecord {
  app: string;
  stream: string;
  /** SHA-256 of the whole key string, Base64. */
  hash: string;
  /** UNIX seconds. */
  createdAt: number;
  revoked: boolean;
}

/** All stream keys by id; the id is the public part of the key, so verification needs no scan. */
export type StreamKeyRecords = Record<string, StreamKeyRecord>;

export type StreamKeySummary = Omit<StreamKeyRecord, 'hash'> & { id: string };

export type StreamKeyResult = { ok: true; id: string; app: string; stream: string } | Failure;

export interface StreamKeysOptions {
  /** Clock in milliseconds, for createdAt. Default Date.now. */
  now?: () => number;
}

// sk_<id: 6 bytes hex>_<secret: 24 bytes base64url>; the fixed-length hex id keeps `_` in the secret unambiguous.
const STREAM_KEY = /^sk_([0-9a-f]{12})_[A-Za-z0-9_-]{32}$/;
const sha256 = (key: string): Buffer => createHash('sha256').update(key).digest();

/**
 * Where a publisher put its key, in either OBS form. Server `rtmp://host/live` with Stream Key
 * `mystream?key=sk_…` gives stream `mystream` and the key; Stream Key `sk_…` alone gives the key
 * and stream null: the stream is the one the key belongs to. Null when there is no key.
 */
export function streamKeyFrom(stream: string, query: URLSearchParams): { key: string; stream: string | null } | null {
  const key = query.get('key');
  if (key !== null) return { key, stream };
  return stream.startsWith('sk_') ? { key: stream, stream: null } : null;
}

/** Per-stream publish keys (OBS style), stored hashed, revocable. */
export class StreamKeys {
  private readonly keys = new Map<string, StreamKeyRecord>();
  private readonly now: () => number;

  constructor(records: StreamKeyRecords = {}, options: StreamKeysOptions = {}) {
    this.now = options.now ?? Date.now;
    for (const [id, record] of Object.entries(records)) this.keys.set(id, validRecord(id, record));
  }

  /** A new key for app/stream; this is the only time the key itself exists outside the client. */
  create(app: string, stream: string): { id: string; key: string } {
    let id: string;
    do id = randomBytes(6).toString('hex');
    while (this.keys.has(id));
    const key = `sk_${id}_${randomBytes(24).toString('base64url')}`;
    this.keys.set(id, { app, stream, hash: sha256(key).toString('base64'), createdAt: Math.floor(this.now() / 1000), revoked: false });
    return { id, key };
  }

  /** Stops a key working at once; it stays listed so a later attempt logs KEY_REVOKED. */
  revoke(id: string): void {
    const record = this.keys.get(id);
    if (!record) throw new RangeError(`no stream key ${JSON.stringify(id)}`);
    record.revoked = true;
  }

  remove(id: string): boolean {
    return this.keys.delete(id);
  }

  list(): StreamKeySummary[] {
    return [...this.keys].map(([id, { hash: _hash, ...record }]) => ({ id, ...record }));
  }

  /** Checks a presented key for app and stream (null: whatever stream the key belongs to). */
  verify(app: string, stream: string | null, presented: string): StreamKeyResult {
    const match = STREAM_KEY.exec(presented);
    if (!match) return { ok: false, reason: 'TOKEN_MALFORMED' };
    const id = match[1];
    const record = this.keys.get(id);
    if (!record) return { ok: false, reason: 'KEY_UNKNOWN' };
    if (!safeEqual(sha256(presented), Buffer.from(record.hash, 'base64'))) return { ok: false, reason: 'KEY_INVALID' };
    if (record.revoked) return { ok: false, reason: 'KEY_REVOKED' };
    if (record.app !== app || (stream !== null && record.stream !== stream)) return { ok: false, reason: 'PATH_MISMATCH' };
    return { ok: true, id, app: record.app, stream: record.stream };
  }

  toJSON(): StreamKeyRecords {
    // Prototype-free: ids are hex, but the record is written to a file a person may edit.
    const records = Object.create(null) as StreamKeyRecords;
    for (const [id, record] of this.keys) records[id] = { ...record };
    return records;
  }
}

function validRecord(id: string, record: StreamKeyRecord): StreamKeyRecord {
  const { app, stream, hash, createdAt, revoked } = record as Partial<StreamKeyRecord>;
  const fail = (what: string) => new RangeError(`stream key ${JSON.stringify(id)}: ${what}`);
  if (!/^[0-9a-f]{12}$/.test(id)) throw fail('id must be 12 hex digits');
  if (typeof app !== 'string' || typeof stream !== 'string') throw fail('app and stream must be strings');
  if (typeof hash !== 'string' || Buffer.from(hash, 'base64').length !== 32) throw fail('hash must be a SHA-256 in Base64');
  if (typeof createdAt !== 'number' || typeof revoked !== 'boolean') throw fail('createdAt and revoked required');
  return { app, stream, hash, createdAt, revoked };
}
