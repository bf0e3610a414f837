// The keys file: the security stores plus what only the studio needs (labels, dates, what it issued), one JSON file
// (0600, replaced atomically) in which every secret is sealed by the vault and bound to its place in the file.
import { readFile } from 'node:fs/promises';
import { isFingerprint } from '../../server/auth/fingerprint';
import { mapSecretFields, parseSecurityDocument, toSecurityDocument, type SecurityDocumentOptions, type SecuritySettings } from '../../server/auth/security-document';
import { writeFileAtomic } from '../../server/tls/write-file-atomic';
import { StudioError } from '../../shared/ipc/errors';
import type { IssuedCredentialInfo } from '../../shared/ipc/keys';
import type { SecretVault } from '../ports';

export interface StoredStreamKey {
  label: string;
  /** The key in clear, for reveal; null once revoked. */
  key: string | null;
}

export interface StoredCredential extends IssuedCredentialInfo {
  /** What the server knows it by (credentialFingerprint of its sig or HMAC ptoken). */
  fingerprint: string;
  /** The signing key of a signed link. */
  kid: string | null;
  /** Signed link: its query; connect token: its four Base64 fields as JSON. Null once revoked or expired. */
  secret: string | null;
}

export interface KeysFileContent {
  security: SecuritySettings;
  /** When each user was added, UNIX seconds. */
  userSince: Record<string, number>;
  streamKeys: Record<string, StoredStreamKey>;
  credentials: StoredCredential[];
}

const VERSION = 1;
const TOP_LEVEL = ['version', 'security', 'userSince', 'streamKeys', 'credentials'];
const KINDS = ['signed-link', 'connect-token'];
const PERMISSIONS = ['publish', 'play'];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Seals a secret together with its place, so a sealed value copied into another field does not open there. */
const sealAt = (vault: SecretVault, place: string, plain: string): string => vault.seal(`${place}\n${plain}`);

function openAt(vault: SecretVault, place: string, sealed: unknown): string {
  if (typeof sealed !== 'string') throw new Error(`${place} must be a sealed string`);
  let text: string;
  try {
    text = vault.open(sealed);
  } catch (error) {
    throw new StudioError('SECRET_STORAGE', `${place} cannot be unsealed (${error instanceof Error ? error.message : String(error)})`, 'The keys file was sealed by another user account or machine, or altered: restore it from a backup, or move it away to start with no keys.');
  }
  if (!text.startsWith(`${place}\n`)) throw new StudioError('SECRET_STORAGE', `${place} holds a value sealed for another field`, 'The keys file was altered: restore it from a backup.');
  return text.slice(place.length + 1);
}

/** Reads and checks the file; null when there is none yet. Throws StudioError SETTINGS_INVALID or SECRET_STORAGE naming the file and field. */
export async function readKeysFile(file: string, vault: SecretVault, options: SecurityDocumentOptions = {}): Promise<KeysFileContent | null> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw new StudioError('SECRET_STORAGE', `cannot read the keys file ${file}: ${error.message}`, 'Check that the file is readable by this user.');
  });
  if (text === null) return null;
  try {
    return parseKeysFile(text, vault, options);
  } catch (error) {
    if (error instanceof StudioError) throw new StudioError(error.code, `keys file ${file}: ${error.message}`, error.hint);
    throw new StudioError('SETTINGS_INVALID', `keys file ${file}: ${error instanceof Error ? error.message : String(error)}`, 'Restore the file from a backup, or move it away to start with no keys.');
  }
}

export function writeKeysFile(file: string, content: KeysFileContent, vault: SecretVault): Promise<void> {
  return writeFileAtomic(file, serializeKeysFile(content, vault), 0o600);
}

function parseKeysFile(text: string, vault: SecretVault, options: SecurityDocumentOptions): KeysFileContent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(json)) throw new Error('must be a JSON object');
  if (json.version !== VERSION) throw new Error(`version must be ${VERSION}, got ${JSON.stringify(json.version)}`);
  const unknown = Object.keys(json).find((name) => !TOP_LEVEL.includes(name));
  if (unknown !== undefined) throw new Error(`unknown field ${JSON.stringify(unknown)}`);
  if (!isRecord(json.security)) throw new Error('security must be an object');
  const security = parseSecurityDocument(mapSecretFields(json.security, (place, sealed) => openAt(vault, `security.${place}`, sealed)), options);
  return {
    security,
    userSince: recordOf(json.userSince, 'userSince', (value, place) => unixSeconds(value, place)),
    streamKeys: recordOf(json.streamKeys, 'streamKeys', (value, place) => streamKey(value, place, vault)),
    credentials: listOf(json.credentials, 'credentials', (value, place) => credential(value, place, vault)),
  };
}

function serializeKeysFile(content: KeysFileContent, vault: SecretVault): string {
  const security = mapSecretFields({ ...toSecurityDocument(content.security) }, (place, plain) => sealAt(vault, `security.${place}`, plain as string));
  const streamKeys = Object.fromEntries(
    Object.entries(content.streamKeys).map(([id, { label, key }]) => [id, { label, key: key === null ? null : sealAt(vault, `streamKeys.${id}.key`, key) }]),
  );
  const credentials = content.credentials.map((entry) => ({ ...entry, secret: entry.secret === null ? null : sealAt(vault, `credentials.${entry.id}.secret`, entry.secret) }));
  return `${JSON.stringify({ version: VERSION, security, userSince: content.userSince, streamKeys, credentials }, null, 2)}\n`;
}

function recordOf<T>(value: unknown, name: string, each: (value: unknown, place: string) => T): Record<string, T> {
  if (!isRecord(value)) throw new Error(`${name} must be an object`);
  const result = Object.create(null) as Record<string, T>;
  for (const [key, entry] of Object.entries(value)) result[key] = each(entry, `${name}.${key}`);
  return result;
}

function listOf<T>(value: unknown, name: string, each: (value: unknown, place: string) => T): T[] {
  if (!Array.isArray(value)) throw new Error(`${name} must be a list`);
  return value.map((entry, index) => each(entry, `${name}[${index}]`));
}

function unixSeconds(value: unknown, place: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw new Error(`${place} must be UNIX seconds`);
  return value as number;
}

function text(value: unknown, place: string): string {
  if (typeof value !== 'string') throw new Error(`${place} must be a string`);
  return value;
}

function streamKey(value: unknown, place: string, vault: SecretVault): StoredStreamKey {
  if (!isRecord(value)) throw new Error(`${place} must be an object`);
  return { label: text(value.label, `${place}.label`), key: value.key === null ? null : openAt(vault, `${place}.key`, value.key) };
}

function credential(value: unknown, place: string, vault: SecretVault): StoredCredential {
  if (!isRecord(value)) throw new Error(`${place} must be an object`);
  const id = text(value.id, `${place}.id`);
  if (!KINDS.includes(value.kind as string)) throw new Error(`${place}.kind must be one of ${KINDS.join(', ')}`);
  if (!PERMISSIONS.includes(value.permission as string)) throw new Error(`${place}.permission must be publish or play`);
  if (typeof value.revoked !== 'boolean') throw new Error(`${place}.revoked must be true or false`);
  if (!isFingerprint(value.fingerprint)) throw new Error(`${place}.fingerprint must be a SHA-256 in Base64url`);
  const nullable = (field: string) => (value[field] === null ? null : text(value[field], `${place}.${field}`));
  return {
    id,
    kind: value.kind as StoredCredential['kind'],
    label: text(value.label, `${place}.label`),
    permission: value.permission as StoredCredential['permission'],
    app: text(value.app, `${place}.app`),
    stream: text(value.stream, `${place}.stream`),
    user: nullable('user'),
    issuedAt: unixSeconds(value.issuedAt, `${place}.issuedAt`),
    expiresAt: unixSeconds(value.expiresAt, `${place}.expiresAt`),
    revoked: value.revoked,
    fingerprint: value.fingerprint,
    kid: nullable('kid'),
    secret: value.secret === null ? null : openAt(vault, `credentials.${id}.secret`, value.secret),
  };
}
