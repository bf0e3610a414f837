// The security config as plain JSON: what the sealed config file holds once unsealed, and what the studio sends to
// the server process. One strict parser for both, so a file and a message can never disagree about what is valid.
import { DEFAULT_WINDOW_SECONDS, MAX_WINDOW_SECONDS } from './connect-token';
import { KeyRing, type KeyRecord } from './key-ring';
import { RevokedLinks, type RevokedLinkRecord } from './revoked-links';
import { DEFAULT_MAX_TTL_SECONDS } from './signed-url';
import { StreamKeys, type StreamKeyRecords } from './stream-keys';
import { TokenBindings, type TokenBindingRecord } from './token-bindings';
import { UserStore, type UserRecord, type UserStoreOptions } from './user-store';

/** What an operation needs: a credential ('token') or nothing ('open'). */
export type Requirement = 'token' | 'open';

export interface AppRule {
  publish: Requirement;
  play: Requirement;
  /**
   * Ask every connect without credentials for authmod=adobe (OBS "Use authentication", FFmpeg
   * rtmp://user:pass@…): those clients only start the exchange when refused with "need auth".
   * Stream keys and tokens in the stream name cannot be used in such an app. Default false.
   */
  adobe?: boolean;
}

export interface PolicyConfig {
  /** For every app without its own rule. A new install requires tokens for both. */
  default: AppRule;
  apps: Record<string, AppRule>;
}

/** The config as the server uses it: live stores over the unsealed records. */
export interface SecuritySettings {
  users: UserStore;
  signingKeys: KeyRing;
  streamKeys: StreamKeys;
  policy: PolicyConfig;
  /** How far a connect token's ttoken may lie from now, either way. */
  tokenWindowSeconds: number;
  /** Longest lifetime of a signed URL. */
  maxSignedTtlSeconds: number;
  /** Signed links revoked one by one before their exp. */
  revokedLinks: RevokedLinks;
  /** Connect tokens the studio issued: bound to one stream and expiry, revocable. */
  tokenBindings: TokenBindings;
}

/** SecuritySettings as JSON, secrets in clear: keep it in memory or a sealed file, send it only to a trusted process. */
export interface SecurityDocument {
  users: UserRecord;
  signingKeys: KeyRecord[];
  streamKeys: StreamKeyRecords;
  policy: PolicyConfig;
  tokenWindowSeconds: number;
  maxSignedTtlSeconds: number;
  revokedLinks: RevokedLinkRecord[];
  tokenBindings: TokenBindingRecord[];
}

export interface SecurityDocumentOptions {
  /** Passed to the UserStore (tests inject a fast hash). */
  users?: UserStoreOptions;
  /** Clock in milliseconds for the createdAt of keys added later. Default Date.now. */
  now?: () => number;
}

/** Turns one secret field into another form (seal or unseal); `place` names the field, e.g. `users.alice.key`. */
export type SecretTransform = (place: string, value: unknown) => string;

const FIELDS: readonly (keyof SecurityDocument)[] = ['users', 'signingKeys', 'streamKeys', 'policy', 'tokenWindowSeconds', 'maxSignedTtlSeconds', 'revokedLinks', 'tokenBindings'];
const REQUIREMENTS: readonly Requirement[] = ['token', 'open'];
const APP_NAME = /^[^\0-\x1f?#\\/]{1,256}$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A new install's document: no users or keys (not even a signing key), tokens required for publish and play. */
export const defaultSecurityDocument = (): SecurityDocument => ({
  users: {},
  signingKeys: [],
  streamKeys: {},
  policy: { default: { publish: 'token', play: 'token' }, apps: {} },
  tokenWindowSeconds: DEFAULT_WINDOW_SECONDS,
  maxSignedTtlSeconds: DEFAULT_MAX_TTL_SECONDS,
  revokedLinks: [],
  tokenBindings: [],
});

export function toSecurityDocument(settings: SecuritySettings): SecurityDocument {
  return {
    users: settings.users.toJSON(),
    signingKeys: settings.signingKeys.toJSON(),
    streamKeys: settings.streamKeys.toJSON(),
    policy: structuredClone(settings.policy),
    tokenWindowSeconds: settings.tokenWindowSeconds,
    maxSignedTtlSeconds: settings.maxSignedTtlSeconds,
    revokedLinks: settings.revokedLinks.toJSON(),
    tokenBindings: settings.tokenBindings.toJSON(),
  };
}

/**
 * Builds live settings from a document, checking every field: every field required, none unknown.
 * Throws an Error that names the bad field (never a secret's value).
 */
export function parseSecurityDocument(value: unknown, options: SecurityDocumentOptions = {}): SecuritySettings {
  if (!isRecord(value)) throw new Error('security document must be a JSON object');
  const unknown = Object.keys(value).find((name) => !FIELDS.includes(name as keyof SecurityDocument));
  if (unknown !== undefined) throw new Error(`unknown field ${JSON.stringify(unknown)}`);
  const missing = FIELDS.find((name) => value[name] === undefined);
  if (missing !== undefined) throw new Error(`missing field ${JSON.stringify(missing)}`);
  return {
    users: new UserStore(record(value.users, 'users') as UserRecord, options.users),
    signingKeys: new KeyRing(list(value.signingKeys, 'signingKeys') as KeyRecord[], { now: options.now }),
    streamKeys: new StreamKeys(record(value.streamKeys, 'streamKeys') as StreamKeyRecords, { now: options.now }),
    policy: parsePolicy(value.policy),
    tokenWindowSeconds: tokenWindow(value.tokenWindowSeconds),
    maxSignedTtlSeconds: seconds(value.maxSignedTtlSeconds, 'maxSignedTtlSeconds'),
    revokedLinks: new RevokedLinks(list(value.revokedLinks, 'revokedLinks') as RevokedLinkRecord[]),
    tokenBindings: new TokenBindings(list(value.tokenBindings, 'tokenBindings') as TokenBindingRecord[]),
  };
}

/**
 * Applies `transform` to each secret of a document-shaped object (users' keys and Adobe digests, signing key
 * secrets), leaving the rest as it is: seals a document for a file, or unseals one read back.
 */
export function mapSecretFields(document: Record<string, unknown>, transform: SecretTransform): Record<string, unknown> {
  const result = { ...document };
  if (document.users !== undefined) {
    const users = Object.create(null) as Record<string, unknown>;
    for (const [name, entry] of Object.entries(record(document.users, 'users'))) {
      if (!isRecord(entry)) throw new Error(`users.${name} must be an object`);
      const adobe = isRecord(entry.adobe) && { adobe: { ...entry.adobe, digest: transform(`users.${name}.adobe.digest`, entry.adobe.digest) } };
      users[name] = { ...entry, key: transform(`users.${name}.key`, entry.key), ...adobe };
    }
    result.users = users;
  }
  if (document.signingKeys !== undefined) {
    result.signingKeys = list(document.signingKeys, 'signingKeys').map((entry, index) => {
      if (!isRecord(entry)) throw new Error(`signingKeys[${index}] must be an object`);
      return { ...entry, secret: transform(`signingKeys.${String(entry.id)}.secret`, entry.secret) };
    });
  }
  return result;
}

function record(value: unknown, name: string): Record<string, unknown> {
  if (!isRecord(value)) throw new Error(`${name} must be an object`);
  return value;
}

function list(value: unknown, name: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${name} must be a list`);
  return value;
}

function seconds(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) <= 0) throw new Error(`${name} must be a positive whole number of seconds`);
  return value as number;
}

// Capped, so a binding kept MAX_WINDOW_SECONDS past its ttoken outlives every window its token could verify in.
function tokenWindow(value: unknown): number {
  const window = seconds(value, 'tokenWindowSeconds');
  if (window > MAX_WINDOW_SECONDS) throw new Error(`tokenWindowSeconds must be at most ${MAX_WINDOW_SECONDS} (one day), got ${window}`);
  return window;
}

function parsePolicy(value: unknown): PolicyConfig {
  const policy = record(value, 'policy');
  const apps = Object.create(null) as Record<string, AppRule>;
  for (const [app, rule] of Object.entries(policy.apps === undefined ? {} : record(policy.apps, 'policy.apps'))) {
    if (!APP_NAME.test(app)) throw new Error(`policy.apps: invalid app name ${JSON.stringify(app)}`);
    apps[app] = appRule(rule, `policy.apps.${app}`);
  }
  return { default: appRule(policy.default, 'policy.default'), apps };
}

function appRule(value: unknown, place: string): AppRule {
  if (!isRecord(value)) throw new Error(`${place} must be {"publish": "token"|"open", "play": "token"|"open"}`);
  for (const action of ['publish', 'play'] as const) {
    if (!REQUIREMENTS.includes(value[action] as Requirement)) throw new Error(`${place}.${action} must be "token" or "open", got ${JSON.stringify(value[action])}`);
  }
  if (value.adobe !== undefined && typeof value.adobe !== 'boolean') throw new Error(`${place}.adobe must be true or false`);
  return { publish: value.publish as Requirement, play: value.play as Requirement, ...(value.adobe === true && { adobe: true }) };
}
