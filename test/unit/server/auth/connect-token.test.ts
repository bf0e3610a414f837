import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectTokenHmac, issuedTokenKey, verifyConnectToken, type ConnectTokenOptions } from '../../../../src/server/auth/connect-token';
import { buildConnectToken, buildHmacConnectToken } from '../../../../src/server/auth/connect-token-builder';
import { credentialFingerprint } from '../../../../src/server/auth/fingerprint';
import { findConnectTokenFields, type ConnectTokenFields } from '../../../../src/server/auth/connect-token-fields';
import { UserStore } from '../../../../src/server/auth/user-store';
import { EcmaArray, type AmfValue } from '../../../../src/server/rtmp/amf';
import { countingHash } from './fakes';

const NOW = 1_700_000_000;
const b64 = (text: string) => Buffer.from(text).toString('base64');
const fields = (user: string, password: string, time: number | string, permission: string): Record<'ntoken' | 'ptoken' | 'ttoken' | 'ftoken', string> => ({
  ntoken: b64(user),
  ptoken: b64(password),
  ttoken: b64(String(time)),
  ftoken: b64(permission),
});

describe('verifyConnectToken', () => {
  const hash = countingHash();
  const users = new UserStore({}, { hash });
  const options = (action: ConnectTokenOptions['action'], extra: Partial<ConnectTokenOptions> = {}): ConnectTokenOptions => ({ users, action, now: NOW, ...extra });

  beforeAll(async () => {
    await users.add('alice', 'pa55word', ['publish', 'play']);
    await users.add('viewer', 'watch', ['play']);
  });

  it('accepts a valid plain token and says which user, permissions and form', async () => {
    expect(await verifyConnectToken(fields('alice', 'pa55word', NOW, 'publish'), options('publish'))).toEqual({ ok: true, user: 'alice', permissions: ['publish'], form: 'plain' });
  });

  it("accepts the requirement's words: tuiliu to publish and bofang to play", async () => {
    expect(await verifyConnectToken(fields('alice', 'pa55word', NOW, 'tuiliu'), options('publish'))).toMatchObject({ ok: true, permissions: ['publish'] });
    expect(await verifyConnectToken(fields('alice', 'pa55word', NOW, 'bofang'), options('play'))).toMatchObject({ ok: true, permissions: ['play'] });
  });

  it('rejects a token 6 minutes old as expired and one 6 minutes ahead as from the future', async () => {
    expect(await verifyConnectToken(fields('alice', 'pa55word', NOW - 360, 'publish'), options('publish'))).toEqual({ ok: false, reason: 'TOKEN_EXPIRED' });
    expect(await verifyConnectToken(fields('alice', 'pa55word', NOW + 360, 'publish'), options('publish'))).toEqual({ ok: false, reason: 'TOKEN_FROM_FUTURE' });
  });

  it('accepts a token exactly at either edge of the window and rejects one second beyond', async () => {
    for (const time of [NOW - 300, NOW + 300]) expect((await verifyConnectToken(fields('alice', 'pa55word', time, 'play'), options('play'))).ok).toBe(true);
    expect(await verifyConnectToken(fields('alice', 'pa55word', NOW - 301, 'play'), options('play'))).toEqual({ ok: false, reason: 'TOKEN_EXPIRED' });
    expect(await verifyConnectToken(fields('alice', 'pa55word', NOW + 301, 'play'), options('play'))).toEqual({ ok: false, reason: 'TOKEN_FROM_FUTURE' });
  });

  it('uses a configured window', async () => {
    expect((await verifyConnectToken(fields('alice', 'pa55word', NOW - 360, 'play'), options('play', { windowSeconds: 600 }))).ok).toBe(true);
    expect(await verifyConnectToken(fields('alice', 'pa55word', NOW - 31, 'play'), options('play', { windowSeconds: 30 }))).toEqual({ ok: false, reason: 'TOKEN_EXPIRED' });
  });

  it('rejects a wrong password and an unknown user', async () => {
    expect(await verifyConnectToken(fields('alice', 'wrong', NOW, 'publish'), options('publish'))).toEqual({ ok: false, reason: 'PASSWORD_WRONG' });
    expect(await verifyConnectToken(fields('mallory', 'pa55word', NOW, 'publish'), options('publish'))).toEqual({ ok: false, reason: 'USER_UNKNOWN' });
  });

  it('spends exactly one password hash on an unknown user, as on a wrong password', async () => {
    hash.calls = 0;
    await verifyConnectToken(fields('alice', 'wrong', NOW, 'publish'), options('publish'));
    expect(hash.calls).toBe(1);
    await verifyConnectToken(fields('mallory', 'wrong', NOW, 'publish'), options('publish'));
    expect(hash.calls).toBe(2);
  });

  it('rejects a play token used to publish, before hashing the password', async () => {
    hash.calls = 0;
    expect(await verifyConnectToken(fields('alice', 'pa55word', NOW, 'play'), options('publish'))).toEqual({ ok: false, reason: 'PERMISSION_DENIED' });
    expect(await verifyConnectToken(fields('alice', 'pa55word', NOW, 'bofang'), options('publish'))).toEqual({ ok: false, reason: 'PERMISSION_DENIED' });
    expect(hash.calls).toBe(0);
  });

  it("rejects a permission the token claims but the user was not granted", async () => {
    expect(await verifyConnectToken(fields('viewer', 'watch', NOW, 'publish'), options('publish'))).toEqual({ ok: false, reason: 'PERMISSION_DENIED' });
    expect(await verifyConnectToken(fields('viewer', 'watch', NOW, 'publish,play'), options('play'))).toEqual({ ok: true, user: 'viewer', permissions: ['play'], form: 'plain' });
  });

  it('lets any granted permission cover connect', async () => {
    expect((await verifyConnectToken(fields('viewer', 'watch', NOW, 'bofang'), options('connect'))).ok).toBe(true);
  });

  it('reports no token as missing and an incomplete one as malformed', async () => {
    expect(await verifyConnectToken(null, options('play'))).toEqual({ ok: false, reason: 'TOKEN_MISSING' });
    const { ptoken: _dropped, ...incomplete } = fields('alice', 'pa55word', NOW, 'play');
    expect(await verifyConnectToken(incomplete, options('play'))).toEqual({ ok: false, reason: 'TOKEN_MALFORMED' });
  });

  it.each([
    ['malformed Base64 in ntoken', { ntoken: 'YWxp!2U=' }],
    ['malformed Base64 in ptoken', { ptoken: 'cGE1NXdvcmQ=x' }],
    ['a number instead of a string', { ttoken: NOW }],
    ['an object instead of a string', { ftoken: { toString: 'cGxheQ==' } }],
    ['an oversized ptoken', { ptoken: b64('x'.repeat(1025)) }],
    ['a non-decimal time', { ttoken: b64('0x6553f100') }],
    ['a time with a sign', { ttoken: b64(`+${NOW}`) }],
    ['an unknown permission word', { ftoken: b64('admin') }],
    ['an empty user', { ntoken: '' }],
  ])('rejects %s as malformed, without hashing', async (_what, change) => {
    hash.calls = 0;
    expect(await verifyConnectToken({ ...fields('alice', 'pa55word', NOW, 'play'), ...change } as ConnectTokenFields, options('play'))).toEqual({ ok: false, reason: 'TOKEN_MALFORMED' });
    expect(hash.calls).toBe(0);
  });

  it('accepts URL-safe Base64 without padding', async () => {
    const urlSafe = (text: string) => Buffer.from(text).toString('base64url');
    const token = { ntoken: urlSafe('alice'), ptoken: urlSafe('pa55word'), ttoken: urlSafe(String(NOW)), ftoken: urlSafe('play') };
    expect((await verifyConnectToken(token, options('play'))).ok).toBe(true);
  });

  describe('HMAC form', () => {
    const key = () => users.secretKey('alice') ?? Buffer.alloc(0);
    const mac = (message: string) => createHmac('sha256', key()).update(message).digest();

    it('computes HMAC-SHA256 with the stored key over user, ttoken and ftoken joined by newlines', () => {
      expect(connectTokenHmac(key(), 'alice', String(NOW), 'tuiliu')).toEqual(mac(`alice\n${NOW}\ntuiliu`));
    });

    it('accepts the HMAC as hex or Base64 without any password hash', async () => {
      hash.calls = 0;
      const digest = mac(`alice\n${NOW}\npublish`);
      for (const text of [digest.toString('hex'), digest.toString('base64'), digest.toString('base64url')]) {
        expect(await verifyConnectToken(fields('alice', text, NOW, 'publish'), options('publish'))).toEqual({ ok: true, user: 'alice', permissions: ['publish'], form: 'hmac' });
      }
      expect(hash.calls).toBe(0);
    });

    it('verifies a ptoken bound as issued only with the issuing key, with one fingerprint whatever the encoding', async () => {
      const issuingKey = issuedTokenKey(key());
      expect(issuingKey).toEqual(createHmac('sha256', key()).update('airlock/issued-connect-token/v1').digest());
      const digest = connectTokenHmac(issuingKey, 'alice', String(NOW), 'play');
      const fingerprint = credentialFingerprint(digest);
      const bound = options('play', { isIssued: (presented) => presented === fingerprint });
      for (const text of [digest.toString('hex'), digest.toString('base64')]) {
        expect(await verifyConnectToken(fields('alice', text, NOW, 'play'), bound)).toEqual({ ok: true, user: 'alice', permissions: ['play'], form: 'issued', fingerprint });
        expect(await verifyConnectToken(fields('alice', text, NOW, 'play'), options('play'))).toEqual({ ok: false, reason: 'PASSWORD_WRONG' });
      }
      const own = mac(`alice\n${NOW}\nplay`);
      const boundOwn = options('play', { isIssued: (presented) => presented === credentialFingerprint(own) });
      expect(await verifyConnectToken(fields('alice', own.toString('hex'), NOW, 'play'), boundOwn)).toEqual({ ok: false, reason: 'PASSWORD_WRONG' });
    });

    it('rejects a tampered HMAC, or a valid one replayed with another time or permission', async () => {
      const good = mac(`alice\n${NOW}\nplay`);
      const tampered = Buffer.from(good);
      tampered[0] ^= 1;
      expect(await verifyConnectToken(fields('alice', tampered.toString('hex'), NOW, 'play'), options('play'))).toEqual({ ok: false, reason: 'PASSWORD_WRONG' });
      expect(await verifyConnectToken(fields('alice', good.toString('hex'), NOW + 1, 'play'), options('play'))).toEqual({ ok: false, reason: 'PASSWORD_WRONG' });
      expect(await verifyConnectToken(fields('alice', good.toString('hex'), NOW, 'publish,play'), options('play'))).toEqual({ ok: false, reason: 'PASSWORD_WRONG' });
    });

    it("rejects another user's HMAC", async () => {
      const forged = createHmac('sha256', users.secretKey('viewer') ?? Buffer.alloc(0)).update(`alice\n${NOW}\nplay`).digest('hex');
      expect(await verifyConnectToken(fields('alice', forged, NOW, 'play'), options('play'))).toEqual({ ok: false, reason: 'PASSWORD_WRONG' });
    });

    it('still applies the time window and permissions to the HMAC form', async () => {
      const old = mac(`alice\n${NOW - 360}\nplay`).toString('hex');
      expect(await verifyConnectToken(fields('alice', old, NOW - 360, 'play'), options('play'))).toEqual({ ok: false, reason: 'TOKEN_EXPIRED' });
      const viewerKey = users.secretKey('viewer') ?? Buffer.alloc(0);
      const publish = createHmac('sha256', viewerKey).update(`viewer\n${NOW}\npublish`).digest('hex');
      expect(await verifyConnectToken(fields('viewer', publish, NOW, 'publish'), options('publish'))).toEqual({ ok: false, reason: 'PERMISSION_DENIED' });
    });
  });

  describe('buildConnectToken', () => {
    it('builds four Base64 fields that verify', async () => {
      const token = buildConnectToken({ user: 'alice', password: 'pa55word', time: NOW, permission: 'publish' });
      expect(token).toMatchObject({ ntoken: 'YWxpY2U=', ptoken: 'cGE1NXdvcmQ=', ttoken: b64(String(NOW)), ftoken: 'cHVibGlzaA==' });
      expect(await verifyConnectToken(token, options('publish'))).toMatchObject({ ok: true, form: 'plain' });
    });

    it('prints ready-to-paste ffmpeg -rtmp_conn and rtmpdump --conn arguments', () => {
      const token = buildConnectToken({ user: 'alice', password: 'pa55word', time: NOW, permission: 'play' });
      const items = `NS:ntoken:YWxpY2U= NS:ptoken:cGE1NXdvcmQ= NS:ttoken:${b64(String(NOW))} NS:ftoken:cGxheQ==`;
      expect(token.ffmpeg).toBe(`-rtmp_conn "O:1 ${items} O:0"`);
      expect(token.rtmpdump).toBe(`--conn O:1 ${items.split(' ').map((item) => `--conn ${item}`).join(' ')} --conn O:0`);
    });

    it('builds an HMAC token from the stored key that verifies without the password', async () => {
      const token = buildHmacConnectToken({ user: 'alice', key: users.secretKey('alice') ?? Buffer.alloc(0), time: NOW, permission: 'tuiliu' });
      expect(Buffer.from(token.ptoken, 'base64').toString()).toMatch(/^[0-9a-f]{64}$/);
      expect(token.ffmpeg).not.toContain(b64('pa55word'));
      expect(await verifyConnectToken(token, options('publish'))).toMatchObject({ ok: true, user: 'alice', permissions: ['publish'], form: 'hmac' });
    });

    it('refuses a time that is not whole UNIX seconds', () => {
      expect(() => buildConnectToken({ user: 'a', password: 'b', time: 1.5, permission: 'play' })).toThrow(RangeError);
      expect(() => buildConnectToken({ user: 'a', password: 'b', time: -1, permission: 'play' })).toThrow(RangeError);
    });
  });
});

describe('findConnectTokenFields', () => {
  const token = fields('alice', 'pw', NOW, 'play');
  const object = (properties: Record<string, AmfValue>): AmfValue => Object.assign(Object.create(null) as Record<string, AmfValue>, properties);

  it('takes the first plain object after the command object that has a token field', () => {
    const args = [true, 'authMe', object({ other: 1 }), object({ ...token }), object({ ntoken: 'later' })];
    expect(findConnectTokenFields(args, new URLSearchParams())).toEqual(token);
  });

  it('takes a partial object as it is, for the verifier to call malformed', () => {
    expect(findConnectTokenFields([object({ ntoken: 'x', ttoken: 5 })], new URLSearchParams())).toEqual({ ntoken: 'x', ttoken: 5 });
  });

  it('ignores inherited names, arrays and ECMA arrays', () => {
    const inherited = Object.create({ ntoken: 'x' }) as AmfValue;
    expect(findConnectTokenFields([inherited, [token.ntoken], new EcmaArray({ ...token })], new URLSearchParams())).toBeNull();
  });

  it('falls back to query parameters, restoring + turned into a space', () => {
    const query = new URLSearchParams(`ntoken=${token.ntoken}&ptoken=+/8=&ttoken=${token.ttoken}&ftoken=${token.ftoken}`);
    expect(findConnectTokenFields([], query)).toEqual({ ...token, ptoken: '+/8=' });
  });

  it('prefers the connect object over the query', () => {
    expect(findConnectTokenFields([object({ ...token })], new URLSearchParams('ntoken=other'))).toEqual(token);
  });

  it('finds nothing when neither carries a field', () => {
    expect(findConnectTokenFields([null, object({ app: 'live' })], new URLSearchParams('key=1'))).toBeNull();
  });
});
