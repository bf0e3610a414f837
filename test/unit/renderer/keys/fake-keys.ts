// An in-memory keys service behind a FakeAirlock, for the Keys and tokens screen's tests: it keeps what was created and revoked.
import { StudioError, type CredentialShare, type IssuedCredentialInfo, type KeysSnapshot, type SigningKeyInfo } from '../../../../src/shared/ipc';
import { FakeAirlock } from '../studio/fake-airlock';

export const NOW = Date.UTC(2026, 0, 1, 10, 0, 0);

export const shareOf = (id: string): CredentialShare => ({
  obs: { server: 'rtmp://127.0.0.1:1935/live', streamKey: `studio?secret-${id}` },
  ffmpeg: `ffmpeg -re -i INPUT -c:v libx264 -c:a aac -f flv "rtmp://127.0.0.1:1935/live/studio?secret-${id}"`,
  play: { rtmp: `rtmp://127.0.0.1:1935/live/studio?secret-${id}`, rtmps: null, httpFlv: `http://127.0.0.1:8000/live/studio.flv?secret-${id}` },
  secret: `secret-${id}`,
});

export function credential(id: string, patch: Partial<IssuedCredentialInfo> = {}): IssuedCredentialInfo {
  return { id, kind: 'signed-link', label: '', permission: 'publish', app: 'live', stream: 'studio', user: null, issuedAt: NOW, expiresAt: Math.floor(Date.now() / 1000) + 3600, revoked: false, ...patch };
}

/** A FakeAirlock answering every keys.* request from `snapshot`, which the test may look into. */
export function fakeKeys(initial: Partial<KeysSnapshot> = {}): { api: FakeAirlock; snapshot: KeysSnapshot } {
  const snapshot: KeysSnapshot = {
    users: [],
    streamKeys: [],
    credentials: [],
    signingKeys: [{ id: 'k1', state: 'active', createdAt: NOW }],
    tokenWindowSeconds: 300,
    ...initial,
  };
  let next = 1;
  const copy = (): KeysSnapshot => structuredClone(snapshot);
  const api = new FakeAirlock()
    .handle('keys.list', copy)
    .handle('keys.addUser', ({ name, permissions }) => {
      if (snapshot.users.some((user) => user.name === name)) throw new StudioError('CONFLICT', `a user named ${name} exists`);
      const user = { name, permissions, createdAt: NOW };
      snapshot.users.push(user);
      return user;
    })
    .handle('keys.setPassword', ({ name }) => snapshot.users.find((user) => user.name === name)!)
    .handle('keys.removeUser', ({ name }) => {
      const before = snapshot.users.length;
      snapshot.users = snapshot.users.filter((user) => user.name !== name);
      return snapshot.users.length < before;
    })
    .handle('keys.createStreamKey', ({ app, stream, label = '' }) => {
      const key = { id: `s${next++}`, app, stream, label, createdAt: NOW, revoked: false };
      snapshot.streamKeys.push(key);
      return { key, share: shareOf(key.id) };
    })
    .handle('keys.revokeStreamKey', ({ id }) => {
      snapshot.streamKeys = snapshot.streamKeys.map((key) => (key.id === id ? { ...key, revoked: true } : key));
      return true;
    })
    .handle('keys.issueCredential', ({ kind, permission, app, stream, ttlSeconds, user, label = '' }) => {
      const issued = credential(`c${next++}`, { kind, permission, app, stream, label, user: user ?? null, issuedAt: Date.now(), expiresAt: Math.floor(Date.now() / 1000) + ttlSeconds });
      snapshot.credentials.push(issued);
      return { credential: issued, share: shareOf(issued.id) };
    })
    .handle('keys.revokeCredential', ({ id }) => {
      snapshot.credentials = snapshot.credentials.map((known) => (known.id === id ? { ...known, revoked: true } : known));
      return true;
    })
    .handle('keys.rotateSigningKey', ({ retirePrevious }) => {
      const rotated: SigningKeyInfo[] = snapshot.signingKeys.map((key) => (key.state === 'active' ? { ...key, state: retirePrevious ? 'retired' : 'valid' } : key));
      snapshot.signingKeys = [...rotated, { id: `k${snapshot.signingKeys.length + 1}`, state: 'active', createdAt: NOW }];
      return snapshot.signingKeys;
    })
    .handle('keys.reveal', ({ id }) => shareOf(id));
  return { api, snapshot };
}
