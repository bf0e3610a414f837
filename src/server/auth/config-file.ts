// The security config file: users, signing keys, stream keys and the per-app policy, one JSON document whose
// secret fields are sealed with AES-256-GCM, so the file alone never gives away a password-equivalent.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { KeyRing, type KeyRecord } from './key-ring';
import { DEFAULT_MAX_TTL_SECONDS } from './signed-url';
import { StreamKeys, type StreamKeyRecords } from './stream-keys';
import { UserStore, type UserRecord, type UserStoreOptions } from './user-store';
import { DEFAULT_WINDOW_SECONDS } from './connect-token';

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
}

export interface OpenedConfig {
  file: string;
  /** True when this call created the file (and its first signing key). */
  created: boolean;
  settings: SecuritySettings;
  /** Writes the settings back atomically (temp file + rename), mode 0600, secrets sealed. */
  save(): Promise<void>;
}

export interface ConfigFileOptions {
  /** Where AIRLOCK_CONFIG_KEY is read from. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Passed to the UserStore (tests inject a fast hash). */
  users?: UserStoreOptions;
}

export const CONFIG_VERSION = 1;
export const CONFIG_KEY_ENV = 'AIRLOCK_CONFIG_KEY';
const SEALED = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const REQUIREMENTS: readonly Requirement[] = ['token', 'open'];
const TOP_LEVEL = ['version', 'users', 'signingKeys', 'streamKeys', 'policy', 'tokenWindowSeconds', 'maxSignedTtlSeconds'];
const APP_NAME = /^[^\0-\x1f?#\\/]{1,256}$/;

/** The key file that sits next to a config file when AIRLOCK_CONFIG_KEY is not set. */
export const configKeyFile = (file: string): string => `${file}.key`;

/**
 * Opens a config file, creating it (with a fresh active signing key, tokens required for publish and
 * play) when it does not exist. Throws an Error naming the file and the field when it is invalid.
 */
export async function openConfig(file: string, options: ConfigFileOptions = {}): Promise<OpenedConfig> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new Error(`config ${file}: ${error.message}`);
  });
  const key = await configKey(file, options.env ?? process.env, text === null);
  let settings: SecuritySettings;
  try {
    settings = text === null ? freshSettings(options.users) : parseSettings(text, key, options.users);
  } catch (error) {
    throw new Error(`config ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const opened: OpenedConfig = { file, created: text === null, settings, save: () => writeAtomically(file, serialize(settings, key)) };
  if (text === null) await opened.save();
  return opened;
}

function freshSettings(users?: UserStoreOptions): SecuritySettings {
  const signingKeys = new KeyRing();
  signingKeys.add({ activate: true });
  return {
    users: new UserStore({}, users),
    signingKeys,
    streamKeys: new StreamKeys(),
    policy: { default: { publish: 'token', play: 'token' }, apps: {} },
    tokenWindowSeconds: DEFAULT_WINDOW_SECONDS,
    maxSignedTtlSeconds: DEFAULT_MAX_TTL_SECONDS,
  };
}

/** The 32-byte config key: AIRLOCK_CONFIG_KEY (Base64), else FILE.key, created (0600) only with a new config. */
async function configKey(file: string, env: NodeJS.ProcessEnv, creating: boolean): Promise<Buffer> {
  const fromEnv = env[CONFIG_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return keyBytes(Buffer.from(fromEnv.trim(), 'base64'), CONFIG_KEY_ENV);
  const keyFile = configKeyFile(file);
  const text = await readFile(keyFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new Error(`config key ${keyFile}: ${error.message}`);
  });
  if (text !== null) return keyBytes(Buffer.from(text.trim(), 'base64'), keyFile);
  if (!creating) throw new Error(`config ${file} exists but its key is missing: set ${CONFIG_KEY_ENV} or restore ${keyFile}`);
  const key = randomBytes(KEY_BYTES);
  await writeFile(keyFile, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  return key;
}

function keyBytes(key: Buffer, source: string): Buffer {
  if (key.length !== KEY_BYTES) throw new Error(`${source} must be ${KEY_BYTES} bytes in Base64, got ${key.length}`);
  return key;
}

/** AES-256-GCM with the field's place in the file as associated data, so a sealed value cannot be moved to another field. */
export function seal(key: Buffer, place: string, plain: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(place));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return SEALED + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export function unseal(key: Buffer, place: string, sealed: unknown): string {
  if (typeof sealed !== 'string' || !sealed.startsWith(SEALED)) throw new Error(`${place} must be sealed (${SEALED}…); secrets are never stored in plain text`);
  const bytes = Buffer.from(sealed.slice(SEALED.length), 'base64');
  if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error(`${place}: sealed value too short`);
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES)).setAAD(Buffer.from(place));
  decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new Error(`${place}: cannot unseal (wrong config key, or the value was altered)`);
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function parseSettings(text: string, key: Buffer, userOptions?: UserStoreOptions): SecuritySettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(json)) throw new Error('must be a JSON object');
  if (json.version !== CONFIG_VERSION) throw new Error(`version must be ${CONFIG_VERSION}, got ${JSON.stringify(json.version)}`);
  const unknown = Object.keys(json).filter((name) => !TOP_LEVEL.includes(name));
  if (unknown.length > 0) throw new Error(`unknown field ${JSON.stringify(unknown[0])}`);
  return {
    users: new UserStore(unsealUsers(key, json.users), userOptions),
    signingKeys: new KeyRing(unsealKeys(key, json.signingKeys)),
    streamKeys: new StreamKeys(recordField<StreamKeyRecords>(json.streamKeys, 'streamKeys')),
    policy: parsePolicy(json.policy),
    tokenWindowSeconds: seconds(json.tokenWindowSeconds, 'tokenWindowSeconds', DEFAULT_WINDOW_SECONDS),
    maxSignedTtlSeconds: seconds(json.maxSignedTtlSeconds, 'maxSignedTtlSeconds', DEFAULT_MAX_TTL_SECONDS),
  };
}

function recordField<T>(value: unknown, name: string): T {
  if (value === undefined) return {} as T;
  if (!isRecord(value)) throw new Error(`${name} must be an object`);
  return value as T;
}

function seconds(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || (value as number) <= 0) throw new Error(`${name} must be a positive whole number of seconds`);
  return value as number;
}

function unsealUsers(key: Buffer, value: unknown): UserRecord {
  const users = recordField<Record<string, unknown>>(value, 'users');
  const record = Object.create(null) as UserRecord;
  for (const [name, entry] of Object.entries(users)) {
    if (!isRecord(entry)) throw new Error(`users.${name} must be an object`);
    const adobe = isRecord(entry.adobe) ? { ...entry.adobe, digest: unseal(key, `users.${name}.adobe.digest`, entry.adobe.digest) } : entry.adobe;
    record[name] = { ...entry, key: unseal(key, `users.${name}.key`, entry.key), ...(adobe !== undefined && { adobe }) } as UserRecord[string];
  }
  return record;
}

function unsealKeys(key: Buffer, value: unknown): KeyRecord[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error('signingKeys must be a list');
  return value.map((entry: unknown, index) => {
    if (!isRecord(entry)) throw new Error(`signingKeys[${index}] must be an object`);
    return { ...entry, secret: unseal(key, `signingKeys.${String(entry.id)}.secret`, entry.secret) } as unknown as KeyRecord;
  });
}

function parsePolicy(value: unknown): PolicyConfig {
  if (value === undefined) return { default: { publish: 'token', play: 'token' }, apps: {} };
  if (!isRecord(value)) throw new Error('policy must be an object');
  const apps = Object.create(null) as Record<string, AppRule>;
  for (const [app, rule] of Object.entries(recordField<Record<string, unknown>>(value.apps, 'policy.apps'))) {
    if (!APP_NAME.test(app)) throw new Error(`policy.apps: invalid app name ${JSON.stringify(app)}`);
    apps[app] = appRule(rule, `policy.apps.${app}`);
  }
  return { default: appRule(value.default, 'policy.default'), apps };
}

function appRule(value: unknown, place: string): AppRule {
  if (!isRecord(value)) throw new Error(`${place} must be {"publish": "token"|"open", "play": "token"|"open"}`);
  for (const action of ['publish', 'play'] as const) {
    if (!REQUIREMENTS.includes(value[action] as Requirement)) throw new Error(`${place}.${action} must be "token" or "open", got ${JSON.stringify(value[action])}`);
  }
  if (value.adobe !== undefined && typeof value.adobe !== 'boolean') throw new Error(`${place}.adobe must be true or false`);
  return { publish: value.publish as Requirement, play: value.play as Requirement, ...(value.adobe === true && { adobe: true }) };
}

function serialize(settings: SecuritySettings, key: Buffer): string {
  const users = Object.create(null) as Record<string, unknown>;
  for (const [name, entry] of Object.entries(settings.users.toJSON())) {
    users[name] = {
      ...entry,
      key: seal(key, `users.${name}.key`, entry.key),
      ...(entry.adobe && { adobe: { salt: entry.adobe.salt, digest: seal(key, `users.${name}.adobe.digest`, entry.adobe.digest) } }),
    };
  }
  const signingKeys = settings.signingKeys.toJSON().map((record) => ({ ...record, secret: seal(key, `signingKeys.${record.id}.secret`, record.secret) }));
  const document = {
    version: CONFIG_VERSION,
    users,
    signingKeys,
    streamKeys: settings.streamKeys.toJSON(),
    policy: settings.policy,
    tokenWindowSeconds: settings.tokenWindowSeconds,
    maxSignedTtlSeconds: settings.maxSignedTtlSeconds,
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Temp file in the same directory (same file system), then rename: a reader sees the old file or the new one, never half. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, text, { mode: 0o600, flag: 'wx', flush: true });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
