// Secrets at rest in the app: Electron's safeStorage (Keychain, DPAPI, or the Linux keyring), with a clear warning
// when Linux falls back to its plain-text backend. Call after app 'ready': before it, Linux cannot tell its backend.
import { safeStorage } from 'electron';
import type { SecretVault } from '../studio/ports';
import { cipherVault, safeStorageInfo } from '../studio/secrets';

export function openSafeStorageVault(): SecretVault {
  const info = safeStorageInfo({
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
  });
  return cipherVault(info, { encrypt: (plain) => safeStorage.encryptString(plain), decrypt: (encrypted) => safeStorage.decryptString(encrypted) });
}
