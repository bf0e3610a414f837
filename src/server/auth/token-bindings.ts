import { MAX_WINDOW_SECONDS } from './connect-token';
import { isFingerprint } from './fingerprint';
import type { Failure } from './reasons';

/**
 * A connect token the studio issued, known by its HMAC ptoken's fingerprint: it may only be used for one
 * app/stream, until expiresAt, and not at all once revoked.
 */
export interface TokenBindingRecord {
  fingerprint: string;
  app: string;
  stream: string;
  /** The token's ttoken, UNIX seconds. */
  time: number;
  /** UNIX seconds after which it is refused, whatever the time window says. */
  expiresAt: number;
  revoked: boolean;
}

/** Where the token is being used: the stream is null at connect, before the client names one. */
export interface TokenUse {
  app: string;
  stream: string | null;
  nowSeconds: number;
}

/** Issued connect tokens bound to their stream and expiry, revocable one by one. */
export class TokenBindings {
  private readonly bindings = new Map<string, TokenBindingRecord>();

  constructor(records: readonly TokenBindingRecord[] = []) {
    records.forEach((record, index) => this.bind(validBinding(record, `tokenBindings[${index}]`)));
  }

  /** Records a new token's binding; a fingerprint already bound keeps its binding (and revocation), so this throws. */
  bind(record: TokenBindingRecord): void {
    if (this.bindings.has(record.fingerprint)) throw new RangeError(`a token with fingerprint ${record.fingerprint} is bound already`);
    this.bindings.set(record.fingerprint, { ...record });
  }

  has(fingerprint: string): boolean {
    return this.bindings.has(fingerprint);
  }

  /** Stops a token at once; false when no token has that fingerprint. */
  revoke(fingerprint: string): boolean {
    const binding = this.bindings.get(fingerprint);
    if (binding) binding.revoked = true;
    return binding !== undefined;
  }

  /**
   * Null when the issued token's binding allows this use; the reason otherwise. Without a binding it is refused
   * like any HMAC that matches no key (PASSWORD_WRONG): an issued token is never a user's own.
   */
  refusal(fingerprint: string, use: TokenUse): Failure | null {
    const binding = this.bindings.get(fingerprint);
    if (!binding) return { ok: false, reason: 'PASSWORD_WRONG' };
    if (binding.revoked) return { ok: false, reason: 'TOKEN_REVOKED' };
    if (use.nowSeconds > binding.expiresAt) return { ok: false, reason: 'TOKEN_EXPIRED' };
    if (binding.app !== use.app || (use.stream !== null && binding.stream !== use.stream)) return { ok: false, reason: 'PATH_MISMATCH' };
    return null;
  }

  /**
   * Forgets bindings once their token can no longer verify under any window a document may set (past expiresAt and
   * more than MAX_WINDOW_SECONDS after its ttoken): a binding dropped earlier would let its token through unbound,
   * revoked or not, as soon as the window is widened. True when any went.
   */
  prune(nowSeconds: number): boolean {
    const before = this.bindings.size;
    for (const [fingerprint, binding] of this.bindings) {
      if (nowSeconds > binding.expiresAt && nowSeconds - binding.time > MAX_WINDOW_SECONDS) this.bindings.delete(fingerprint);
    }
    return this.bindings.size !== before;
  }

  toJSON(): TokenBindingRecord[] {
    return [...this.bindings.values()].map((binding) => ({ ...binding }));
  }
}

function validBinding(record: TokenBindingRecord, place: string): TokenBindingRecord {
  const { fingerprint, app, stream, time, expiresAt, revoked } = record as Partial<TokenBindingRecord>;
  const fail = (what: string) => new RangeError(`${place}.${what}`);
  if (!isFingerprint(fingerprint)) throw fail('fingerprint must be a SHA-256 in Base64url');
  if (typeof app !== 'string' || typeof stream !== 'string') throw fail('app and stream must be strings');
  if (!Number.isSafeInteger(time) || !Number.isSafeInteger(expiresAt)) throw fail('time and expiresAt must be UNIX seconds');
  if (typeof revoked !== 'boolean') throw fail('revoked must be true or false');
  return { fingerprint, app, stream, time: time as number, expiresAt: expiresAt as number, revoked };
}
