import { randomBytes } from 'node:crypto';
import { adobeSaltedDigest } from './adobe-hash';
import { safeEqual } from './constant-time';
import { scryptHash, SCRYPT_PARAMS, type PasswordHash } from './password-hash';
import { parsePermissions, type Permission } from './permissions';

/**
 * One user as stored in the config file. Never the password.
 *
 * `key` is scrypt(password, salt) and doubles as the user's secret for the HMAC ptoken form:
 * whoever reads it can mint connect tokens for this user without knowing the password. It is
 * password-equivalent for that form and must be protected like a secret (file mode 0600,
 * safeStorage in the desktop app).
 */
export interface UserEntry {
  /** 16 random bytes, Base64. */
  salt: string;
  /** scrypt(password, salt), N=2^15 r=8 p=1, 32 bytes, Base64. */
  key: string;
  permissions: Permission[];
  /**
   * Present only when the user enabled authmod=adobe (OBS's "Use authentication"): digest is
   * base64(md5(user + salt + password)), which answers any Adobe challenge, so it is
   * password-equivalent for authmod=adobe and far weaker than scrypt against guessing.
   */
  adobe?: { salt: string; digest: string };
}

/** The JSON-serialisable form of all users, keyed by name. */
export type UserRecord = Record<string, UserEntry>;

export interface UserSummary {
  name: string;
  permissions: Permission[];
  adobe: boolean;
}

export interface PasswordOptions {
  /** Also store the authmod=adobe digest; on a password change, omitted keeps the user's current choice. */
  adobe?: boolean;
}

export interface UserStoreOptions {
  /** The slow password hash; tests inject a fast or counting one. Default scrypt. */
  hash?: PasswordHash;
  /** Longest password accepted, in bytes. Default 1024. */
  maxPasswordBytes?: number;
}

export type PasswordCheck = { ok: true; permissions: Permission[] } | { ok: false; reason: 'USER_UNKNOWN' | 'PASSWORD_WRONG' };

// Names travel in tokens, Adobe queries and log lines: keep them to characters that need no escaping.
const USER_NAME = /^[A-Za-z0-9_.@-]{1,64}$/;
const SALT_BYTES = 16;
const ADOBE_SALT_BYTES = 12;

export const isValidUserName = (name: string): boolean => USER_NAME.test(name);

/** Users with scrypt-hashed passwords and their permissions, over a plain record. */
export class UserStore {
  private readonly users = new Map<string, UserEntry>();
  private readonly hash: PasswordHash;
  private readonly maxPasswordBytes: number;
  // An unknown user is checked against this, so a miss costs one hash like a wrong password.
  private readonly dummy = { salt: randomBytes(SALT_BYTES), key: randomBytes(SCRYPT_PARAMS.keyLength) };

  constructor(record: UserRecord = {}, options: UserStoreOptions = {}) {
    this.hash = options.hash ?? scryptHash;
    this.maxPasswordBytes = options.maxPasswordBytes ?? 1024;
    for (const [name, entry] of Object.entries(record)) this.users.set(name, validEntry(name, entry));
  }

  /** Adds a user; throws if the name is taken or invalid, or the password is empty or too long. */
  async add(name: string, password: string | Buffer, permissions: readonly string[], options: PasswordOptions = {}): Promise<void> {
    if (!isValidUserName(name)) throw new RangeError(`invalid user name: ${JSON.stringify(name)}`);
    if (this.users.has(name)) throw new RangeError(`user ${name} exists`);
    const granted = permissionList(permissions);
    this.users.set(name, { ...(await this.credentials(name, password, options.adobe ?? false)), permissions: granted });
  }

  async changePassword(name: string, password: string | Buffer, options: PasswordOptions = {}): Promise<void> {
    const entry = this.entry(name);
    const adobe = options.adobe ?? entry.adobe !== undefined;
    this.users.set(name, { ...(await this.credentials(name, password, adobe)), permissions: entry.permissions });
  }

  setPermissions(name: string, permissions: readonly string[]): void {
    this.users.set(name, { ...this.entry(name), permissions: permissionList(permissions) });
  }

  remove(name: string): boolean {
    return this.users.delete(name);
  }

  list(): UserSummary[] {
    return [...this.users].map(([name, entry]) => ({ name, permissions: [...entry.permissions], adobe: entry.adobe !== undefined }));
  }

  /**
   * Checks a password in constant time. Costs one slow hash whether or not the user exists, so
   * timing does not reveal user names; limiting how often it runs is the caller's job.
   */
  async verifyPassword(name: string, password: string | Buffer): Promise<PasswordCheck> {
    const entry = this.users.get(name);
    const salt = entry ? Buffer.from(entry.salt, 'base64') : this.dummy.salt;
    const key = entry ? Buffer.from(entry.key, 'base64') : this.dummy.key;
    const bytes = typeof password === 'string' ? Buffer.from(password) : password;
    const matches = safeEqual(await this.hash(bytes, salt), key);
    if (!entry) return { ok: false, reason: 'USER_UNKNOWN' };
    return matches ? { ok: true, permissions: [...entry.permissions] } : { ok: false, reason: 'PASSWORD_WRONG' };
  }

  permissions(name: string): Permission[] | undefined {
    const entry = this.users.get(name);
    return entry && [...entry.permissions];
  }

  /** The user's HMAC secret for the ptoken HMAC form (password-equivalent for that form). */
  secretKey(name: string): Buffer | undefined {
    const entry = this.users.get(name);
    return entry && Buffer.from(entry.key, 'base64');
  }

  /** The user's authmod=adobe salt and digest, when enabled. */
  adobeCredentials(name: string): { salt: string; digest: string } | undefined {
    const adobe = this.users.get(name)?.adobe;
    return adobe && { ...adobe };
  }

  /** The record to persist: salts, keys and permissions, never a password. */
  toJSON(): UserRecord {
    // Prototype-free, so a user named like an Object.prototype member is just a key.
    const record = Object.create(null) as UserRecord;
    for (const [name, entry] of this.users) record[name] = { ...entry, permissions: [...entry.permissions], ...(entry.adobe && { adobe: { ...entry.adobe } }) };
    return record;
  }

  private entry(name: string): UserEntry {
    const entry = this.users.get(name);
    if (!entry) throw new RangeError(`no user ${JSON.stringify(name)}`);
    return entry;
  }

  private async credentials(name: string, password: string | Buffer, adobe: boolean): Promise<Omit<UserEntry, 'permissions'>> {
    const bytes = typeof password === 'string' ? Buffer.from(password) : password;
    if (bytes.length === 0 || bytes.length > this.maxPasswordBytes) throw new RangeError(`password must be 1 to ${this.maxPasswordBytes} bytes`);
    const salt = randomBytes(SALT_BYTES);
    const key = await this.hash(bytes, salt);
    if (!adobe) return { salt: salt.toString('base64'), key: key.toString('base64') };
    // Sent verbatim in a query to OBS/librtmp: URL-safe Base64 needs no escaping there.
    const adobeSalt = randomBytes(ADOBE_SALT_BYTES).toString('base64url');
    return { salt: salt.toString('base64'), key: key.toString('base64'), adobe: { salt: adobeSalt, digest: adobeSaltedDigest(name, adobeSalt, bytes) } };
  }
}

function permissionList(words: readonly string[]): Permission[] {
  if (words.length === 0) return [];
  const parsed = parsePermissions(words.join(','));
  if (!parsed) throw new RangeError(`unknown permission in ${JSON.stringify(words)}`);
  return parsed;
}

/** Checks one stored user from a config file; names the user, never the secret, when it is wrong. */
function validEntry(name: string, entry: unknown): UserEntry {
  const fail = (what: string) => new RangeError(`user ${JSON.stringify(name)}: ${what}`);
  if (!isValidUserName(name)) throw fail('invalid name');
  if (typeof entry !== 'object' || entry === null) throw fail('not an object');
  const { salt, key, permissions, adobe } = entry as Partial<UserEntry>;
  if (typeof salt !== 'string' || Buffer.from(salt, 'base64').length < 8) throw fail('salt missing');
  if (typeof key !== 'string' || Buffer.from(key, 'base64').length !== SCRYPT_PARAMS.keyLength) throw fail('key must be 32 bytes of Base64');
  if (!Array.isArray(permissions) || !permissions.every((word) => typeof word === 'string')) throw fail('permissions must be a list of words');
  const result: UserEntry = { salt, key, permissions: permissionList(permissions) };
  if (adobe === undefined) return result;
  if (typeof adobe?.salt !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(adobe.salt) || typeof adobe.digest !== 'string') throw fail('adobe record malformed');
  return { ...result, adobe: { salt: adobe.salt, digest: adobe.digest } };
}
