// KeysService over a real temporary folder: what it keeps across reopening, that no secret reaches the file or the
// snapshot in clear, its errors, and what the server's authorizer makes of every credential it issues and revokes.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { securityAuthorizer } from '../../../../src/server/auth/policy';
import { parseSecurityDocument, type SecurityDocument } from '../../../../src/server/auth/security-document';
import type { AuthorizationRequest } from '../../../../src/server/session/authorization';
import { StudioError } from '../../../../src/shared/ipc/errors';
import type { KeysSnapshot } from '../../../../src/shared/ipc/keys';
import type { ServerEndpoints } from '../../../../src/shared/ipc/server';
import { defaultSettings, type Settings } from '../../../../src/shared/settings';
import { EXPIRED_KEPT_SECONDS, KeysService, STUDIO_PUBLISH_TTL_SECONDS } from '../../../../src/studio/keys/keys-service';
import { CapturingLogger } from '../../../support/capturing-logger';
import { aesVault } from './aes-vault';

const T0 = 1_700_000_000;
const PASSWORD = 'correct horse battery';
const ENDPOINTS: ServerEndpoints = { rtmp: 'rtmp://127.0.0.1:1935', rtmps: 'rtmps://127.0.0.1:1936', http: 'http://127.0.0.1:8000' };

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-keys-'));
  dirs.push(dir);
  const state = { now: T0 * 1000, settings: defaultSettings() as Settings, endpoints: ENDPOINTS };
  const vault = aesVault();
  const file = join(dir, 'keys.json');
  const open = () => KeysService.open({ file, vault, settings: () => state.settings, endpoints: () => state.endpoints, now: () => state.now });
  return { file, vault, state, open, text: () => readFileSync(file, 'utf8') };
}

const rejection = async (promise: Promise<unknown> | (() => unknown)): Promise<StudioError> => {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (error instanceof StudioError) return error;
    throw error;
  }
  throw new Error('expected a StudioError');
};

/** The server's verdict on a play or publish of live/cam carrying `query` in the stream name. */
async function verdict(document: SecurityDocument, action: 'publish' | 'play', query: string, nowMs: number, stream = 'cam') {
  const authorize = securityAuthorizer({ settings: parseSecurityDocument(document), log: new CapturingLogger(), now: () => nowMs });
  const request: AuthorizationRequest = { action, app: 'live', stream, query: new URLSearchParams(query), commandObject: {}, connectArgs: [], remoteAddress: '127.0.0.1', protocol: 'rtmp' };
  return authorize(request);
}

describe('KeysService', () => {
  it('creates its file on first open, mode 0600, with one active signing key', async () => {
    const { file, open } = setup();
    const keys = await open();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(keys.snapshot()).toEqual({ users: [], streamKeys: [], credentials: [], signingKeys: [{ id: expect.any(String), state: 'active', createdAt: T0 }], tokenWindowSeconds: 300 });
    expect(keys.securityDocument()).toMatchObject({ policy: { default: { publish: 'token', play: 'token' }, apps: {} }, tokenWindowSeconds: 300, signingKeys: [{ state: 'active' }] });
  });

  it('keeps everything across reopening, with no secret in clear in the file or the snapshot', async () => {
    const { open, text } = setup();
    const keys = await open();
    await keys.addUser({ name: 'alice', password: PASSWORD, permissions: ['publish', 'play'] });
    const { key, share: keyShare } = await keys.createStreamKey({ app: 'live', stream: 'cam', label: 'OBS at home' });
    const link = await keys.issueCredential({ kind: 'signed-link', permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 3600, label: 'for Bob' });
    const token = await keys.issueCredential({ kind: 'connect-token', permission: 'publish', app: 'live', stream: 'cam', ttlSeconds: 600, user: 'alice', label: 'phone' });
    await keys.flush();

    const document = keys.securityDocument();
    const secrets = [
      PASSWORD,
      document.users.alice.key,
      document.signingKeys[0].secret,
      keyShare.secret,
      link.share.secret,
      new URLSearchParams(link.share.secret).get('sig') as string,
      JSON.parse(token.share.secret).ptoken as string,
    ];
    for (const secret of secrets) {
      expect(text()).not.toContain(secret);
      expect(JSON.stringify(keys.snapshot())).not.toContain(secret);
    }

    const again = await open();
    expect(again.snapshot()).toEqual(keys.snapshot());
    expect(again.securityDocument()).toEqual(document);
    expect(again.reveal({ kind: 'stream-key', id: key.id })).toEqual(keyShare);
    expect(again.reveal({ kind: 'signed-link', id: link.credential.id })).toEqual(link.share);
    expect(again.reveal({ kind: 'connect-token', id: token.credential.id })).toEqual(token.share);
    expect(again.snapshot().streamKeys).toEqual([{ id: key.id, app: 'live', stream: 'cam', label: 'OBS at home', createdAt: T0, revoked: false }]);
    expect(again.snapshot().users).toEqual([{ name: 'alice', permissions: ['publish', 'play'], createdAt: T0 }]);
  });

  it('announces every change: the snapshot as changed, the document as security', async () => {
    const { open } = setup();
    const keys = await open();
    const changed: KeysSnapshot[] = [];
    const security: SecurityDocument[] = [];
    keys.on('changed', (snapshot) => changed.push(snapshot));
    keys.on('security', (document) => security.push(document));
    await keys.addUser({ name: 'alice', password: PASSWORD, permissions: ['play'] });
    const { credential } = await keys.issueCredential({ kind: 'signed-link', permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 600, label: '' });
    await keys.revokeCredential({ id: credential.id });
    expect(changed).toHaveLength(3);
    expect(changed[2].credentials[0]).toMatchObject({ id: credential.id, revoked: true });
    expect(security).toHaveLength(3);
    expect(security[2].revokedLinks).toHaveLength(1);
  });

  it('still tells the server and the screen of a revocation it could not save, and saves it with the next change', async () => {
    const { open, vault, state, text } = setup();
    const keys = await open();
    const { credential, share } = await keys.issueCredential({ kind: 'signed-link', permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 600, label: '' });
    const changed: KeysSnapshot[] = [];
    const security: SecurityDocument[] = [];
    keys.on('changed', (snapshot) => changed.push(snapshot));
    keys.on('security', (document) => security.push(document));
    const seal = vault.seal;
    vault.seal = () => {
      throw new Error('disk full');
    };
    expect(await rejection(keys.revokeCredential({ id: credential.id }))).toMatchObject({ code: 'SECRET_STORAGE', message: expect.stringContaining('disk full') });
    expect(changed.at(-1)?.credentials[0]).toMatchObject({ id: credential.id, revoked: true });
    expect(await verdict(security.at(-1)!, 'play', share.secret, state.now)).toMatchObject({ allow: false, code: 'TOKEN_REVOKED' });
    expect(JSON.parse(text()).credentials[0].revoked).toBe(false);

    vault.seal = seal;
    await keys.addUser({ name: 'alice', password: PASSWORD, permissions: ['play'] });
    expect(JSON.parse(text()).credentials[0].revoked).toBe(true);
  });

  it('takes policy and token window from the settings as they are when asked', async () => {
    const { open, state } = setup();
    const keys = await open();
    state.settings = { ...state.settings, policy: { publish: 'token', play: 'open' }, server: { ...state.settings.server, tokenWindowSeconds: 120 } };
    expect(keys.securityDocument()).toMatchObject({ policy: { default: { publish: 'token', play: 'open' } }, tokenWindowSeconds: 120 });
    expect(keys.snapshot().tokenWindowSeconds).toBe(120);
  });

  it('issues signed links the server accepts for their path and permission, refuses once revoked, and forgets their secret', async () => {
    const { open, state } = setup();
    const keys = await open();
    const { credential, share } = await keys.issueCredential({ kind: 'signed-link', permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 30 * 24 * 3600, label: '' });
    expect(credential).toMatchObject({ kind: 'signed-link', user: null, issuedAt: T0, expiresAt: T0 + 30 * 24 * 3600, revoked: false });
    expect(await verdict(keys.securityDocument(), 'play', share.secret, state.now)).toMatchObject({ allow: true, code: 'SIGNED_URL' });
    expect(await verdict(keys.securityDocument(), 'publish', share.secret, state.now)).toMatchObject({ allow: false });
    expect(await verdict(keys.securityDocument(), 'play', share.secret, state.now, 'other')).toMatchObject({ allow: false });

    expect(await keys.revokeCredential({ id: credential.id })).toBe(true);
    expect(await keys.revokeCredential({ id: credential.id })).toBe(false);
    expect(await verdict(keys.securityDocument(), 'play', share.secret, state.now)).toMatchObject({ allow: false, code: 'TOKEN_REVOKED' });
    expect(await rejection(() => keys.reveal({ kind: 'signed-link', id: credential.id }))).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('revoked') });
  });

  it('issues connect tokens bound to their stream, with a ttl of at most twice the window', async () => {
    const { open } = setup();
    const keys = await open();
    await keys.addUser({ name: 'alice', password: PASSWORD, permissions: ['publish'] });
    const { credential } = await keys.issueCredential({ kind: 'connect-token', permission: 'publish', app: 'live', stream: 'cam', ttlSeconds: 600, user: 'alice', label: '' });
    expect(credential).toMatchObject({ user: 'alice', expiresAt: T0 + 600 });
    expect(keys.securityDocument().tokenBindings).toEqual([expect.objectContaining({ app: 'live', stream: 'cam', expiresAt: T0 + 600, revoked: false })]);

    const tooLong = await rejection(keys.issueCredential({ kind: 'connect-token', permission: 'publish', app: 'live', stream: 'cam', ttlSeconds: 601, user: 'alice', label: '' }));
    expect(tooLong).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('2 × the token window (600 s)'), hint: expect.stringContaining('signed link') });
    expect(await rejection(keys.issueCredential({ kind: 'connect-token', permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 60, user: 'alice', label: '' }))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('may not play') });
    expect(await rejection(keys.issueCredential({ kind: 'connect-token', permission: 'publish', app: 'live', stream: 'cam', ttlSeconds: 60, user: 'bob', label: '' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await rejection(keys.issueCredential({ kind: 'connect-token', permission: 'publish', app: 'live', stream: 'cam', ttlSeconds: 60, label: '' }))).toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('revokes a user’s issued tokens with a new password or the user', async () => {
    const { open } = setup();
    const keys = await open();
    await keys.addUser({ name: 'alice', password: PASSWORD, permissions: ['publish', 'play'] });
    const issue = () => keys.issueCredential({ kind: 'connect-token', permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 300, user: 'alice', label: '' });
    const first = await issue();
    await keys.setPassword({ name: 'alice', password: 'a brand new passphrase' });
    expect(keys.snapshot().credentials.find((entry) => entry.id === first.credential.id)?.revoked).toBe(true);
    const second = await issue();
    expect(await keys.removeUser({ name: 'alice' })).toBe(true);
    expect(keys.snapshot().credentials.every((entry) => entry.revoked)).toBe(true);
    expect(keys.securityDocument().tokenBindings.map((binding) => binding.revoked)).toEqual([true, true]);
    expect(await rejection(() => keys.reveal({ kind: 'connect-token', id: second.credential.id }))).toMatchObject({ code: 'CONFLICT' });
  });

  it('runs changes one at a time: a user added twice at once conflicts, a removal waits for a password change', async () => {
    const { open } = setup();
    const keys = await open();
    const add = () => keys.addUser({ name: 'alice', password: PASSWORD, permissions: ['play'] });
    const [first, second] = await Promise.allSettled([add(), add()]);
    expect(first.status).toBe('fulfilled');
    expect(second).toMatchObject({ status: 'rejected', reason: { code: 'CONFLICT' } });
    const changed = keys.setPassword({ name: 'alice', password: 'another good passphrase' });
    const removed = keys.removeUser({ name: 'alice' });
    await Promise.all([changed, removed]);
    expect(keys.snapshot().users).toEqual([]);
  });

  it('refuses a taken name, a weak password and unknown ids, with hints', async () => {
    const { open } = setup();
    const keys = await open();
    await keys.addUser({ name: 'alice', password: PASSWORD, permissions: ['play'] });
    expect(await rejection(keys.addUser({ name: 'alice', password: PASSWORD, permissions: ['play'] }))).toMatchObject({ code: 'CONFLICT', hint: expect.any(String) });
    for (const password of ['short', 'bob-rocks-2024', 'aaaaaaaaaaaa']) {
      expect(await rejection(keys.addUser({ name: 'bob', password, permissions: ['play'] }))).toMatchObject({ code: 'INVALID_INPUT', hint: expect.any(String) });
    }
    expect(await rejection(keys.addUser({ name: 'no spaces', password: PASSWORD, permissions: ['play'] }))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(await rejection(keys.setPassword({ name: 'bob', password: PASSWORD }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await rejection(keys.removeUser({ name: 'bob' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await rejection(keys.revokeStreamKey({ id: 'nope' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await rejection(keys.revokeCredential({ id: 'nope' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await rejection(() => keys.reveal({ kind: 'stream-key', id: 'nope' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await rejection(keys.createStreamKey({ app: 'live', stream: 'cam$HOME', label: '' }))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(keys.snapshot().users).toHaveLength(1);
  });

  it('revokes a stream key: the server refuses it and it can no longer be revealed', async () => {
    const { open, state } = setup();
    const keys = await open();
    const { key, share } = await keys.createStreamKey({ app: 'live', stream: 'cam', label: '' });
    expect(await verdict(keys.securityDocument(), 'publish', `key=${share.secret}`, state.now)).toMatchObject({ allow: true, code: 'STREAM_KEY' });
    expect(await keys.revokeStreamKey({ id: key.id })).toBe(true);
    expect(await keys.revokeStreamKey({ id: key.id })).toBe(false);
    expect(await verdict(keys.securityDocument(), 'publish', `key=${share.secret}`, state.now)).toMatchObject({ allow: false, code: 'KEY_REVOKED' });
    expect(await rejection(() => keys.reveal({ kind: 'stream-key', id: key.id }))).toMatchObject({ code: 'CONFLICT' });
  });

  it('rotates the signing key: old links keep working unless the previous key is retired', async () => {
    const { open, state } = setup();
    const keys = await open();
    const issue = () => keys.issueCredential({ kind: 'signed-link', permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 600, label: '' });
    const first = await issue();
    const kept = await keys.rotateSigningKey({ retirePrevious: false });
    expect(kept.map((key) => key.state).sort()).toEqual(['active', 'valid']);
    expect(await verdict(keys.securityDocument(), 'play', first.share.secret, state.now)).toMatchObject({ allow: true });
    const second = await issue();
    const rotated = await keys.rotateSigningKey({ retirePrevious: true });
    expect(rotated.map((key) => key.state).sort()).toEqual(['active', 'retired', 'retired']);
    expect(await verdict(keys.securityDocument(), 'play', second.share.secret, state.now)).toMatchObject({ allow: false, code: 'KEY_RETIRED' });
    expect(keys.snapshot().credentials.map((entry) => entry.revoked)).toEqual([true, true]);
  });

  it('signs the studio’s own short links: 15 minutes to publish, the asked time to play, never listed', async () => {
    const { open, state } = setup();
    const keys = await open();
    const publish = keys.studioPublishQuery('live', 'studio');
    expect(new URLSearchParams(publish).get('exp')).toBe(String(T0 + STUDIO_PUBLISH_TTL_SECONDS));
    expect(await verdict(keys.securityDocument(), 'publish', publish, state.now, 'studio')).toMatchObject({ allow: true, code: 'SIGNED_URL' });
    const play = keys.studioPlayQuery('live', 'studio', 60);
    expect(play.expiresAt).toBe(T0 + 60);
    expect(await verdict(keys.securityDocument(), 'play', play.query, state.now, 'studio')).toMatchObject({ allow: true });
    expect(keys.snapshot().credentials).toEqual([]);
  });

  it('forgets an expired credential’s secret, then the credential itself a week later', async () => {
    const { open, state, text } = setup();
    const keys = await open();
    const { credential, share } = await keys.issueCredential({ kind: 'signed-link', permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 60, label: '' });
    await keys.revokeCredential({ id: credential.id });
    state.now = (T0 + 61) * 1000;
    expect(await rejection(() => keys.reveal({ kind: 'signed-link', id: credential.id }))).toMatchObject({ code: 'CONFLICT' });
    await keys.createStreamKey({ app: 'live', stream: 'cam', label: '' });
    expect(keys.securityDocument().revokedLinks).toEqual([]);
    expect(keys.snapshot().credentials).toHaveLength(1);
    state.now = (T0 + 61 + EXPIRED_KEPT_SECONDS) * 1000;
    await (await open()).flush();
    expect(text()).not.toContain(credential.id);
    expect(text()).not.toContain(new URLSearchParams(share.secret).get('sig') as string);
  });

  it('shares use the running server’s endpoints, or the configured ports while it is down', async () => {
    const { open, state } = setup();
    const keys = await open();
    const { share } = await keys.issueCredential({ kind: 'signed-link', permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 600, label: '' });
    expect(share.play?.rtmp).toBe(`rtmp://127.0.0.1:1935/live/cam?${share.secret}`);
    state.endpoints = { rtmp: null, rtmps: null, http: null };
    state.settings = { ...state.settings, server: { ...state.settings.server, rtmpPort: 2935, rtmpsEnabled: false, httpPort: 9000 } };
    expect(keys.reveal({ kind: 'signed-link', id: keys.snapshot().credentials[0].id }).play).toEqual({
      rtmp: `rtmp://127.0.0.1:2935/live/cam?${share.secret}`,
      rtmps: null,
      httpFlv: `http://127.0.0.1:9000/live/cam.flv?${share.secret}`,
    });
  });

  it('refuses a file sealed by another vault, and a sealed value moved to another field', async () => {
    const { file, open, state } = setup();
    const keys = await open();
    await keys.createStreamKey({ app: 'live', stream: 'a', label: '' });
    await keys.createStreamKey({ app: 'live', stream: 'b', label: '' });
    await keys.flush();
    const stranger = KeysService.open({ file, vault: aesVault(), settings: () => state.settings, endpoints: () => ENDPOINTS });
    expect(await rejection(stranger)).toMatchObject({ code: 'SECRET_STORAGE', message: expect.stringContaining(file) });
    const json = JSON.parse(readFileSync(file, 'utf8')) as { streamKeys: Record<string, { key: string }> };
    const [first, second] = Object.values(json.streamKeys);
    first.key = second.key;
    writeFileSync(file, JSON.stringify(json));
    expect(await rejection(open())).toMatchObject({ code: 'SECRET_STORAGE', message: expect.stringContaining('sealed for another field') });
    writeFileSync(file, JSON.stringify({ ...json, version: 2 }));
    expect(await rejection(open())).toMatchObject({ code: 'SETTINGS_INVALID', message: expect.stringContaining('version') });
  });
});
