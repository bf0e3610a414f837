// The Keys and tokens screen's service: users, stream keys, signed links and connect tokens the studio issues, the
// signing keys, and the security document the server process decides with. Every secret is sealed on disk.
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { decodeBase64Field } from '../../server/auth/base64-field';
import { credentialFingerprint } from '../../server/auth/fingerprint';
import { issueBoundConnectToken } from '../../server/auth/issued-token';
import { defaultSecurityDocument, parseSecurityDocument, toSecurityDocument, type SecurityDocument, type SecuritySettings } from '../../server/auth/security-document';
import { SignedUrls } from '../../server/auth/signed-url';
import { isValidUserName } from '../../server/auth/user-store';
import type { HandlerInput } from '../../shared/ipc/contract';
import { StudioError } from '../../shared/ipc/errors';
import { MAX_CREDENTIAL_TTL_SECONDS, type CredentialShare, type IssuedCredentialInfo, type KeysSnapshot, type SigningKeyInfo, type StreamKeyInfo, type UserInfo } from '../../shared/ipc/keys';
import type { ServerEndpoints } from '../../shared/ipc/server';
import type { Settings } from '../../shared/settings';
import type { SecretVault } from '../ports';
import { SerialQueue } from '../serial-queue';
import { credentialShare, SHELL_UNSAFE, type ShareEndpoints, type ShareSecret } from './credential-share';
import { readKeysFile, writeKeysFile, type KeysFileContent, type StoredCredential } from './keys-file';
import { passwordWeakness } from './password-rules';

export interface KeysServiceOptions {
  /** The keys file: created (0600) on first open with an active signing key. */
  file: string;
  vault: SecretVault;
  /** The current settings: policy and server.tokenWindowSeconds go into the security document. */
  settings: () => Settings;
  /** Where the server listens, for the shares; when it is down, the configured ports on 127.0.0.1 stand in. */
  endpoints: () => ServerEndpoints;
  /** Clock in milliseconds. Default Date.now. */
  now?: () => number;
}

export interface KeysServiceEvents {
  changed: [KeysSnapshot];
  security: [SecurityDocument];
}

/** How long the encoder's and test bench's own publish links live: one ffmpeg run's start, with room for restarts. */
export const STUDIO_PUBLISH_TTL_SECONDS = 15 * 60;
/** An expired credential stays listed (secret gone) this long, then is forgotten. */
export const EXPIRED_KEPT_SECONDS = 7 * 24 * 60 * 60;

/**
 * Opened once by the composition root. Each change is saved (queued, atomic) and then announced: 'changed' with the
 * snapshot for the renderer, 'security' with the document for the server process. Errors are StudioErrors.
 */
export class KeysService extends EventEmitter<KeysServiceEvents> {
  // Changes run one at a time (a password hash is awaited mid-change), each saved before the next starts.
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly options: KeysServiceOptions,
    private readonly content: KeysFileContent,
  ) {
    super();
  }

  static async open(options: KeysServiceOptions): Promise<KeysService> {
    const stored = await readKeysFile(options.file, options.vault, { now: options.now });
    const service = new KeysService(options, stored ?? freshContent(options));
    const { signingKeys } = service.content.security;
    const keyless = signingKeys.active() === undefined;
    if (keyless) signingKeys.add({ activate: true });
    if (service.prune() || keyless) await service.save();
    return service;
  }

  snapshot(): KeysSnapshot {
    const { security, userSince, streamKeys, credentials } = this.content;
    return {
      users: security.users.list().map(({ name, permissions }) => ({ name, permissions, createdAt: userSince[name] ?? 0 })),
      streamKeys: security.streamKeys.list().map((key) => ({ ...key, label: streamKeys[key.id]?.label ?? '' })),
      credentials: credentials.map(credentialInfo),
      signingKeys: security.signingKeys.list(),
      tokenWindowSeconds: this.windowSeconds(),
    };
  }

  /** The document the server process decides with: policy and token window from the settings. */
  securityDocument(): SecurityDocument {
    return toSecurityDocument(this.liveSecurity());
  }

  addUser({ name, password, permissions }: HandlerInput<'keys.addUser'>): Promise<UserInfo> {
    return this.queue.run(async () => {
      if (!isValidUserName(name)) throw new StudioError('INVALID_INPUT', `"${name}" cannot be a user name`, 'Use 1 to 64 letters, digits, and . _ @ -');
      const { users } = this.content.security;
      if (users.permissions(name) !== undefined) throw new StudioError('CONFLICT', `user ${name} exists`, 'Choose another name, or set a new password for this user.');
      checkPassword(name, password);
      await users.add(name, password, permissions);
      this.content.userSince[name] = this.seconds();
      await this.changed();
      return this.userInfo(name);
    });
  }

  /** A new password; the user's issued connect tokens (made from the old one) are revoked with it. */
  setPassword({ name, password }: HandlerInput<'keys.setPassword'>): Promise<UserInfo> {
    return this.queue.run(async () => {
      this.requireUser(name);
      checkPassword(name, password);
      await this.content.security.users.changePassword(name, password);
      this.revokeTokensOf(name);
      await this.changed();
      return this.userInfo(name);
    });
  }

  /** Removes a user and revokes the connect tokens issued for them. */
  removeUser({ name }: HandlerInput<'keys.removeUser'>): Promise<boolean> {
    return this.queue.run(async () => {
      this.requireUser(name);
      this.content.security.users.remove(name);
      delete this.content.userSince[name];
      this.revokeTokensOf(name);
      await this.changed();
      return true;
    });
  }

  createStreamKey({ app, stream, label }: HandlerInput<'keys.createStreamKey'>): Promise<{ key: StreamKeyInfo; share: CredentialShare }> {
    return this.queue.run(async () => {
      checkShareable(app, stream);
      const { id, key } = this.content.security.streamKeys.create(app, stream);
      this.content.streamKeys[id] = { label, key };
      await this.changed();
      return { key: this.streamKeyInfo(id), share: this.share({ kind: 'stream-key', app, stream, key }) };
    });
  }

  /** Stops a stream key at once; false when it already was. Its secret is forgotten. */
  revokeStreamKey({ id }: HandlerInput<'keys.revokeStreamKey'>): Promise<boolean> {
    return this.queue.run(async () => {
      if (this.streamKeyInfo(id).revoked) return false;
      this.content.security.streamKeys.revoke(id);
      this.content.streamKeys[id] = { label: this.content.streamKeys[id]?.label ?? '', key: null };
      await this.changed();
      return true;
    });
  }

  issueCredential(input: HandlerInput<'keys.issueCredential'>): Promise<{ credential: IssuedCredentialInfo; share: CredentialShare }> {
    return this.queue.run(async () => {
      const { kind, permission, app, stream, ttlSeconds, label } = input;
      checkShareable(app, stream);
      const issuedAt = this.seconds();
      const base = { id: `cr_${randomBytes(6).toString('hex')}`, kind, label, permission, app, stream, issuedAt, revoked: false };
      let stored: StoredCredential;
      if (kind === 'signed-link') {
        const query = this.signer().sign(`${app}/${stream}`, permission, ttlSeconds);
        const params = new URLSearchParams(query);
        const sig = decodeBase64Field(params.get('sig') ?? '', 32) as Buffer;
        stored = { ...base, user: null, expiresAt: Number(params.get('exp')), fingerprint: credentialFingerprint(sig), kid: params.get('kid'), secret: query };
      } else {
        if (input.user === undefined) throw new StudioError('INVALID_INPUT', 'a connect token speaks for a user: choose one', 'Pick the user the token is for, or issue a signed link instead.');
        this.requireUser(input.user);
        const { token, binding } = this.issueToken({ user: input.user, permission, app, stream, ttlSeconds, nowSeconds: issuedAt });
        const fields = { ntoken: token.ntoken, ptoken: token.ptoken, ttoken: token.ttoken, ftoken: token.ftoken };
        stored = { ...base, user: input.user, expiresAt: binding.expiresAt, fingerprint: binding.fingerprint, kid: null, secret: JSON.stringify(fields) };
      }
      this.content.credentials.push(stored);
      await this.changed();
      return { credential: credentialInfo(stored), share: this.share(shareSecret(stored)) };
    });
  }

  /** Stops one credential before it expires; false when it already was. Its secret is forgotten. */
  revokeCredential({ id }: HandlerInput<'keys.revokeCredential'>): Promise<boolean> {
    return this.queue.run(async () => {
      const credential = this.credential(id);
      if (credential.revoked) return false;
      this.revoke(credential);
      await this.changed();
      return true;
    });
  }

  /**
   * Activates a new signing key. The previous ones keep verifying unless retirePrevious: then every link they
   * signed stops working, and the links the studio issued with them are listed as revoked.
   */
  rotateSigningKey({ retirePrevious }: HandlerInput<'keys.rotateSigningKey'>): Promise<SigningKeyInfo[]> {
    return this.queue.run(async () => {
      const { signingKeys } = this.content.security;
      const previous = signingKeys.list().filter((key) => key.state === 'active' || key.state === 'valid');
      signingKeys.add({ activate: true });
      if (retirePrevious) {
        for (const key of previous) signingKeys.retire(key.id);
        const retired = new Set(previous.map((key) => key.id));
        for (const credential of this.content.credentials) if (credential.kid !== null && retired.has(credential.kid)) this.forget(credential);
      }
      await this.changed();
      return signingKeys.list();
    });
  }

  /** The ready-to-paste forms of a stream key or credential that still works. */
  reveal({ kind, id }: HandlerInput<'keys.reveal'>): CredentialShare {
    if (kind === 'stream-key') {
      const info = this.streamKeyInfo(id);
      const key = this.content.streamKeys[id]?.key ?? null;
      if (info.revoked || key === null) throw new StudioError('CONFLICT', `stream key ${id} was revoked`, 'Create a new stream key.');
      return this.share({ kind, app: info.app, stream: info.stream, key });
    }
    const credential = this.credential(id);
    if (credential.kind !== kind) throw new StudioError('NOT_FOUND', `no ${kind} ${id}`, 'Refresh the list and try again.');
    if (credential.revoked) throw new StudioError('CONFLICT', `${kind} ${id} was revoked`, 'Issue a new one.');
    if (credential.secret === null || credential.expiresAt < this.seconds()) throw new StudioError('CONFLICT', `${kind} ${id} has expired`, 'Issue a new one.');
    return this.share(shareSecret(credential));
  }

  /** A fresh signed publish query (exp, kid, sig; no `?`) for the studio's own encoder and test bench: never listed, 15 minutes. */
  studioPublishQuery(app: string, stream: string): string {
    return this.signer().sign(`${app}/${stream}`, 'publish', STUDIO_PUBLISH_TTL_SECONDS);
  }

  /** A fresh signed play query for the in-app preview, and when it expires (UNIX seconds). */
  studioPlayQuery(app: string, stream: string, ttlSeconds: number): { query: string; expiresAt: number } {
    const query = this.signer().sign(`${app}/${stream}`, 'play', ttlSeconds);
    return { query, expiresAt: Number(new URLSearchParams(query).get('exp')) };
  }

  /** Resolves when every change asked for so far is done and on disk. */
  flush(): Promise<void> {
    return this.queue.idle();
  }

  private issueToken(request: Parameters<typeof issueBoundConnectToken>[1]) {
    try {
      return issueBoundConnectToken(this.liveSecurity(), request);
    } catch (error) {
      const window = this.windowSeconds();
      const hint = request.ttlSeconds > 2 * window
        ? `Connect tokens last at most ${2 * window} s (twice the ${window} s token window); for longer, issue a signed link.`
        : `Give ${request.user} the ${request.permission} permission, or choose another user.`;
      throw new StudioError('INVALID_INPUT', error instanceof Error ? error.message : String(error), hint);
    }
  }

  /** Marks a credential revoked, tells the server (revocation list or binding), forgets its secret. */
  private revoke(credential: StoredCredential): void {
    const { revokedLinks, tokenBindings } = this.content.security;
    if (credential.kind === 'signed-link') revokedLinks.revoke(credential.fingerprint, credential.expiresAt);
    else tokenBindings.revoke(credential.fingerprint);
    this.forget(credential);
  }

  private forget(credential: StoredCredential): void {
    credential.revoked = true;
    credential.secret = null;
  }

  private revokeTokensOf(user: string): void {
    for (const credential of this.content.credentials) if (credential.kind === 'connect-token' && credential.user === user && !credential.revoked) this.revoke(credential);
  }

  /**
   * Drops what can no longer matter: revocations and bindings of credentials that cannot verify any more, secrets of
   * expired credentials, and expired credentials after EXPIRED_KEPT_SECONDS. True when anything changed.
   */
  private prune(): boolean {
    const now = this.seconds();
    const { revokedLinks, tokenBindings } = this.content.security;
    let changed = revokedLinks.prune(now);
    changed = tokenBindings.prune(now) || changed;
    const kept = this.content.credentials.filter((credential) => credential.expiresAt + EXPIRED_KEPT_SECONDS >= now);
    changed ||= kept.length !== this.content.credentials.length;
    for (const credential of kept) {
      if (credential.secret !== null && credential.expiresAt < now) {
        credential.secret = null;
        changed = true;
      }
    }
    this.content.credentials = kept;
    return changed;
  }

  /**
   * Saves and announces one change. Announced even when the save fails: the change is made in memory and goes to disk
   * with the next save, and a revocation must reach the server now (asked again, it would answer "already revoked").
   */
  private async changed(): Promise<void> {
    this.prune();
    try {
      await this.save();
    } finally {
      this.emit('changed', this.snapshot());
      this.emit('security', this.securityDocument());
    }
  }

  private async save(): Promise<void> {
    try {
      await writeKeysFile(this.options.file, this.content, this.options.vault);
    } catch (error) {
      throw new StudioError('SECRET_STORAGE', `cannot save the keys file ${this.options.file}: ${error instanceof Error ? error.message : String(error)}`, 'Check that the disk has room and the folder is writable.');
    }
  }

  private liveSecurity(): SecuritySettings {
    const settings = this.options.settings();
    const security = this.content.security;
    security.policy = { default: { publish: settings.policy.publish, play: settings.policy.play }, apps: {} };
    security.tokenWindowSeconds = settings.server.tokenWindowSeconds;
    security.maxSignedTtlSeconds = MAX_CREDENTIAL_TTL_SECONDS;
    return security;
  }

  private signer(): SignedUrls {
    return new SignedUrls({ keys: this.content.security.signingKeys, maxTtlSeconds: MAX_CREDENTIAL_TTL_SECONDS, now: this.clock() });
  }

  private share(secret: ShareSecret): CredentialShare {
    return credentialShare(secret, this.shareEndpoints());
  }

  /** The running server's endpoints; while it is down, what it will listen on (127.0.0.1 and the configured ports). */
  private shareEndpoints(): ShareEndpoints {
    const live = this.options.endpoints();
    const rtmp = live.rtmp ?? live.rtmps;
    if (rtmp !== null) return { ...live, rtmp };
    const { server } = this.options.settings();
    const rtmps = server.rtmpsEnabled ? `rtmps://127.0.0.1:${server.rtmpsPort}` : null;
    return { rtmp: `rtmp://127.0.0.1:${server.rtmpPort}`, rtmps, http: `http://127.0.0.1:${server.httpPort}` };
  }

  private windowSeconds(): number {
    return this.options.settings().server.tokenWindowSeconds;
  }

  private clock(): () => number {
    return this.options.now ?? Date.now;
  }

  private seconds(): number {
    return Math.floor(this.clock()() / 1000);
  }

  private requireUser(name: string): void {
    if (this.content.security.users.permissions(name) === undefined) throw new StudioError('NOT_FOUND', `no user ${name}`, 'Refresh the list: the user may have been removed.');
  }

  private userInfo(name: string): UserInfo {
    return this.snapshot().users.find((user) => user.name === name) as UserInfo;
  }

  private streamKeyInfo(id: string): StreamKeyInfo {
    const info = this.snapshot().streamKeys.find((key) => key.id === id);
    if (!info) throw new StudioError('NOT_FOUND', `no stream key ${id}`, 'Refresh the list: it may have been removed.');
    return info;
  }

  private credential(id: string): StoredCredential {
    const credential = this.content.credentials.find((entry) => entry.id === id);
    if (!credential) throw new StudioError('NOT_FOUND', `no issued credential ${id}`, 'Refresh the list: it may have expired and been removed.');
    return credential;
  }
}

function freshContent(options: KeysServiceOptions): KeysFileContent {
  return { security: parseSecurityDocument(defaultSecurityDocument(), { now: options.now }), userSince: {}, streamKeys: {}, credentials: [] };
}

function credentialInfo({ fingerprint: _fingerprint, kid: _kid, secret: _secret, ...info }: StoredCredential): IssuedCredentialInfo {
  return info;
}

function shareSecret(credential: StoredCredential): ShareSecret {
  const { permission, app, stream } = credential;
  const secret = credential.secret as string;
  return credential.kind === 'signed-link' ? { kind: 'signed-link', permission, app, stream, query: secret } : { kind: 'connect-token', permission, app, stream, fields: JSON.parse(secret) };
}

function checkPassword(name: string, password: string): void {
  const weakness = passwordWeakness(name, password);
  if (weakness) throw new StudioError('INVALID_INPUT', `password too weak: ${weakness}`, 'Use at least 8 characters that are not the user name; a few random words work well.');
}

function checkShareable(app: string, stream: string): void {
  if (SHELL_UNSAFE.test(app) || SHELL_UNSAFE.test(stream)) {
    throw new StudioError('INVALID_INPUT', `"${app}/${stream}" has a character that would break a copied command line`, 'Leave out " $ ` ! % and \' from app and stream names.');
  }
}
