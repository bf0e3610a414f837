// The authorizer and what the studio issues: connect tokens bound to one stream and expiry, and signed links, each
// revocable one by one; tokens users build themselves keep working as the spec says.
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_WINDOW_SECONDS } from '../../../../src/server/auth/connect-token';
import { buildConnectToken, buildHmacConnectToken, type ConnectToken } from '../../../../src/server/auth/connect-token-builder';
import { credentialFingerprint } from '../../../../src/server/auth/fingerprint';
import { issueBoundConnectToken } from '../../../../src/server/auth/issued-token';
import { securityAuthorizer } from '../../../../src/server/auth/policy';
import { defaultSecurityDocument, parseSecurityDocument, toSecurityDocument, type SecuritySettings } from '../../../../src/server/auth/security-document';
import { SignedUrls } from '../../../../src/server/auth/signed-url';
import type { Action, AuthorizationRequest, Authorizer, Decision } from '../../../../src/server/session/authorization';
import { CapturingLogger } from '../../../support/capturing-logger';
import { countingHash } from './fakes';

const T0 = 1_700_000_000;
const WINDOW = 300;

let settings: SecuritySettings;
let clock: number;
let authorize: Authorizer;

beforeEach(async () => {
  settings = parseSecurityDocument({ ...defaultSecurityDocument(), tokenWindowSeconds: WINDOW }, { users: { hash: countingHash() } });
  settings.signingKeys.add({ id: 'k1', activate: true });
  await settings.users.add('alice', 'her password', ['publish', 'play']);
  await settings.users.add('viewer', 'viewer password', ['play']);
  clock = T0 * 1000;
  authorize = securityAuthorizer({ settings, log: new CapturingLogger(), now: () => clock });
});

const tokenArgs = (token: ConnectToken) => [{ ntoken: token.ntoken, ptoken: token.ptoken, ttoken: token.ttoken, ftoken: token.ftoken }];

function request(action: Action, app: string, stream: string, extra: Partial<AuthorizationRequest> = {}): AuthorizationRequest {
  return { action, app, stream, query: new URLSearchParams(), commandObject: {}, connectArgs: [], remoteAddress: '127.0.0.1', protocol: 'rtmps', ...extra };
}

/** connect, then the action on app/stream, with the token appended to connect; the two codes. */
async function useToken(token: ConnectToken, action: 'publish' | 'play', app: string, stream: string): Promise<[Decision, Decision]> {
  const connectArgs = tokenArgs(token);
  return [await authorize(request('connect', app, '', { connectArgs })), await authorize(request(action, app, stream, { connectArgs }))];
}

/** The same users, keys and policy as `settings`, as another server would hold them, without any token binding. */
const withoutBindings = (): SecuritySettings => parseSecurityDocument({ ...toSecurityDocument(settings), tokenBindings: [] }, { users: { hash: countingHash() } });

const issue = (ttlSeconds = 600, user = 'alice', permission: 'publish' | 'play' = 'play') =>
  issueBoundConnectToken(settings, { user, permission, app: 'live', stream: 'cam', ttlSeconds, nowSeconds: T0 });

describe('issued connect tokens', () => {
  it('are the HMAC form from the stored key, timed so they stop at the chosen expiry, and bound by fingerprint', () => {
    const { token, binding } = issue(600);
    expect(Buffer.from(token.ttoken, 'base64').toString()).toBe(String(T0 + 600 - WINDOW));
    expect(binding).toMatchObject({ app: 'live', stream: 'cam', time: T0 + 300, expiresAt: T0 + 600, revoked: false });
    expect(settings.tokenBindings.toJSON()).toEqual([binding]);
    expect(token.ffmpeg).not.toContain(Buffer.from('her password').toString('base64'));
  });

  it('play their own stream from now until the expiry, and not a second later', async () => {
    const { token } = issue(600);
    expect((await useToken(token, 'play', 'live', 'cam')).map((decision) => decision.code)).toEqual(['CONNECT_TOKEN', 'CONNECT_TOKEN']);
    clock = (T0 + 600) * 1000;
    expect((await useToken(token, 'play', 'live', 'cam'))[1]).toMatchObject({ allow: true });
    clock = (T0 + 601) * 1000;
    expect((await useToken(token, 'play', 'live', 'cam'))[0]).toMatchObject({ allow: false, code: 'TOKEN_EXPIRED' });
  });

  it('refuse another stream or another app (PATH_MISMATCH)', async () => {
    const { token } = issue();
    expect((await useToken(token, 'play', 'live', 'other'))[1]).toMatchObject({ allow: false, code: 'PATH_MISMATCH' });
    expect((await useToken(token, 'play', 'elsewhere', 'cam'))[0]).toMatchObject({ allow: false, code: 'PATH_MISMATCH' });
  });

  it('refuse a token once revoked (TOKEN_REVOKED), at connect and on a connection already open', async () => {
    const { token, binding } = issue();
    const connectArgs = tokenArgs(token);
    expect(await authorize(request('connect', 'live', '', { connectArgs }))).toMatchObject({ allow: true });
    expect(settings.tokenBindings.revoke(binding.fingerprint)).toBe(true);
    expect(await authorize(request('play', 'live', 'cam', { connectArgs }))).toMatchObject({ allow: false, code: 'TOKEN_REVOKED' });
    expect(await authorize(request('connect', 'live', '', { connectArgs }))).toMatchObject({ allow: false, code: 'TOKEN_REVOKED' });
  });

  it('are refused when re-encoded: the ptoken as Base64 of the digest has the same fingerprint', async () => {
    const { token, binding } = issue();
    settings.tokenBindings.revoke(binding.fingerprint);
    const digest = Buffer.from(Buffer.from(token.ptoken, 'base64').toString(), 'hex');
    const reencoded = { ...token, ptoken: Buffer.from(digest.toString('base64')).toString('base64') };
    expect((await useToken(reencoded, 'play', 'live', 'cam'))[0]).toMatchObject({ allow: false, code: 'TOKEN_REVOKED' });
  });

  it('refuse a lifetime beyond twice the window, saying so', () => {
    expect(() => issue(2 * WINDOW + 1)).toThrow(/at most 2 × the token window \(600 s\)/);
    expect(() => issue(60, 'viewer', 'publish')).toThrow(/viewer may not publish/);
    expect(() => issue(60, 'nobody')).toThrow(/no user "nobody"/);
    expect(settings.tokenBindings.toJSON()).toEqual([]);
  });

  it('issued in the same second for another stream, or after a revocation, are other tokens with their own binding', async () => {
    const forStream = (stream: string) => issueBoundConnectToken(settings, { user: 'alice', permission: 'play', app: 'live', stream, ttlSeconds: 600, nowSeconds: T0 });
    const cam = forStream('cam');
    const other = forStream('other');
    expect(other.token.ptoken).not.toBe(cam.token.ptoken);
    expect(other.binding).toMatchObject({ time: T0 + 299, expiresAt: T0 + 599 });
    expect((await useToken(cam.token, 'play', 'live', 'other'))[1]).toMatchObject({ allow: false, code: 'PATH_MISMATCH' });
    expect((await useToken(other.token, 'play', 'live', 'other'))[1]).toMatchObject({ allow: true });
    settings.tokenBindings.revoke(cam.binding.fingerprint);
    const again = forStream('cam');
    expect((await useToken(cam.token, 'play', 'live', 'cam'))[0]).toMatchObject({ allow: false, code: 'TOKEN_REVOKED' });
    expect((await useToken(again.token, 'play', 'live', 'cam'))[1]).toMatchObject({ allow: true });
  });

  it('keep their binding: binding a fingerprint again, or a document binding one twice, is refused', () => {
    const { binding } = issue();
    settings.tokenBindings.revoke(binding.fingerprint);
    expect(() => settings.tokenBindings.bind({ ...binding, revoked: false })).toThrow(/bound already/);
    expect(settings.tokenBindings.refusal(binding.fingerprint, { app: 'live', stream: 'cam', nowSeconds: T0 })).toEqual({ ok: false, reason: 'TOKEN_REVOKED' });
    const twice = [{ ...binding, revoked: true }, { ...binding, revoked: false }];
    expect(() => parseSecurityDocument({ ...defaultSecurityDocument(), tokenBindings: twice })).toThrow(/bound already/);
  });

  it('are forgotten only once no window a document may set lets them verify', () => {
    const { binding } = issue(60);
    expect(settings.tokenBindings.prune(T0 + 60)).toBe(false);
    expect(settings.tokenBindings.prune(binding.time + MAX_WINDOW_SECONDS)).toBe(false);
    expect(settings.tokenBindings.prune(binding.time + MAX_WINDOW_SECONDS + 1)).toBe(true);
    expect(settings.tokenBindings.toJSON()).toEqual([]);
  });

  it('stay refused once revoked when the window is widened after a prune', async () => {
    const { token, binding } = issue(60);
    settings.tokenBindings.revoke(binding.fingerprint);
    clock = (T0 + 2 * WINDOW) * 1000;
    settings.tokenBindings.prune(T0 + 2 * WINDOW);
    settings.tokenWindowSeconds = MAX_WINDOW_SECONDS;
    expect((await useToken(token, 'play', 'live', 'cam'))[0]).toMatchObject({ allow: false, code: 'TOKEN_REVOKED' });
  });

  it('are signed with a key derived for issuing, so they differ from the token the user builds with the same fields', () => {
    const { token } = issue();
    const ttoken = Number(Buffer.from(token.ttoken, 'base64').toString());
    const own = buildHmacConnectToken({ user: 'alice', key: settings.users.secretKey('alice')!, time: ttoken, permission: 'play' });
    expect(token.ptoken).not.toBe(own.ptoken);
  });

  it('fail closed without their binding: a document with the same users but not the binding refuses them for every stream', async () => {
    const { token, binding } = issue();
    const elsewhere = withoutBindings();
    expect(elsewhere.tokenBindings.refusal(binding.fingerprint, { app: 'live', stream: 'cam', nowSeconds: T0 })).toEqual({ ok: false, reason: 'PASSWORD_WRONG' });
    authorize = securityAuthorizer({ settings: elsewhere, log: new CapturingLogger(), now: () => clock });
    for (const [app, stream] of [['live', 'cam'], ['any', 'stream']]) {
      expect((await useToken(token, 'play', app, stream))[0]).toMatchObject({ allow: false, code: 'PASSWORD_WRONG' });
    }
    expect(await authorize(request('play', 'live', 'cam', { connectArgs: tokenArgs(token) }))).toMatchObject({ allow: false, code: 'PASSWORD_WRONG' });
  });

  it('stay refused once revoked, and once their revoked binding is gone too', async () => {
    const { token, binding } = issue();
    settings.tokenBindings.revoke(binding.fingerprint);
    expect((await useToken(token, 'play', 'live', 'cam'))[0]).toMatchObject({ allow: false, code: 'TOKEN_REVOKED' });
    authorize = securityAuthorizer({ settings: withoutBindings(), log: new CapturingLogger(), now: () => clock });
    expect((await useToken(token, 'play', 'any', 'stream')).map((decision) => decision.allow)).toEqual([false, false]);
  });

  it('come only from documents whose window is at most a day', () => {
    expect(() => parseSecurityDocument({ ...defaultSecurityDocument(), tokenWindowSeconds: MAX_WINDOW_SECONDS + 1 })).toThrow(/tokenWindowSeconds must be at most 86400/);
  });
});

describe('tokens users build themselves', () => {
  it('keep working for any stream, in both forms, also with the very fields of a token issued (and revoked) for one stream', async () => {
    const { binding } = issue();
    settings.tokenBindings.revoke(binding.fingerprint);
    const plain = buildConnectToken({ user: 'alice', password: 'her password', time: T0, permission: 'play' });
    const hmac = buildHmacConnectToken({ user: 'alice', key: settings.users.secretKey('alice')!, time: T0, permission: 'play' });
    const sameFields = buildHmacConnectToken({ user: 'alice', key: settings.users.secretKey('alice')!, time: binding.time, permission: 'play' });
    for (const token of [plain, hmac, sameFields]) {
      expect((await useToken(token, 'play', 'any', 'stream')).map((decision) => decision.allow)).toEqual([true, true]);
    }
  });
});

describe('signed links', () => {
  it('are refused once revoked (TOKEN_REVOKED), while other links for the same stream still play', async () => {
    const urls = new SignedUrls({ keys: settings.signingKeys, now: () => clock });
    const revoked = new URLSearchParams(urls.sign('live/cam', 'play', 600));
    const kept = new URLSearchParams(urls.sign('live/cam', 'play', 900));
    settings.revokedLinks.revoke(credentialFingerprint(Buffer.from(revoked.get('sig')!, 'base64url')), T0 + 600);
    expect(await authorize(request('play', 'live', 'cam', { query: revoked }))).toMatchObject({ allow: false, code: 'TOKEN_REVOKED' });
    expect(await authorize(request('play', 'live', 'cam', { query: kept }))).toMatchObject({ allow: true, code: 'SIGNED_URL' });
  });
});
