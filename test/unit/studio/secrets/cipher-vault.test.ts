import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cipherVault, safeStorageInfo, type StringCipher } from '../../../../src/studio/secrets';

// Stands in for safeStorage: real AES-GCM under one key, so altered bytes fail as they do in the OS.
function aesCipher(key = randomBytes(32)): StringCipher {
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]);
    },
    decrypt(encrypted) {
      const decipher = createDecipheriv('aes-256-gcm', key, encrypted.subarray(0, 12)).setAuthTag(encrypted.subarray(12, 28));
      return Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

const SECRET = 'sk_live_destination_key';
const keychain = safeStorageInfo({ platform: 'darwin', encryptionAvailable: true, linuxBackend: null });
const secretStorageError = (message: string) => expect.objectContaining({ code: 'SECRET_STORAGE', message: expect.stringContaining(message) });

describe('cipherVault', () => {
  it('seals to Base64 text with a version tag and opens it again', () => {
    const vault = cipherVault(keychain, aesCipher());
    const sealed = vault.seal(SECRET);
    expect(sealed).toMatch(/^os:v1:[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain(SECRET);
    expect(vault.open(sealed)).toBe(SECRET);
  });

  it('refuses an altered value with a clear error', () => {
    const vault = cipherVault(keychain, aesCipher());
    const sealed = vault.seal(SECRET);
    const altered = `${sealed.slice(0, -4)}${sealed.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    expect(() => vault.open(altered)).toThrow(secretStorageError('altered'));
  });

  it('refuses a value another keychain sealed', () => {
    const sealed = cipherVault(keychain, aesCipher()).seal(SECRET);
    expect(() => cipherVault(keychain, aesCipher()).open(sealed)).toThrow(secretStorageError('cannot be decrypted'));
  });

  it('refuses a value it did not seal (plain text, or the file vault\'s)', () => {
    const vault = cipherVault(keychain, aesCipher());
    expect(() => vault.open(SECRET)).toThrow(secretStorageError('not sealed by the system keychain'));
    expect(() => vault.open('sealed:v1:AAAA')).toThrow(secretStorageError('not sealed by the system keychain'));
  });

  it('refuses to seal when encryption is unavailable, and gives the warning as the hint', () => {
    const info = safeStorageInfo({ platform: 'linux', encryptionAvailable: false, linuxBackend: 'unknown' });
    expect(() => cipherVault(info, aesCipher()).seal(SECRET)).toThrow(expect.objectContaining({ code: 'SECRET_STORAGE', hint: info.warning }));
  });

  it('reports a keychain that refuses to encrypt as SECRET_STORAGE', () => {
    const locked: StringCipher = {
      encrypt: () => {
        throw new Error('Error while encrypting the text provided to safeStorage.encryptString');
      },
      decrypt: () => '',
    };
    expect(() => cipherVault(keychain, locked).seal(SECRET)).toThrow(secretStorageError('refused to encrypt'));
  });
});
