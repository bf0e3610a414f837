// A SecretVault for plain Node (tests, e2e, CLI): AES-256-GCM, sealed as the server's config file seals its secrets,
// with a random key in a 0600 file beside the data, or the key in AIRLOCK_CONFIG_KEY.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CONFIG_KEY_ENV, seal, unseal } from '../../server/auth/config-file';
import type { SecretStorageInfo } from '../../shared/ipc/app';
import { StudioError } from '../../shared/ipc/errors';
import type { SecretVault } from '../ports';

export interface FileVaultOptions {
  /** Where the key lives (created, 0600, on first use) unless the environment gives one. */
  keyFile: string;
  /** Where AIRLOCK_CONFIG_KEY is read from. Default process.env. */
  env?: NodeJS.ProcessEnv;
}

const KEY_BYTES = 32;
/** The associated data of every sealed value: a value sealed elsewhere (the server's config file) does not open here. */
const PLACE = 'airlock-studio-vault';

export class FileVault implements SecretVault {
  private constructor(
    private readonly key: Buffer,
    private readonly keySource: string,
    readonly info: SecretStorageInfo,
  ) {}

  /** Reads the key, or creates the key file when there is none yet. Throws SECRET_STORAGE when the key is unusable. */
  static open({ keyFile, env = process.env }: FileVaultOptions): FileVault {
    const fromEnv = env[CONFIG_KEY_ENV]?.trim();
    if (fromEnv) return new FileVault(keyBytes(fromEnv, CONFIG_KEY_ENV), CONFIG_KEY_ENV, { available: true, backend: 'file', warning: null });
    const key = keyBytes(readOrCreateKey(keyFile), keyFile);
    return new FileVault(key, keyFile, { available: true, backend: 'file', warning: exposure(keyFile) });
  }

  seal(plain: string): string {
    return seal(this.key, PLACE, plain);
  }

  open(sealed: string): string {
    try {
      return unseal(this.key, PLACE, sealed);
    } catch (error) {
      throw new StudioError('SECRET_STORAGE', `a stored secret cannot be opened: ${(error as Error).message}`, `the key in ${this.keySource} did not seal it: restore that key, or enter the secret again`);
    }
  }
}

function readOrCreateKey(keyFile: string): string {
  try {
    return readFileSync(keyFile, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw unusable(keyFile, error);
  }
  const text = `${randomBytes(KEY_BYTES).toString('base64')}\n`;
  try {
    mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, text, { mode: 0o600, flag: 'wx' });
    return text;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(keyFile, 'utf8');
    throw unusable(keyFile, error);
  }
}

function keyBytes(base64: string, source: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== KEY_BYTES) throw new StudioError('SECRET_STORAGE', `${source} must hold a ${KEY_BYTES}-byte key in Base64, got ${key.length} bytes`, `restore the key that sealed your secrets, or set ${CONFIG_KEY_ENV}`);
  return key;
}

/** A sentence when other accounts on this computer can read the key file (POSIX modes; Windows has ACLs instead). */
function exposure(keyFile: string): string | null {
  if (process.platform === 'win32') return null;
  const mode = statSync(keyFile).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  return `The key that protects your secrets (${keyFile}) can be read by other users of this computer (mode ${mode.toString(8).padStart(4, '0')}): run chmod 600 "${keyFile}".`;
}

function unusable(keyFile: string, error: unknown): StudioError {
  return new StudioError('SECRET_STORAGE', `cannot use the vault key ${keyFile}: ${error instanceof Error ? error.message : String(error)}`, 'check that the folder exists and belongs to your user account');
}
