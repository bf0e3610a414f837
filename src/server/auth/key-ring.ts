import { randomBytes } from 'node:crypto';

/**
 * active: signs and verifies (at most one key); valid: verifies only, e.g. the previous active key
 * during a rotation; retired: verifies nothing, kept for the record; revoked: verifies nothing from
 * the moment of revocation, for a key that leaked.
 */
export type KeyState = 'active' | 'valid' | 'retired' | 'revoked';

/** One key as stored in the config file. The secret is what signs URLs: protect it like a password. */
export interface KeyRecord {
  id: string;
  /** 32 random bytes, Base64. */
  secret: string;
  /** UNIX seconds. */
  createdAt: number;
  state: KeyState;
}

export type KeySummary = Omit<KeyRecord, 'secret'>;

export interface KeyRingOptions {
  /** Clock in milliseconds, for createdAt. Default Date.now. */
  now?: () => number;
}

// Key ids travel in URLs (kid=…) and log lines.
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const STATES: readonly KeyState[] = ['active', 'valid', 'retired', 'revoked'];
const SECRET_BYTES = 32;

/** HMAC keys with ids and a lifecycle, over a JSON-serialisable list. */
export class KeyRing {
  private readonly keys = new Map<string, KeyRecord>();
  private readonly now: () => number;

  constructor(records: readonly KeyRecord[] = [], options: KeyRingOptions = {}) {
    this.now = options.now ?? Date.now;
    for (const record of records) {
      const key = validKey(record);
      if (this.keys.has(key.id)) throw new RangeError(`duplicate key id ${key.id}`);
      this.keys.set(key.id, key);
    }
    if ([...this.keys.values()].filter((key) => key.state === 'active').length > 1) throw new RangeError('more than one active key');
  }

  /** Adds a fresh random key that verifies; `activate` also makes it the signing key. */
  add(options: { id?: string; activate?: boolean } = {}): KeySummary {
    const id = options.id ?? `k${randomBytes(4).toString('hex')}`;
    if (!KEY_ID.test(id)) throw new RangeError(`invalid key id ${JSON.stringify(id)}`);
    if (this.keys.has(id)) throw new RangeError(`key ${id} exists`);
    this.keys.set(id, { id, secret: randomBytes(SECRET_BYTES).toString('base64'), createdAt: Math.floor(this.now() / 1000), state: 'valid' });
    if (options.activate) this.activate(id);
    return this.summary(id);
  }

  /** Makes a key the signing key; the previous one keeps verifying (valid) until retired. */
  activate(id: string): void {
    const key = this.key(id);
    if (key.state === 'retired' || key.state === 'revoked') throw new RangeError(`key ${id} is ${key.state}`);
    for (const other of this.keys.values()) if (other.state === 'active') other.state = 'valid';
    key.state = 'active';
  }

  /** Stops a key verifying, for the end of a rotation; the active key cannot be retired. */
  retire(id: string): void {
    const key = this.key(id);
    if (key.state === 'active') throw new RangeError(`key ${id} is active: activate another first`);
    if (key.state !== 'revoked') key.state = 'retired';
  }

  /** Stops a key verifying at once, active or not: after this, nothing signs until a key is activated. */
  revoke(id: string): void {
    this.key(id).state = 'revoked';
  }

  /** The signing key, if any. */
  active(): { id: string; secret: Buffer } | undefined {
    for (const key of this.keys.values()) if (key.state === 'active') return { id: key.id, secret: Buffer.from(key.secret, 'base64') };
    return undefined;
  }

  /** A key's state and secret, for verification. */
  lookup(id: string): { state: KeyState; secret: Buffer } | undefined {
    const key = this.keys.get(id);
    return key && { state: key.state, secret: Buffer.from(key.secret, 'base64') };
  }

  list(): KeySummary[] {
    return [...this.keys.keys()].map((id) => this.summary(id));
  }

  toJSON(): KeyRecord[] {
    return [...this.keys.values()].map((key) => ({ ...key }));
  }

  private key(id: string): KeyRecord {
    const key = this.keys.get(id);
    if (!key) throw new RangeError(`no key ${JSON.stringify(id)}`);
    return key;
  }

  private summary(id: string): KeySummary {
    const { secret: _secret, ...summary } = this.key(id);
    return summary;
  }
}

/** Checks one stored key; names the key, never the secret, when it is wrong. */
function validKey(record: KeyRecord): KeyRecord {
  const { id, secret, createdAt, state } = record as Partial<KeyRecord>;
  if (typeof id !== 'string' || !KEY_ID.test(id)) throw new RangeError(`invalid key id ${JSON.stringify(id)}`);
  if (typeof secret !== 'string' || Buffer.from(secret, 'base64').length < 16) throw new RangeError(`key ${id}: secret must be at least 16 bytes of Base64`);
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt)) throw new RangeError(`key ${id}: createdAt must be UNIX seconds`);
  if (!STATES.includes(state as KeyState)) throw new RangeError(`key ${id}: unknown state ${JSON.stringify(state)}`);
  return { id, secret, createdAt, state: state as KeyState };
}
