import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { StreamKeys, streamKeyFrom, type StreamKeyRecords } from '../../../../src/server/auth/stream-keys';
import { parseName } from '../../../../src/server/session/stream-name';

describe('StreamKeys', () => {
  it('creates sk_<id>_<secret> keys with 24 random bytes and stores only their SHA-256', () => {
    const keys = new StreamKeys({}, { now: () => 1_700_000_000_000 });
    const { id, key } = keys.create('live', 'cam1');
    expect(key).toMatch(new RegExp(`^sk_${id}_[A-Za-z0-9_-]{32}$`));
    expect(Buffer.from(key.split('_').slice(2).join('_'), 'base64url')).toHaveLength(24);
    const stored = keys.toJSON()[id];
    expect(stored).toEqual({ app: 'live', stream: 'cam1', hash: createHash('sha256').update(key).digest('base64'), createdAt: 1_700_000_000, revoked: false });
    expect(JSON.stringify(keys)).not.toContain(key.slice(16));
  });

  it('accepts its key for its own app and stream', () => {
    const keys = new StreamKeys();
    const { id, key } = keys.create('live', 'cam1');
    expect(keys.verify('live', 'cam1', key)).toEqual({ ok: true, id, app: 'live', stream: 'cam1' });
  });

  it('refuses a key presented for another stream or app', () => {
    const keys = new StreamKeys();
    const { key } = keys.create('live', 'cam1');
    expect(keys.verify('live', 'cam2', key)).toEqual({ ok: false, reason: 'PATH_MISMATCH' });
    expect(keys.verify('other', 'cam1', key)).toEqual({ ok: false, reason: 'PATH_MISMATCH' });
    expect(keys.verify('other', null, key)).toEqual({ ok: false, reason: 'PATH_MISMATCH' });
  });

  it('refuses a revoked key while a second key for the same stream keeps working', () => {
    const keys = new StreamKeys();
    const first = keys.create('live', 'cam1');
    const second = keys.create('live', 'cam1');
    keys.revoke(first.id);
    expect(keys.verify('live', 'cam1', first.key)).toEqual({ ok: false, reason: 'KEY_REVOKED' });
    expect(keys.verify('live', 'cam1', second.key).ok).toBe(true);
    expect(keys.list().map((key) => [key.id, key.revoked])).toEqual([[first.id, true], [second.id, false]]);
  });

  it('refuses a wrong secret under a known id, an unknown id and a malformed key', () => {
    const keys = new StreamKeys();
    const { id, key } = keys.create('live', 'cam1');
    const wrong = `sk_${id}_${'A'.repeat(32)}`;
    expect(keys.verify('live', 'cam1', wrong)).toEqual({ ok: false, reason: 'KEY_INVALID' });
    expect(keys.verify('live', 'cam1', `sk_000000000000_${key.slice(-32)}`)).toEqual({ ok: false, reason: 'KEY_UNKNOWN' });
    for (const bad of ['', 'cam1', `${key}x`, key.slice(0, -1), key.toUpperCase()]) expect(keys.verify('live', 'cam1', bad)).toEqual({ ok: false, reason: 'TOKEN_MALFORMED' });
  });

  it('stops a removed key and keeps working after a JSON round trip', () => {
    const keys = new StreamKeys();
    const a = keys.create('live', 'a');
    const b = keys.create('live', 'b');
    const reloaded = new StreamKeys(JSON.parse(JSON.stringify(keys)) as StreamKeyRecords);
    expect(reloaded.verify('live', 'a', a.key).ok).toBe(true);
    expect(reloaded.remove(b.id)).toBe(true);
    expect(reloaded.verify('live', 'b', b.key)).toEqual({ ok: false, reason: 'KEY_UNKNOWN' });
  });

  it('refuses a malformed stored record', () => {
    expect(() => new StreamKeys({ nothex: { app: 'live', stream: 'a', hash: '', createdAt: 0, revoked: false } })).toThrow(/12 hex/);
  });
});

describe('streamKeyFrom', () => {
  const fromStreamKeyField = (field: string) => {
    const parsed = parseName(field);
    return parsed && streamKeyFrom(parsed.name, parsed.query);
  };

  it('reads OBS Stream Key "mystream?key=sk_…" as stream and key', () => {
    const keys = new StreamKeys();
    const { key } = keys.create('live', 'mystream');
    const found = fromStreamKeyField(`mystream?key=${key}`);
    expect(found).toEqual({ key, stream: 'mystream' });
    expect(found && keys.verify('live', found.stream, found.key).ok).toBe(true);
  });

  it('reads OBS Stream Key "sk_…" alone as the key for its own stream', () => {
    const keys = new StreamKeys();
    const { key } = keys.create('live', 'mystream');
    const found = fromStreamKeyField(key);
    expect(found).toEqual({ key, stream: null });
    expect(found && keys.verify('live', found.stream, found.key)).toMatchObject({ ok: true, stream: 'mystream' });
  });

  it('finds no key in a plain stream name', () => {
    expect(fromStreamKeyField('mystream')).toBeNull();
    expect(fromStreamKeyField('mystream?exp=1&kid=k&sig=s')).toBeNull();
  });
});
