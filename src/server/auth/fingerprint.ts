import { createHash } from 'node:crypto';

// Base64url of a SHA-256: 43 characters, no padding.
const FINGERPRINT = /^[A-Za-z0-9_-]{43}$/;

/**
 * Names one issued credential without holding it: SHA-256 of its decoded secret bytes (a signed link's
 * 32-byte sig, an HMAC ptoken's 32-byte digest), Base64url. Decoded bytes, so re-encoding the same
 * credential in another Base64 alphabet or as hex still has the same fingerprint.
 */
export const credentialFingerprint = (secret: Buffer): string => createHash('sha256').update(secret).digest('base64url');

export const isFingerprint = (value: unknown): value is string => typeof value === 'string' && FINGERPRINT.test(value);
