// A SecretVault for tests: real AES-256-GCM under a random key, so sealed text is opaque and tampering is caught,
// standing in for safeStorage (app) and the sealed key file (plain Node) that the secrets service provides.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretVault } from '../../../../src/studio/ports';

export function aesVault(key: Buffer = randomBytes(32)): SecretVault & { key: Buffer } {
  return {
    key,
    info: { available: true, backend: 'test-aes', warning: null },
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    open(sealed) {
      const bytes = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12)).setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}
