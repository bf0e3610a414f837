import { createHash } from 'node:crypto';
import type { PasswordHash } from '../../../../src/server/auth/password-hash';

/** A fast stand-in for scrypt that counts its calls: tests check the work done, not the clock. */
export function countingHash(): PasswordHash & { calls: number } {
  const hash = Object.assign(async (password: Buffer, salt: Buffer) => {
    hash.calls++;
    return createHash('sha256').update(salt).update(password).digest();
  }, { calls: 0 });
  return hash;
}
