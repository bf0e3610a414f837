// A SecretVault over an OS string cipher (Electron's safeStorage): Base64 text with a version tag, every failure a SECRET_STORAGE error.
import type { SecretStorageInfo } from '../../shared/ipc/app';
import { StudioError } from '../../shared/ipc/errors';
import type { SecretVault } from '../ports';

/** safeStorage.encryptString / decryptString, or a stand-in in tests. */
export interface StringCipher {
  encrypt(plain: string): Buffer;
  decrypt(encrypted: Buffer): string;
}

const CIPHER_SEALED = 'os:v1:';

export function cipherVault(info: SecretStorageInfo, cipher: StringCipher): SecretVault {
  const usable = (): void => {
    if (!info.available) throw new StudioError('SECRET_STORAGE', 'secrets cannot be encrypted on this computer', info.warning ?? undefined);
  };
  return {
    info,
    seal(plain) {
      usable();
      try {
        return CIPHER_SEALED + cipher.encrypt(plain).toString('base64');
      } catch (error) {
        throw new StudioError('SECRET_STORAGE', `the system keychain refused to encrypt a secret: ${error instanceof Error ? error.message : String(error)}`, 'unlock your keychain or keyring and try again');
      }
    },
    open(sealed) {
      if (!sealed.startsWith(CIPHER_SEALED)) throw new StudioError('SECRET_STORAGE', `a stored secret was not sealed by the system keychain (it should start with ${CIPHER_SEALED})`, 'enter the secret again');
      usable();
      try {
        return cipher.decrypt(Buffer.from(sealed.slice(CIPHER_SEALED.length), 'base64'));
      } catch {
        throw new StudioError('SECRET_STORAGE', 'a stored secret cannot be decrypted: it was altered, or sealed by another user account or keyring', 'unlock the keyring that sealed it, or enter the secret again');
      }
    },
  };
}
