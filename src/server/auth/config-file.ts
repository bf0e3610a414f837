// The security config file: users, signing keys, stream keys and the per-app policy, one JSON document whose
// secret fields are sealed with AES-256-GCM, so the file alone never gives away a password-equivalent.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { writeFileAtomic } from '../tls/write-file-atomic';
import { defaultSecurityDocument, mapSecretFields, parseSecurityDocument, toSecurityDocument, type SecuritySettings } from './security-document';
import type { UserStoreOptions } from './user-store';

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
  const opened: OpenedConfig = { file, created: text === null, settings, save: () => writeFileAtomic(file, serialize(settings, key), 0o600) };
  if (text === null) await opened.save();
  return opened;
}

function freshSettings(users?: UserStoreOptions): SecuritySettings {
  const settings = parseSecurityDocument(defaultSecurityDocument(), { users });
  settings.signingKeys.add({ activate: true });
  return settings;
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

/** Every field the file leaves out takes its default; the secrets must be sealed, and are checked on the way. */
function parseSettings(text: string, key: Buffer, users?: UserStoreOptions): SecuritySettings {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error('must be a JSON object');
  const { version, ...fields } = json as Record<string, unknown>;
  if (version !== CONFIG_VERSION) throw new Error(`version must be ${CONFIG_VERSION}, got ${JSON.stringify(version)}`);
  const unsealed = mapSecretFields(fields, (place, sealed) => unseal(key, place, sealed));
  return parseSecurityDocument({ ...defaultSecurityDocument(), ...unsealed }, { users });
}

function serialize(settings: SecuritySettings, key: Buffer): string {
  const sealed = mapSecretFields({ ...toSecurityDocument(settings) }, (place, plain) => seal(key, place, plain as string));
  return `${JSON.stringify({ version: CONFIG_VERSION, ...sealed }, null, 2)}\n`;
}
