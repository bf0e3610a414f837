import { describe, expect, it } from 'vitest';
import { safeStorageInfo } from '../../../../src/studio/secrets';

describe('safeStorageInfo', () => {
  it.each([
    ['darwin', null, 'keychain'],
    ['win32', null, 'dpapi'],
    ['linux', 'gnome_libsecret', 'gnome_libsecret'],
    ['linux', 'kwallet5', 'kwallet5'],
    ['linux', 'kwallet6', 'kwallet6'],
  ] as const)('trusts %s with backend %s without a warning', (platform, linuxBackend, backend) => {
    expect(safeStorageInfo({ platform, encryptionAvailable: true, linuxBackend })).toEqual({ available: true, backend, warning: null });
  });

  it('warns clearly when Linux falls back to the plain-text backend, and says what to install', () => {
    const info = safeStorageInfo({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'basic_text' });
    expect(info).toMatchObject({ available: true, backend: 'basic_text' });
    expect(info.warning).toMatch(/no keyring/);
    expect(info.warning).toMatch(/only obfuscated/);
    expect(info.warning).toMatch(/gnome-keyring or KWallet/);
  });

  it('warns when it cannot tell which Linux backend was chosen', () => {
    const info = safeStorageInfo({ platform: 'linux', encryptionAvailable: true, linuxBackend: 'unknown' });
    expect(info.warning).toMatch(/may be stored only obfuscated/);
  });

  it.each([
    ['linux', 'gnome-keyring or KWallet'],
    ['darwin', 'Keychain'],
    ['win32', 'Windows account'],
  ] as const)('marks storage unavailable on %s and says what to do', (platform, fix) => {
    const info = safeStorageInfo({ platform, encryptionAvailable: false, linuxBackend: platform === 'linux' ? 'gnome_libsecret' : null });
    expect(info.available).toBe(false);
    expect(info.warning).toMatch(/cannot be encrypted/);
    expect(info.warning).toContain(fix);
  });
});
