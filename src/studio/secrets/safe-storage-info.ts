// What Electron's safeStorage really protects on this machine, decided from its answers, in words the user can act on.
import type { SecretStorageInfo } from '../../shared/ipc/app';

/** safeStorage's answers: isEncryptionAvailable(), and getSelectedStorageBackend() on Linux (null elsewhere). */
export interface SafeStorageFacts {
  platform: NodeJS.Platform;
  encryptionAvailable: boolean;
  linuxBackend: string | null;
}

const OS_BACKEND: Partial<Record<NodeJS.Platform, string>> = { darwin: 'keychain', win32: 'dpapi' };

const UNAVAILABLE: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'Unlock your login Keychain',
  win32: 'Sign in to your Windows account normally (not as a temporary profile)',
  linux: 'Install and unlock a keyring (gnome-keyring or KWallet)',
};

export function safeStorageInfo({ platform, encryptionAvailable, linuxBackend }: SafeStorageFacts): SecretStorageInfo {
  const backend = platform === 'linux' ? (linuxBackend ?? 'unknown') : (OS_BACKEND[platform] ?? platform);
  if (!encryptionAvailable) {
    const fix = UNAVAILABLE[platform] ?? 'Make the system keychain available';
    return { available: false, backend, warning: `Secrets cannot be encrypted on this computer, so Airlock Studio cannot store signing keys or stream keys. ${fix}, then restart Airlock Studio.` };
  }
  if (platform === 'linux' && backend === 'basic_text') {
    return {
      available: true,
      backend,
      warning:
        'Your desktop has no keyring Airlock Studio can use, so signing keys and stream keys are stored only obfuscated with a fixed key, not encrypted: anyone who can read your files can read them. Install and unlock gnome-keyring or KWallet, then restart Airlock Studio.',
    };
  }
  if (platform === 'linux' && backend === 'unknown') {
    return {
      available: true,
      backend,
      warning: 'Airlock Studio cannot tell which keyring protects its secrets, so signing keys and stream keys may be stored only obfuscated. Install and unlock gnome-keyring or KWallet, then restart Airlock Studio.',
    };
  }
  return { available: true, backend, warning: null };
}
