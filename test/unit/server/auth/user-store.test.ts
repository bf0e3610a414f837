import { createHash, scrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { adobeSaltedDigest } from '../../../../src/server/auth/adobe-hash';
import { UserStore, type UserRecord } from '../../../../src/server/auth/user-store';
import { countingHash } from './fakes';

describe('UserStore', () => {
  it('stores scrypt(password, salt) with N=2^15 r=8 p=1 and never the password', async () => {
    const users = new UserStore();
    await users.add('alice', 'correct horse', ['publish']);
    const entry = users.toJSON().alice;
    const expected = await new Promise<Buffer>((resolve, reject) =>
      scrypt('correct horse', Buffer.from(entry.salt, 'base64'), 32, { N: 32768, r: 8, p: 1, maxmem: 64 << 20 }, (error, key) => (error ? reject(error) : resolve(key))),
    );
    expect(Buffer.from(entry.key, 'base64')).toEqual(expected);
    expect(Buffer.from(entry.salt, 'base64')).toHaveLength(16);
    expect(JSON.stringify(users)).not.toContain('correct horse');
    expect(JSON.stringify(users)).not.toContain(Buffer.from('correct horse').toString('base64'));
    expect(await users.verifyPassword('alice', 'correct horse')).toEqual({ ok: true, permissions: ['publish'] });
  });

  it('gives each user its own salt, so equal passwords store different keys', async () => {
    const users = new UserStore({}, { hash: countingHash() });
    await users.add('alice', 'same', ['play']);
    await users.add('bob', 'same', ['play']);
    const { alice, bob } = users.toJSON();
    expect(alice.salt).not.toBe(bob.salt);
    expect(alice.key).not.toBe(bob.key);
  });

  it('rejects a wrong password and names an unknown user', async () => {
    const users = new UserStore({}, { hash: countingHash() });
    await users.add('alice', 'secret', ['publish']);
    expect(await users.verifyPassword('alice', 'Secret')).toEqual({ ok: false, reason: 'PASSWORD_WRONG' });
    expect(await users.verifyPassword('mallory', 'secret')).toEqual({ ok: false, reason: 'USER_UNKNOWN' });
  });

  // The store's one hash function runs fixed scrypt parameters, so equal calls mean equal cost: no timing test needed.
  it('spends one password hash on an unknown user, the same as on a wrong password', async () => {
    const hash = countingHash();
    const users = new UserStore({}, { hash });
    await users.add('alice', 'secret', ['publish']);
    hash.calls = 0;
    await users.verifyPassword('alice', 'wrong');
    expect(hash.calls).toBe(1);
    await users.verifyPassword('nobody', 'wrong');
    await users.verifyPassword('__proto__', 'wrong');
    expect(hash.calls).toBe(3);
  });

  it('changes a password: the old one stops working, the new one works, permissions stay', async () => {
    const users = new UserStore({}, { hash: countingHash() });
    await users.add('alice', 'old', ['publish', 'play']);
    await users.changePassword('alice', 'new');
    expect((await users.verifyPassword('alice', 'old')).ok).toBe(false);
    expect(await users.verifyPassword('alice', 'new')).toEqual({ ok: true, permissions: ['publish', 'play'] });
  });

  it('changes permissions without touching the password', async () => {
    const users = new UserStore({}, { hash: countingHash() });
    await users.add('alice', 'pw', ['play']);
    const { key } = users.toJSON().alice;
    users.setPermissions('alice', ['tuiliu', 'bofang']);
    expect(users.permissions('alice')).toEqual(['publish', 'play']);
    expect(users.toJSON().alice.key).toBe(key);
    expect(() => users.setPermissions('alice', ['root'])).toThrow(/permission/);
  });

  it('removes and lists users without any secret', async () => {
    const users = new UserStore({}, { hash: countingHash() });
    await users.add('alice', 'a', ['tuiliu']);
    await users.add('bob', 'b', ['bofang'], { adobe: true });
    expect(users.list()).toEqual([
      { name: 'alice', permissions: ['publish'], adobe: false },
      { name: 'bob', permissions: ['play'], adobe: true },
    ]);
    expect(users.remove('alice')).toBe(true);
    expect(users.remove('alice')).toBe(false);
    expect(users.list().map((user) => user.name)).toEqual(['bob']);
    expect((await users.verifyPassword('alice', 'a')).ok).toBe(false);
  });

  it('stores the authmod=adobe digest only when asked, and follows a password change', async () => {
    const users = new UserStore({}, { hash: countingHash() });
    await users.add('alice', 'pw1', ['publish']);
    expect(users.adobeCredentials('alice')).toBeUndefined();
    await users.changePassword('alice', 'pw2', { adobe: true });
    const first = users.adobeCredentials('alice');
    expect(first?.salt).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(first?.digest).toBe(createHash('md5').update(`alice${first?.salt}pw2`).digest('base64'));
    await users.changePassword('alice', 'pw3');
    const second = users.adobeCredentials('alice');
    expect(second?.digest).toBe(adobeSaltedDigest('alice', second?.salt ?? '', 'pw3'));
    await users.changePassword('alice', 'pw4', { adobe: false });
    expect(users.adobeCredentials('alice')).toBeUndefined();
    expect(users.toJSON().alice).not.toHaveProperty('adobe');
  });

  it('round-trips through JSON and verifies against the reloaded record', async () => {
    const hash = countingHash();
    const users = new UserStore({}, { hash });
    await users.add('alice', 'secret', ['publish'], { adobe: true });
    const reloaded = new UserStore(JSON.parse(JSON.stringify(users)), { hash });
    expect(reloaded.toJSON()).toEqual(users.toJSON());
    expect((await reloaded.verifyPassword('alice', 'secret')).ok).toBe(true);
  });

  it('keeps a user named __proto__ as a plain key', async () => {
    const users = new UserStore({}, { hash: countingHash() });
    await users.add('__proto__', 'x', ['play']);
    const record = JSON.parse(JSON.stringify(users));
    expect(Object.keys(record)).toEqual(['__proto__']);
    expect(new UserStore(record, { hash: countingHash() }).list()[0].name).toBe('__proto__');
  });

  it('refuses invalid names, a duplicate, an empty or oversized password, and unknown permissions', async () => {
    const users = new UserStore({}, { hash: countingHash() });
    await users.add('alice', 'x', ['play']);
    await expect(users.add('alice', 'x', ['play'])).rejects.toThrow(/exists/);
    await expect(users.add('a b', 'x', ['play'])).rejects.toThrow(/invalid user name/);
    await expect(users.add('a&user=b', 'x', ['play'])).rejects.toThrow(/invalid user name/);
    await expect(users.add('bob', '', ['play'])).rejects.toThrow(/password/);
    await expect(users.add('bob', 'x'.repeat(1025), ['play'])).rejects.toThrow(/password/);
    await expect(users.add('bob', 'x', ['admin'])).rejects.toThrow(/permission/);
    await expect(users.changePassword('nobody', 'x')).rejects.toThrow(/no user/);
  });

  it('refuses a malformed record naming the user but not the secret', () => {
    expect(() => new UserStore({ alice: { salt: 'c2FsdHNhbHQ=', key: 'c2hvcnQ=', permissions: ['play'] } })).toThrow(/alice.*32 bytes/);
    expect(() => new UserStore({ alice: { salt: 'c2FsdHNhbHQ=', key: Buffer.alloc(32).toString('base64'), permissions: ['root'] } } as unknown as UserRecord)).toThrow(/permission/);
  });
});
