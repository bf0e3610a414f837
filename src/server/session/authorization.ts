import type { Permission } from '../auth/permissions';
import type { AmfValue } from '../rtmp/amf';

export type Action = 'connect' | 'publish' | 'play';

/** Everything a policy may look at before a connect, publish or play is acknowledged. */
export interface AuthorizationRequest {
  action: Action;
  app: string;
  /** Stream name without its query; empty for connect. */
  stream: string;
  /** Query parameters of the stream name (publish/play) or of the tcUrl (connect). */
  query: URLSearchParams;
  /** The connect command object (tcUrl, flashVer, …). */
  commandObject: AmfValue;
  /** Optional arguments the client appended to connect (RTMP 1.0 §7.2.1.1). */
  connectArgs: readonly AmfValue[];
  remoteAddress: string;
  protocol: 'rtmp' | 'rtmps' | 'http-flv' | 'ws-flv';
  /** Query of the connect's tcUrl and app (publish/play: tokens may have travelled there, OBS). */
  connectQuery?: URLSearchParams;
  /** Who the connect decision proved the client to be, for publish and play on that connection. */
  identity?: Identity;
}

/** A user proven at connect (authmod=adobe or a connect token) and what that proof grants. */
export interface Identity {
  user: string;
  permissions: Permission[];
  scheme: 'adobe' | 'connect-token';
}

/**
 * A verdict. `reason` is what the peer reads (a status description); `code` is the stable
 * reason code for the access log only. An allowed publish may be renamed to `stream` (a stream
 * key presented as the stream name publishes under the key's own stream, never the key).
 */
export type Decision =
  | { allow: true; code?: string; identity?: Identity; stream?: string }
  | { allow: false; reason: string; code?: string };

/** A policy: synchronous or asynchronous; the session applies a time limit. */
export type Authorizer = (request: AuthorizationRequest) => Decision | Promise<Decision>;

export const allowAll: Authorizer = () => ({ allow: true });

/** Runs a policy with a time limit; a failing or slow policy denies. */
export async function decide(authorizer: Authorizer, request: AuthorizationRequest, timeoutMs: number): Promise<Decision> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Decision>((resolve) => {
    timer = setTimeout(() => resolve({ allow: false, reason: 'authorization timed out', code: 'AUTHORIZATION_TIMEOUT' }), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(() => authorizer(request)), timeout]);
  } catch {
    return { allow: false, reason: 'authorization failed', code: 'AUTHORIZATION_ERROR' };
  } finally {
    clearTimeout(timer);
  }
}
