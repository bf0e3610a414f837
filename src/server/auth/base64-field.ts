/** Largest decoded token field accepted; larger input is malformed, not something to hash. */
export const DEFAULT_MAX_FIELD_BYTES = 1024;

// One alphabet per value (RFC 4648 §4 standard or §5 URL-safe), padding optional but only at the end.
const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Decodes one Base64 token field strictly: standard or URL-safe alphabet, with or without padding,
 * canonical (no stray bits, no misplaced padding), at most maxBytes decoded; null otherwise.
 */
export function decodeBase64Field(value: string, maxBytes = DEFAULT_MAX_FIELD_BYTES): Buffer | null {
  if (value.length > Math.ceil(maxBytes / 3) * 4) return null;
  const urlSafe = URL_SAFE.test(value);
  if (!urlSafe && !STANDARD.test(value)) return null;
  const bare = value.replace(/=+$/, '');
  // A padded value must be whole quads; one leftover character can never encode a byte.
  if ((bare.length !== value.length && value.length % 4 !== 0) || bare.length % 4 === 1) return null;
  const bytes = Buffer.from(bare, urlSafe ? 'base64url' : 'base64');
  if (bytes.length > maxBytes) return null;
  // Node ignores bits after the last byte; re-encoding catches values that smuggle them.
  const again = bytes.toString(urlSafe ? 'base64url' : 'base64').replace(/=+$/, '');
  return again === bare ? bytes : null;
}

/**
 * Undoes what URLSearchParams does to Base64 in a query: `+` decoded as a space. Base64 never
 * contains spaces, so turning them back is lossless.
 */
export const base64FromQuery = (value: string): string => value.replaceAll(' ', '+');
