import { createHmac } from 'node:crypto';
import type { Action } from '../session/authorization';
import { decodeBase64Field, DEFAULT_MAX_FIELD_BYTES } from './base64-field';
import type { ConnectTokenFields } from './connect-token-fields';
import { safeEqual } from './constant-time';
import { credentialFingerprint } from './fingerprint';
import { covers, parsePermissions, type Permission } from './permissions';
import type { Failure } from './reasons';
import type { UserStore } from './user-store';

export interface ConnectTokenOptions {
  users: UserStore;
  /** What the request asks for: the token's permission must cover it. */
  action: Action;
  /** The server's clock, UNIX seconds. Default now. */
  now?: number;
  /** How far ttoken may lie from now in either direction, in seconds; the edge itself is accepted. Default 300. */
  windowSeconds?: number;
  /** Largest decoded field. Default 1024 bytes. */
  maxFieldBytes?: number;
  /**
   * Whether an HMAC ptoken's fingerprint is bound to a token the studio issued: such a ptoken verifies only with
   * issuedTokenKey, never with the user's own key. Default: none is.
   */
  isIssued?: (fingerprint: string) => boolean;
}

/**
 * plain: ptoken carried the password; hmac: it carried connectTokenHmac with the user's key and the password
 * never travelled; issued: it carried connectTokenHmac with issuedTokenKey, so only its binding lets it in.
 */
export type ConnectTokenForm = 'plain' | 'hmac' | 'issued';

/** On success with the issued form, `fingerprint` names this very token (credentialFingerprint of its digest), for its binding. */
export type ConnectTokenResult =
  | { ok: true; user: string; permissions: Permission[]; form: 'plain' | 'hmac' }
  | { ok: true; user: string; permissions: Permission[]; form: 'issued'; fingerprint: string }
  | Failure;

export const DEFAULT_WINDOW_SECONDS = 300;
/** The widest time window a security document may set (the studio's settings allow the same): one day. */
export const MAX_WINDOW_SECONDS = 86_400;
const UNIX_SECONDS = /^\d{1,12}$/;
const HMAC_HEX = /^[0-9a-fA-F]{64}$/;

/**
 * The HMAC ptoken form: HMAC-SHA256 keyed with the user's stored scrypt key (UserStore's `key`,
 * 32 bytes) over the UTF-8 bytes of `${user}\n${ttoken}\n${ftoken}`, where user, ttoken and
 * ftoken are the decoded field values exactly as sent (e.g. `alice\n1700000000\ntuiliu`).
 * The ptoken field is then Base64 of the digest written as 64 hex digits or as Base64 (either
 * alphabet, padding optional). The token is bound to its time and permission, and replayable
 * only within the time window.
 */
export function connectTokenHmac(key: Buffer, user: string, ttoken: string, ftoken: string): Buffer {
  return createHmac('sha256', key).update(`${user}\n${ttoken}\n${ftoken}`).digest();
}

/**
 * The key the studio signs the tokens it issues with, derived from the user's stored key for that one purpose:
 * an issued token then differs from any token the user can build, and verifies only through its binding, so a
 * token whose binding is gone (pruned, or another document with the same users) fails closed.
 */
export function issuedTokenKey(userKey: Buffer): Buffer {
  return createHmac('sha256', userKey).update('airlock/issued-connect-token/v1').digest();
}

/** A decoded ptoken that has the shape of a 32-byte HMAC, as hex or Base64; null otherwise. */
function hmacCandidate(ptoken: Buffer): Buffer | null {
  const text = ptoken.toString('latin1');
  if (HMAC_HEX.test(text)) return Buffer.from(text, 'hex');
  const bytes = text.length <= 44 ? decodeBase64Field(text, 32) : null;
  return bytes?.length === 32 ? bytes : null;
}

/**
 * Verifies the requirement's connect token: ntoken=Base64(user), ptoken=Base64(password or its
 * HMAC form), ttoken=Base64(UNIX seconds), ftoken=Base64(permission). Cheap checks (shape, time,
 * claimed permission) come before the one slow password hash; the user's own grants after it. An HMAC ptoken
 * the studio issued (options.isIssued) verifies with issuedTokenKey only; its binding is the caller's to apply.
 */
export async function verifyConnectToken(fields: ConnectTokenFields | null, options: ConnectTokenOptions): Promise<ConnectTokenResult> {
  const fail = (reason: Failure['reason']): Failure => ({ ok: false, reason });
  if (fields === null) return fail('TOKEN_MISSING');
  const maxBytes = options.maxFieldBytes ?? DEFAULT_MAX_FIELD_BYTES;
  const decode = (value: unknown) => (typeof value === 'string' ? decodeBase64Field(value, maxBytes) : null);
  const [user, password, time, permission] = [fields.ntoken, fields.ptoken, fields.ttoken, fields.ftoken].map(decode);
  if (!user || !password || !time || !permission) return fail('TOKEN_MALFORMED');
  const [name, ttoken, ftoken] = [user.toString('utf8'), time.toString('latin1'), permission.toString('utf8')];
  const claimed = parsePermissions(ftoken);
  if (!UNIX_SECONDS.test(ttoken) || claimed === null || user.length === 0 || password.length === 0) return fail('TOKEN_MALFORMED');

  const now = options.now ?? Math.floor(Date.now() / 1000);
  const window = options.windowSeconds ?? DEFAULT_WINDOW_SECONDS;
  const age = now - Number(ttoken);
  if (age > window) return fail('TOKEN_EXPIRED');
  if (-age > window) return fail('TOKEN_FROM_FUTURE');
  if (!covers(claimed, options.action)) return fail('PERMISSION_DENIED');

  const candidate = hmacCandidate(password);
  const fingerprint = candidate && credentialFingerprint(candidate);
  const issued = fingerprint !== null && (options.isIssued?.(fingerprint) ?? false);
  const userKey = options.users.secretKey(name);
  const key = userKey && (issued ? issuedTokenKey(userKey) : userKey);
  const grantedBy = (granted: readonly Permission[] | undefined) => claimed.filter((word) => granted?.includes(word));
  if (candidate && key && safeEqual(candidate, connectTokenHmac(key, name, ttoken, ftoken))) {
    const permissions = grantedBy(options.users.permissions(name));
    if (!covers(permissions, options.action)) return fail('PERMISSION_DENIED');
    return issued ? { ok: true, user: name, permissions, form: 'issued', fingerprint } : { ok: true, user: name, permissions, form: 'hmac' };
  }
  const check = await options.users.verifyPassword(name, password);
  if (!check.ok) return fail(check.reason);
  const permissions = grantedBy(check.permissions);
  if (!covers(permissions, options.action)) return fail('PERMISSION_DENIED');
  return { ok: true, user: name, permissions, form: 'plain' };
}
