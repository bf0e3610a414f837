import { describe, expect, it } from 'vitest';
import { KeyRing, type KeyRecord } from '../../../../src/server/auth/key-ring';

const clock = () => 1_700_000_000_000;

describe('KeyRing', () => {
  it('adds a key of 32 random bytes with an id and creation time, verifying but not signing', () => {
    const ring = new KeyRing([], { now: clock });
    const key = ring.add();
    expect(key).toEqual({ id: expect.stringMatching(/^k[0-9a-f]{8}$/), createdAt: 1_700_000_000, state: 'valid' });
    expect(ring.lookup(key.id)?.secret).toHaveLength(32);
    expect(ring.active()).toBeUndefined();
  });

  it('makes one key active at a time; the previous active key stays valid', () => {
    const ring = new KeyRing([], { now: clock });
    const first = ring.add({ id: 'first', activate: true });
    const second = ring.add({ id: 'second' });
    expect(ring.active()?.id).toBe('first');
    ring.activate(second.id);
    expect(ring.active()?.id).toBe('second');
    expect(ring.lookup(first.id)?.state).toBe('valid');
  });

  it('retires a key but refuses to retire the active one', () => {
    const ring = new KeyRing([], { now: clock });
    ring.add({ id: 'a', activate: true });
    ring.add({ id: 'b' });
    ring.retire('b');
    expect(ring.lookup('b')?.state).toBe('retired');
    expect(() => ring.retire('a')).toThrow(/active/);
    expect(() => ring.activate('b')).toThrow(/retired/);
  });

  it('revokes any key at once, the active one included, leaving nothing to sign with', () => {
    const ring = new KeyRing([], { now: clock });
    ring.add({ id: 'a', activate: true });
    ring.revoke('a');
    expect(ring.lookup('a')?.state).toBe('revoked');
    expect(ring.active()).toBeUndefined();
    ring.retire('a');
    expect(ring.lookup('a')?.state).toBe('revoked');
  });

  it('lists keys without secrets and round-trips through JSON', () => {
    const ring = new KeyRing([], { now: clock });
    ring.add({ id: 'a', activate: true });
    ring.add({ id: 'b' });
    expect(JSON.stringify(ring.list())).not.toContain(ring.toJSON()[0].secret);
    const reloaded = new KeyRing(JSON.parse(JSON.stringify(ring)) as KeyRecord[]);
    expect(reloaded.toJSON()).toEqual(ring.toJSON());
    expect(reloaded.active()?.secret).toEqual(ring.active()?.secret);
  });

  it('refuses bad ids, duplicates, two active keys and short secrets', () => {
    const ring = new KeyRing();
    ring.add({ id: 'a' });
    expect(() => ring.add({ id: 'a' })).toThrow(/exists/);
    expect(() => ring.add({ id: 'a&sig=x' })).toThrow(/invalid key id/);
    const secret = Buffer.alloc(32, 7).toString('base64');
    expect(() => new KeyRing([{ id: 'x', secret, createdAt: 0, state: 'active' }, { id: 'y', secret, createdAt: 0, state: 'active' }])).toThrow(/more than one active/);
    expect(() => new KeyRing([{ id: 'x', secret: 'c2hvcnQ=', createdAt: 0, state: 'valid' }])).toThrow(/secret/);
    expect(() => new KeyRing([{ id: 'x', secret, createdAt: 0, state: 'paused' as 'valid' }])).toThrow(/state/);
  });
});
