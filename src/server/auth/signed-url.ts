import { createHmac } from 'node:crypto';
import { decodeBase64Field } from './base64-field';
import { safeEqual } from './constant-time';
import { credentialFingerprint } from './fingerprint';
import type { KeyRing } from './key-ring';
import type { Permission } from './permissions';
import type { Failure } from './reasons';
import type { RevokedLinks } from './revoked-links';

export interface SignedUrlOptions {
  keys: KeyRing;
  /** Longest lifetime a URL may have: sign refuses more, verify rejects an exp further ahead. Default 24 h. */
  maxTtlSeconds?: number;
  /** Clock in milliseconds. Default Date.now. */
  now?: () => number;
  /** Links revoked one by one: refused with TOKEN_REVOKED. */
  revoked?: RevokedLinks;
}

/** The request a signed URL must match: the stream name without its query, and the action. */
export interface SignedUrlRequest {
  app: string;
  stream: string;
  action: Permission;
}

/** On success, `fingerprint` names this very link (credentialFingerprint of its signature), for revocation. */
export type SignedUrlResult = { ok: true; kid: string; exp: number; fingerprint: string } | Failure;

export const DEFAULT_MAX_TTL_SECONDS = 24 * 60 * 60;
const UNIX_SECONDS = /^\d{1,12}$/;

/**
 * sig = Base64url(HMAC-SHA256(secret, `${permission}\n${app}/${stream}\n${exp}`)), no padding,
 * with permission `publish` or `play` and exp in UNIX seconds: one path, one permission, one expiry.
 */
export function signedUrlSignature(secret: Buffer, permission: Permission, path: string, exp: number): Buffer {
  return createHmac('sha256', secret).update(`${permission}\n${path}\n${exp}`).digest();
}

/** Signed, expiring stream URLs: `?exp=UNIX&kid=ID&sig=BASE64URL` on the stream name. */
export class SignedUrls {
  private readonly keys: KeyRing;
  private readonly maxTtlSeconds: number;
  private readonly now: () => number;
  private readonly revoked: RevokedLinks | undefined;

  constructor(options: SignedUrlOptions) {
    this.keys = options.keys;
    this.revoked = options.revoked;
    this.maxTtlSeconds = options.maxTtlSeconds ?? DEFAULT_MAX_TTL_SECONDS;
    this.now = options.now ?? Date.now;
  }

  /** The query (without `?`) that lets its holder do `permission` on `app/stream` for ttlSeconds. */
  sign(path: string, permission: Permission, ttlSeconds: number): string {
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > this.maxTtlSeconds) {
      throw new RangeError(`ttl must be 1 to ${this.maxTtlSeconds} whole seconds`);
    }
    const key = this.keys.active();
    if (!key) throw new RangeError('no active signing key');
    const exp = this.seconds() + ttlSeconds;
    const sig = signedUrlSignature(key.secret, permission, path, exp).toString('base64url');
    return new URLSearchParams({ exp: String(exp), kid: key.id, sig }).toString();
  }

  /** Checks a stream name's query against the request, comparing signatures in constant time. */
  verify(query: URLSearchParams, request: SignedUrlRequest): SignedUrlResult {
    const fail = (reason: Failure['reason']): Failure => ({ ok: false, reason });
    const [expText, kid, sigText] = [query.get('exp'), query.get('kid'), query.get('sig')];
    if (expText === null && kid === null && sigText === null) return fail('TOKEN_MISSING');
    const sig = sigText === null ? null : decodeBase64Field(sigText, 32);
    if (expText === null || kid === null || sig?.length !== 32 || !UNIX_SECONDS.test(expText)) return fail('TOKEN_MALFORMED');
    const key = this.keys.lookup(kid);
    if (!key) return fail('KEY_UNKNOWN');
    if (key.state === 'revoked') return fail('KEY_REVOKED');
    if (key.state === 'retired') return fail('KEY_RETIRED');
    const exp = Number(expText);
    const path = `${request.app}/${request.stream}`;
    if (!safeEqual(sig, signedUrlSignature(key.secret, request.action, path, exp))) {
      // Signed for this path with the other permission: say so, the holder learns nothing new.
      const other: Permission = request.action === 'play' ? 'publish' : 'play';
      return fail(safeEqual(sig, signedUrlSignature(key.secret, other, path, exp)) ? 'PERMISSION_DENIED' : 'SIGNATURE_INVALID');
    }
    const fingerprint = credentialFingerprint(sig);
    if (this.revoked?.has(fingerprint)) return fail('TOKEN_REVOKED');
    const now = this.seconds();
    if (exp < now) return fail('TOKEN_EXPIRED');
    if (exp - now > this.maxTtlSeconds) return fail('TOKEN_LIFETIME_EXCEEDED');
    return { ok: true, kid, exp, fingerprint };
  }

  private seconds(): number {
    return Math.floor(this.now() / 1000);
  }
}
