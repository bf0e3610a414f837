import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { credentialFingerprint } from '../../../../src/server/auth/fingerprint';
import { KeyRing } from '../../../../src/server/auth/key-ring';
import { RevokedLinks } from '../../../../src/server/auth/revoked-links';
import { SignedUrls, type SignedUrlRequest } from '../../../../src/server/auth/signed-url';

const T0 = 1_700_000_000;

function setup(maxTtlSeconds?: number) {
  let now = T0 * 1000;
  const keys = new KeyRing([], { now: () => now });
  keys.add({ id: 'k1', activate: true });
  const urls = new SignedUrls({ keys, maxTtlSeconds, now: () => now });
  return { keys, urls, advance: (seconds: number) => (now += seconds * 1000) };
}

const play: SignedUrlRequest = { app: 'live', stream: 'cam1', action: 'play' };
const q = (text: string) => new URLSearchParams(text);

describe('SignedUrls', () => {
  it('signs exp, kid and sig = Base64url(HMAC-SHA256(secret, permission\\napp/stream\\nexp))', () => {
    const { keys, urls } = setup();
    const query = q(urls.sign('live/cam1', 'play', 600));
    expect([...query.keys()]).toEqual(['exp', 'kid', 'sig']);
    expect(query.get('exp')).toBe(String(T0 + 600));
    expect(query.get('kid')).toBe('k1');
    const expected = createHmac('sha256', keys.lookup('k1')?.secret ?? Buffer.alloc(0)).update(`play\nlive/cam1\n${T0 + 600}`).digest('base64url');
    expect(query.get('sig')).toBe(expected);
    expect(urls.verify(query, play)).toEqual({ ok: true, kid: 'k1', exp: T0 + 600, fingerprint: credentialFingerprint(Buffer.from(expected, 'base64url')) });
  });

  it('refuses one revoked link with TOKEN_REVOKED, in either Base64 alphabet, and leaves other links alone', () => {
    let now = T0 * 1000;
    const keys = new KeyRing([], { now: () => now });
    keys.add({ id: 'k1', activate: true });
    const revoked = new RevokedLinks();
    const urls = new SignedUrls({ keys, revoked, now: () => now });
    const query = q(urls.sign('live/cam1', 'play', 600));
    const other = q(urls.sign('live/cam1', 'play', 601));
    const sig = Buffer.from(query.get('sig') ?? '', 'base64url');
    revoked.revoke(credentialFingerprint(sig), T0 + 600);
    expect(urls.verify(query, play)).toEqual({ ok: false, reason: 'TOKEN_REVOKED' });
    query.set('sig', sig.toString('base64'));
    expect(urls.verify(query, play)).toEqual({ ok: false, reason: 'TOKEN_REVOKED' });
    expect(urls.verify(other, play)).toMatchObject({ ok: true });
    now += 601_000;
    expect(revoked.prune(T0 + 601)).toBe(true);
    expect(revoked.toJSON()).toEqual([]);
  });

  it('refuses a URL signed for one stream on another, and for another app', () => {
    const { urls } = setup();
    const query = q(urls.sign('live/cam1', 'play', 600));
    expect(urls.verify(query, { ...play, stream: 'cam2' })).toEqual({ ok: false, reason: 'SIGNATURE_INVALID' });
    expect(urls.verify(query, { ...play, app: 'other' })).toEqual({ ok: false, reason: 'SIGNATURE_INVALID' });
  });

  it('refuses a play URL used to publish, and a publish URL used to play', () => {
    const { urls } = setup();
    expect(urls.verify(q(urls.sign('live/cam1', 'play', 600)), { ...play, action: 'publish' })).toEqual({ ok: false, reason: 'PERMISSION_DENIED' });
    expect(urls.verify(q(urls.sign('live/cam1', 'publish', 600)), play)).toEqual({ ok: false, reason: 'PERMISSION_DENIED' });
  });

  it('accepts a URL until its exp second and refuses it after', () => {
    const { urls, advance } = setup();
    const query = q(urls.sign('live/cam1', 'play', 60));
    advance(60);
    expect(urls.verify(query, play).ok).toBe(true);
    advance(1);
    expect(urls.verify(query, play)).toEqual({ ok: false, reason: 'TOKEN_EXPIRED' });
  });

  it('refuses to sign beyond the maximum lifetime, and rejects a URL whose exp lies beyond it', () => {
    const { urls, keys } = setup(3600);
    expect(() => urls.sign('live/cam1', 'play', 3601)).toThrow(RangeError);
    expect(() => urls.sign('live/cam1', 'play', 0)).toThrow(RangeError);
    const exp = T0 + 3601;
    const sig = createHmac('sha256', keys.lookup('k1')?.secret ?? Buffer.alloc(0)).update(`play\nlive/cam1\n${exp}`).digest('base64url');
    expect(urls.verify(q(`exp=${exp}&kid=k1&sig=${sig}`), play)).toEqual({ ok: false, reason: 'TOKEN_LIFETIME_EXCEEDED' });
  });

  it('refuses an altered exp', () => {
    const { urls } = setup();
    const query = q(urls.sign('live/cam1', 'play', 60));
    query.set('exp', String(T0 + 120));
    expect(urls.verify(query, play)).toEqual({ ok: false, reason: 'SIGNATURE_INVALID' });
  });

  it('keeps verifying URLs of a rotated-out key until it is retired', () => {
    const { urls, keys } = setup();
    const old = q(urls.sign('live/cam1', 'play', 600));
    keys.add({ id: 'k2', activate: true });
    const fresh = q(urls.sign('live/cam1', 'play', 600));
    expect(fresh.get('kid')).toBe('k2');
    expect(urls.verify(old, play).ok).toBe(true);
    keys.retire('k1');
    expect(urls.verify(old, play)).toEqual({ ok: false, reason: 'KEY_RETIRED' });
    expect(urls.verify(fresh, play).ok).toBe(true);
  });

  it('refuses URLs of a revoked key at once', () => {
    const { urls, keys } = setup();
    const query = q(urls.sign('live/cam1', 'play', 600));
    keys.revoke('k1');
    expect(urls.verify(query, play)).toEqual({ ok: false, reason: 'KEY_REVOKED' });
    expect(() => urls.sign('live/cam1', 'play', 600)).toThrow(/no active/);
  });

  it('refuses an unknown key id', () => {
    const { urls } = setup();
    const query = q(urls.sign('live/cam1', 'play', 600));
    query.set('kid', 'k9');
    expect(urls.verify(query, play)).toEqual({ ok: false, reason: 'KEY_UNKNOWN' });
  });

  it('reports no token as missing and a broken one as malformed', () => {
    const { urls } = setup();
    const good = q(urls.sign('live/cam1', 'play', 600));
    expect(urls.verify(q('other=1'), play)).toEqual({ ok: false, reason: 'TOKEN_MISSING' });
    for (const [name, value] of [['sig', 'short'], ['sig', `${good.get('sig')}!`], ['exp', '-5'], ['exp', '1e9'], ['exp', '9'.repeat(13)]]) {
      const query = new URLSearchParams(good);
      query.set(name, value);
      expect(urls.verify(query, play)).toEqual({ ok: false, reason: 'TOKEN_MALFORMED' });
    }
    const withoutKid = new URLSearchParams(good);
    withoutKid.delete('kid');
    expect(urls.verify(withoutKid, play)).toEqual({ ok: false, reason: 'TOKEN_MALFORMED' });
  });
});
