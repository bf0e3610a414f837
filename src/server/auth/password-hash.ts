import { scrypt } from 'node:crypto';

/** scrypt cost (RFC 7914): N=2^15, r=8, p=1 takes ~50-100 ms and 32 MiB per hash. */
export const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;
// Node's default memory cap (32 MiB) is exactly what N=2^15, r=8 needs, and its check is exclusive.
const MAX_MEMORY = 64 * 1024 * 1024;

/** Derives a key from a password and salt; the work runs on libuv's pool, off the event loop. */
export type PasswordHash = (password: Buffer, salt: Buffer) => Promise<Buffer>;

export const scryptHash: PasswordHash = (password, salt) =>
  new Promise((resolve, reject) => {
    const { N, r, p, keyLength } = SCRYPT_PARAMS;
    scrypt(password, salt, keyLength, { N, r, p, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key)));
  });
