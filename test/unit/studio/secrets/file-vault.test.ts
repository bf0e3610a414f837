import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seal } from '../../../../src/server/auth/config-file';
import { FileVault } from '../../../../src/studio/secrets';

const SECRET = 'live_123456789_StreamKeyForTwitch';
const envWithKey = (key: Buffer = randomBytes(32)): NodeJS.ProcessEnv => ({ AIRLOCK_CONFIG_KEY: key.toString('base64') });
const secretStorageError = (message: string) => expect.objectContaining({ code: 'SECRET_STORAGE', message: expect.stringContaining(message) });

describe('FileVault', () => {
  let dir: string;
  let keyFile: string;
  const open = (env: NodeJS.ProcessEnv = {}) => FileVault.open({ keyFile, env });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'airlock-vault-'));
    keyFile = join(dir, 'studio', 'vault.key');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a 32-byte key readable by its owner only, on first use', () => {
    const vault = open();
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(vault.info).toEqual({ available: true, backend: 'file', warning: null });
  });

  it('opens what it sealed, also after a restart with the same key file', () => {
    const sealed = open().seal(SECRET);
    expect(open().open(sealed)).toBe(SECRET);
  });

  it('seals the same secret differently each time', () => {
    const vault = open();
    expect(vault.seal(SECRET)).not.toBe(vault.seal(SECRET));
  });

  it('leaves nothing of the secret in plain text on disk', () => {
    writeFileSync(join(dir, 'keys.json'), JSON.stringify({ streamKey: open().seal(SECRET) }));
    const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
    expect(files.map((entry) => entry.name).sort()).toEqual(['keys.json', 'vault.key']);
    for (const entry of files) {
      const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(Buffer.from(SECRET).toString('base64').slice(0, 24));
    }
  });

  it('refuses a sealed value that was altered, with a clear error', () => {
    const vault = open();
    const sealed = vault.seal(SECRET);
    const bytes = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64');
    bytes[bytes.length - 1] ^= 1;
    expect(() => vault.open(`sealed:v1:${bytes.toString('base64')}`)).toThrow(secretStorageError('altered'));
  });

  it('refuses a value sealed with another key, and says which key it used', () => {
    const sealed = open(envWithKey()).seal(SECRET);
    let thrown: unknown;
    try {
      open(envWithKey()).open(sealed);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(secretStorageError('wrong'));
    expect((thrown as { hint: string }).hint).toContain('AIRLOCK_CONFIG_KEY');
  });

  it('refuses a secret stored in plain text', () => {
    expect(() => open().open(SECRET)).toThrow(secretStorageError('must be sealed'));
  });

  it('refuses a value sealed for the server config file, even with the same key', () => {
    const key = randomBytes(32);
    expect(() => open(envWithKey(key)).open(seal(key, 'streamKeys.abc.key', SECRET))).toThrow(secretStorageError('cannot unseal'));
  });

  it('uses the key in AIRLOCK_CONFIG_KEY and then writes no key file', () => {
    const env = envWithKey();
    const sealed = open(env).seal(SECRET);
    expect(open(env).open(sealed)).toBe(SECRET);
    expect(existsSync(keyFile)).toBe(false);
  });

  it('refuses a key that is not 32 bytes, from the key file or the environment', () => {
    open();
    writeFileSync(keyFile, randomBytes(16).toString('base64'));
    expect(() => open()).toThrow(secretStorageError(`${keyFile} must hold a 32-byte key`));
    expect(() => open({ AIRLOCK_CONFIG_KEY: randomBytes(16).toString('base64') })).toThrow(secretStorageError('AIRLOCK_CONFIG_KEY must hold a 32-byte key'));
  });

  it('warns when other users can read the key file', () => {
    open();
    chmodSync(keyFile, 0o644);
    expect(open().info.warning).toMatch(/can be read by other users.*chmod 600/);
  });
});
