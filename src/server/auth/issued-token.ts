// Connect tokens the studio issues for a user without their password, each bound to one stream and expiry.
import { buildHmacConnectToken, type ConnectToken } from './connect-token-builder';
import { connectTokenHmac, issuedTokenKey } from './connect-token';
import { credentialFingerprint } from './fingerprint';
import type { Permission } from './permissions';
import type { SecuritySettings } from './security-document';
import type { TokenBindingRecord } from './token-bindings';

export interface BoundTokenRequest {
  user: string;
  permission: Permission;
  app: string;
  stream: string;
  /** From now until the token stops being accepted; at most twice the time window. */
  ttlSeconds: number;
  nowSeconds: number;
}

export interface BoundToken {
  token: ConnectToken;
  binding: TokenBindingRecord;
}

/**
 * Builds an HMAC-form token signed with issuedTokenKey (derived from the user's stored key, so it verifies only
 * through its binding and never as the user's own token) and records its binding. A token is accepted while its
 * ttoken lies within ±window of the clock, so ttoken = now + ttl − window makes it valid from now (or earlier)
 * until exactly now + ttl (a second sooner per identical token already bound); a longer ttl cannot be reached,
 * hence the 2×window limit. Throws a RangeError that says what to change.
 */
export function issueBoundConnectToken(settings: Pick<SecuritySettings, 'users' | 'tokenBindings' | 'tokenWindowSeconds'>, request: BoundTokenRequest): BoundToken {
  const { user, permission, app, stream, ttlSeconds, nowSeconds } = request;
  const window = settings.tokenWindowSeconds;
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > 2 * window) {
    throw new RangeError(`a connect token lives at most 2 × the token window (${2 * window} s), not ${ttlSeconds} s: choose a shorter lifetime, raise the window, or issue a signed link`);
  }
  const userKey = settings.users.secretKey(user);
  if (!userKey) throw new RangeError(`no user ${JSON.stringify(user)}`);
  const key = issuedTokenKey(userKey);
  if (!settings.users.permissions(user)?.includes(permission)) throw new RangeError(`user ${user} may not ${permission}: grant the permission first`);
  const fingerprintAt = (time: number) => credentialFingerprint(connectTokenHmac(key, user, String(time), permission));
  let time = Math.max(0, nowSeconds + ttlSeconds - window);
  // The same user, ttoken and permission make the very same token: one issued already (for another stream, or
  // revoked since) keeps its binding, so this one takes the first earlier second that is free, and ends that much sooner.
  let fingerprint = fingerprintAt(time);
  while (settings.tokenBindings.has(fingerprint)) fingerprint = fingerprintAt(--time);
  const token = buildHmacConnectToken({ user, key, time, permission });
  const binding: TokenBindingRecord = {
    fingerprint,
    app,
    stream,
    time,
    expiresAt: Math.min(nowSeconds + ttlSeconds, time + window),
    revoked: false,
  };
  settings.tokenBindings.bind(binding);
  return { token, binding };
}
