import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string | Buffer): Buffer => createHash('sha256').update(value).digest();

/**
 * Compares two secrets in time that depends on neither content nor length: both are hashed to
 * 32 bytes first, because timingSafeEqual itself requires equal lengths and would reveal them.
 */
export function safeEqual(a: string | Buffer, b: string | Buffer): boolean {
  return timingSafeEqual(digest(a), digest(b));
}
