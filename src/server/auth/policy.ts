// The server's authorizer over a security config: which scheme a request carries, and whether it proves enough.
import type { Logger } from '../log';
import type { AuthorizationRequest, Authorizer, Decision, Identity } from '../session/authorization';
import { AdobeAuth } from './adobe-auth';
import type { AppRule, Requirement, SecuritySettings } from './security-document';
import { verifyConnectToken, type ConnectTokenResult } from './connect-token';
import { findConnectTokenFields, type ConnectTokenFields } from './connect-token-fields';
import { covers, type Permission } from './permissions';
import type { AuthReason } from './reasons';
import { SignedUrls } from './signed-url';
import { streamKeyFrom } from './stream-keys';

export interface SecurityPolicyOptions {
  settings: SecuritySettings;
  /** Operations that need a credential in every app whatever the per-app policy says (`--require-auth`). */
  requireAuth?: readonly Permission[];
  log: Logger;
  /** Clock in milliseconds. Default Date.now. */
  now?: () => number;
}

/** What a refused peer reads: the same words whatever failed, the precise code goes to the log only. */
export const CONNECT_REJECTED = 'Authentication failed.';
const refusal = (action: 'publish' | 'play', app: string, stream: string) => `Not authorized to ${action} ${app}/${stream}.`;

/**
 * An Authorizer over a security config. connect: authmod=adobe, or a connect token (verified for identity and
 * time), or no credentials at all (publish and play decide; in an app whose rule says `adobe`, refused with
 * Adobe's "need auth" so OBS and FFmpeg start the challenge). publish/play: the app's policy; where a token is
 * required, any one of a connect token that covers the action (verified again, so its time window still holds),
 * a signed URL for this path and action, a stream key (publish), or an authmod=adobe identity. A signed link or
 * connect token the studio issued is refused once revoked (TOKEN_REVOKED); an issued connect token only works for
 * the app/stream it was bound to, until its chosen expiry, and not at all without its binding (it is signed with a
 * key derived for issuing, so it never passes as the user's own token).
 */
export function securityAuthorizer(options: SecurityPolicyOptions): Authorizer {
  const { settings, log } = options;
  const now = options.now ?? Date.now;
  const adobe = new AdobeAuth({ users: settings.users, now });
  const signedUrls = new SignedUrls({ keys: settings.signingKeys, maxTtlSeconds: settings.maxSignedTtlSeconds, revoked: settings.revokedLinks, now });
  const required = new Set(options.requireAuth ?? []);

  const rule = (app: string): AppRule => settings.policy.apps[app] ?? settings.policy.default;
  const requirement = (app: string, action: 'publish' | 'play'): Requirement => (required.has(action) ? 'token' : rule(app)[action]);

  /** A connect token proven for this request; one the studio issued is verified through, and used within, its binding. */
  const verify = async (fields: ConnectTokenFields, request: AuthorizationRequest): Promise<ConnectTokenResult> => {
    const nowSeconds = Math.floor(now() / 1000);
    const isIssued = (fingerprint: string) => settings.tokenBindings.has(fingerprint);
    const result = await verifyConnectToken(fields, { users: settings.users, action: request.action, now: nowSeconds, windowSeconds: settings.tokenWindowSeconds, isIssued });
    if (!result.ok) return result;
    if (result.form === 'issued') {
      const stream = request.action === 'connect' ? null : request.stream;
      return settings.tokenBindings.refusal(result.fingerprint, { app: request.app, stream, nowSeconds }) ?? result;
    }
    if (result.form === 'hmac') return result;
    // Base64 hides nothing: over plain RTMP the password itself crossed the network.
    if (request.protocol === 'rtmp') {
      log.warn('auth.plain-password', { peer: request.remoteAddress, user: result.user, app: request.app, hint: 'use RTMPS or the HMAC ptoken form' });
    }
    return result;
  };

  const connect = async (request: AuthorizationRequest): Promise<Decision> => {
    const fields = findConnectTokenFields(request.connectArgs, request.query);
    if (request.query.get('authmod') === 'adobe' || (fields === null && rule(request.app).adobe === true)) {
      const result = adobe.connect(request.query);
      if (!result.ok) return { allow: false, reason: result.description, code: result.reason };
      return { allow: true, code: 'ADOBE', identity: { user: result.user, permissions: result.permissions, scheme: 'adobe' } };
    }
    if (fields === null) return { allow: true, code: 'NO_CREDENTIALS' };
    const result = await verify(fields, request);
    if (!result.ok) return { allow: false, reason: CONNECT_REJECTED, code: result.reason };
    return { allow: true, code: 'CONNECT_TOKEN', identity: { user: result.user, permissions: result.permissions, scheme: 'connect-token' } };
  };

  const stream = async (request: AuthorizationRequest, action: 'publish' | 'play'): Promise<Decision> => {
    const deny = (code: AuthReason): Decision => ({ allow: false, reason: refusal(action, request.app, request.stream), code });
    // A stream key always publishes under its own stream, open app or not: a key must never become a stream name.
    const presentedKey = action === 'publish' ? streamKeyFrom(request.stream, request.query) : null;
    if (presentedKey) {
      const result = settings.streamKeys.verify(request.app, presentedKey.stream, presentedKey.key);
      return result.ok ? { allow: true, code: 'STREAM_KEY', stream: result.stream } : deny(result.reason);
    }
    if (requirement(request.app, action) === 'open') return { allow: true, code: 'OPEN' };
    if (adobeCovers(request.identity, action)) return { allow: true, code: 'ADOBE' };
    const failures: AuthReason[] = [];
    const fields = findConnectTokenFields(request.connectArgs, request.query) ?? (request.connectQuery && findConnectTokenFields([], request.connectQuery));
    if (fields) {
      const result = await verify(fields, request);
      if (result.ok) return { allow: true, code: 'CONNECT_TOKEN' };
      failures.push(result.reason);
    }
    const signed = signedUrls.verify(request.query, { app: request.app, stream: request.stream, action });
    if (signed.ok) return { allow: true, code: 'SIGNED_URL' };
    if (signed.reason !== 'TOKEN_MISSING') failures.push(signed.reason);
    return deny(failures[0] ?? 'TOKEN_MISSING');
  };

  return (request) => (request.action === 'connect' ? connect(request) : stream(request, request.action));
}

const adobeCovers = (identity: Identity | undefined, action: 'publish' | 'play'): boolean => identity?.scheme === 'adobe' && covers(identity.permissions, action);
