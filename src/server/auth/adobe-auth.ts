import { createHmac, randomBytes } from 'node:crypto';
import { adobeResponse } from './adobe-hash';
import { base64FromQuery } from './base64-field';
import { safeEqual } from './constant-time';
import type { Permission } from './permissions';
import type { AuthReason } from './reasons';
import { isValidUserName, type UserStore } from './user-store';

export interface AdobeAuthOptions {
  users: UserStore;
  /** Clock in milliseconds. Default Date.now. */
  now?: () => number;
  /** How long a client has to answer a challenge. Default 60 s. */
  challengeTtlMs?: number;
  /** Unanswered challenges kept at once; beyond it the oldest is dropped. Default 1000. */
  maxPendingChallenges?: number;
}

/**
 * The verdict on one connect. A refusal carries the description to send in
 * NetConnection.Connect.Rejected: the client reads its next step from that text.
 */
export type AdobeAuthResult = { ok: true; user: string; permissions: Permission[] } | { ok: false; reason: AuthReason; description: string };

const REJECT = '[ AccessManager.Reject ] : ';
/** Step 1 (no credentials yet): tells the client to come back with ?authmod=adobe&user=NAME. */
export const ADOBE_NEED_AUTH = `${REJECT}[ code=403 need auth; authmod=adobe ] : `;
/** Step 3 failed, whatever the cause: the client gives up. */
export const ADOBE_AUTH_FAILED = `${REJECT}[ authmod=adobe ] : ?reason=authfailed`;
const DEFAULT_CHALLENGE_TTL_MS = 60_000;
const DEFAULT_MAX_PENDING = 1000;
// Every client seen hashes an 8-character challenge of its own (librtmp: Base64 of 4 bytes; FFmpeg,
// GStreamer rtmp2: 8 hex digits) and answers with the 24-character Base64 of an MD5.
const CLIENT_CHALLENGE_LENGTH = 8;
const RESPONSE_LENGTH = 24;
// librtmp built with nettle (Debian's librtmp1) does not terminate its Base64 strings, so both
// values arrive followed by stack garbage; it hashed only the first 8 and 24 characters.
const MAX_GARBLED_LENGTH = 256;

const randomToken = (bytes: number): string => randomBytes(bytes).toString('base64url');

/**
 * Server side of Adobe's authmod=adobe (FMS; clients: librtmp PublisherAuth as in OBS, FFmpeg
 * rtmpproto.c, GStreamer rtmp2), three connects long:
 *  1. connect without credentials → ADOBE_NEED_AUTH;
 *  2. connect with `?authmod=adobe&user=NAME` in app/tcUrl → `…?reason=needauth&user=NAME&salt=S&challenge=C&opaque=C`;
 *  3. connect with `?authmod=adobe&user=NAME&challenge=CC&response=R&opaque=C` → accepted when
 *     R = base64(md5(base64(md5(NAME + S + password)) + C + CC)).
 * Challenges are single-use and expire. An unknown user gets a challenge too, with a salt that is
 * stable per name, so step 2 does not reveal which users exist. Pure: no timers, injected clock.
 */
export class AdobeAuth {
  private readonly users: UserStore;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly maxPending: number;
  // By opaque, in issue order, so the oldest come first when expiring or evicting.
  private readonly pending = new Map<string, { user: string; expiresAt: number }>();
  // Derives decoy salts for names without adobe credentials.
  private readonly decoyKey = randomBytes(32);

  constructor(options: AdobeAuthOptions) {
    this.users = options.users;
    this.now = options.now ?? Date.now;
    this.ttlMs = options.challengeTtlMs ?? DEFAULT_CHALLENGE_TTL_MS;
    this.maxPending = options.maxPendingChallenges ?? DEFAULT_MAX_PENDING;
  }

  /** Decides one connect from the query of its app and tcUrl (URLSearchParams as the session parsed it). */
  connect(query: URLSearchParams): AdobeAuthResult {
    const user = query.get('user');
    if (query.get('authmod') !== 'adobe' || user === null) return { ok: false, reason: 'TOKEN_MISSING', description: ADOBE_NEED_AUTH };
    if (!isValidUserName(user)) return this.failed('TOKEN_MALFORMED');
    const response = query.get('response');
    return response === null ? this.challenge(user) : this.answer(user, query, base64FromQuery(response));
  }

  /** Unanswered challenges held right now (after dropping expired ones). */
  get pendingChallenges(): number {
    this.expire();
    return this.pending.size;
  }

  private challenge(user: string): AdobeAuthResult {
    this.expire();
    if (this.pending.size >= this.maxPending) this.pending.delete(this.pending.keys().next().value as string);
    const opaque = randomToken(12);
    this.pending.set(opaque, { user, expiresAt: this.now() + this.ttlMs });
    const salt = this.users.adobeCredentials(user)?.salt ?? createHmac('sha256', this.decoyKey).update(user).digest().subarray(0, 12).toString('base64url');
    // Clients differ on which of challenge and opaque they hash: sending the same value makes both right.
    const description = `${REJECT}[ authmod=adobe ] : ?reason=needauth&user=${user}&salt=${salt}&challenge=${opaque}&opaque=${opaque}`;
    return { ok: false, reason: 'CHALLENGE_ISSUED', description };
  }

  private answer(user: string, query: URLSearchParams, response: string): AdobeAuthResult {
    const opaque = query.get('opaque') ?? '';
    const clientChallenge = base64FromQuery(query.get('challenge') ?? '');
    if (clientChallenge.length === 0 || clientChallenge.length > MAX_GARBLED_LENGTH || response.length > MAX_GARBLED_LENGTH) return this.failed('TOKEN_MALFORMED');
    const issued = this.pending.get(opaque);
    this.pending.delete(opaque);
    if (!issued || issued.user !== user || issued.expiresAt < this.now()) return this.failed('CHALLENGE_UNKNOWN');
    const credentials = this.users.adobeCredentials(user);
    // Without credentials still compute and compare, so both kinds of failure take the same path.
    const digest = credentials?.digest ?? '';
    const answer = response.slice(0, RESPONSE_LENGTH);
    const matches =
      safeEqual(answer, adobeResponse(digest, opaque, clientChallenge)) ||
      (clientChallenge.length > CLIENT_CHALLENGE_LENGTH && safeEqual(answer, adobeResponse(digest, opaque, clientChallenge.slice(0, CLIENT_CHALLENGE_LENGTH))));
    if (!credentials) return this.failed('USER_UNKNOWN');
    if (!matches) return this.failed('PASSWORD_WRONG');
    return { ok: true, user, permissions: this.users.permissions(user) ?? [] };
  }

  /** One answer for every failure (nothing echoed from the peer): librtmp and FFmpeg stop retrying on `reason=authfailed`. */
  private failed(reason: AuthReason): AdobeAuthResult {
    return { ok: false, reason, description: ADOBE_AUTH_FAILED };
  }

  private expire(): void {
    const now = this.now();
    for (const [opaque, { expiresAt }] of this.pending) {
      if (expiresAt >= now) break;
      this.pending.delete(opaque);
    }
  }
}
