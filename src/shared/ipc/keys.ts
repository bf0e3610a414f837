// The Keys and tokens screen's part of the contract: users, stream keys, signed links, connect-object tokens.
import { z } from 'zod';
import { event, request } from './define';

export const PermissionSchema = z.enum(['publish', 'play']);
export type Permission = z.infer<typeof PermissionSchema>;

const NAME = z.string().min(1).max(64);
const PATH_PART = z.string().regex(/^[^\0-\x1f?#\\/]{1,128}$/, 'no control characters, ?, #, / or \\');
const PASSWORD = z.string().min(8, 'at least 8 characters').max(256);
/** Longest lifetime of anything the keys screen issues (connect tokens are further held to 2 × the token window). */
export const MAX_CREDENTIAL_TTL_SECONDS = 30 * 24 * 60 * 60;
const TTL = z.number().int().min(60).max(MAX_CREDENTIAL_TTL_SECONDS);

export interface UserInfo {
  name: string;
  permissions: Permission[];
  createdAt: number;
}

export interface StreamKeyInfo {
  id: string;
  app: string;
  stream: string;
  label: string;
  createdAt: number;
  revoked: boolean;
}

export type CredentialKind = 'signed-link' | 'connect-token';

/** A signed link or connect token the studio issued; the secret parts come only from keys.reveal. */
export interface IssuedCredentialInfo {
  id: string;
  kind: CredentialKind;
  label: string;
  permission: Permission;
  app: string;
  stream: string;
  /** For connect tokens: the user it speaks for. */
  user: string | null;
  issuedAt: number;
  /** UNIX seconds after which the server refuses it. */
  expiresAt: number;
  revoked: boolean;
}

export interface SigningKeyInfo {
  id: string;
  state: 'active' | 'valid' | 'retired' | 'revoked';
  createdAt: number;
}

export interface KeysSnapshot {
  users: UserInfo[];
  streamKeys: StreamKeyInfo[];
  credentials: IssuedCredentialInfo[];
  signingKeys: SigningKeyInfo[];
  /** Connect tokens are accepted this far from their timestamp, either way. */
  tokenWindowSeconds: number;
}

/** Ready-to-paste forms of one secret; every field carries the secret. */
export interface CredentialShare {
  /** OBS Settings → Stream: Service "Custom…", these two fields. */
  obs: { server: string; streamKey: string } | null;
  /** A complete ffmpeg command line (with -rtmp_conn for connect-object tokens). */
  ffmpeg: string;
  /** Where to play it: RTMP, RTMPS (when on) and HTTP-FLV. */
  play: { rtmp: string; rtmps: string | null; httpFlv: string | null } | null;
  /** The bare secret: the stream key, the link's query, or the token's four fields. */
  secret: string;
}

export const keysRequests = {
  'keys.list': request<KeysSnapshot>()(z.undefined()),
  'keys.addUser': request<UserInfo>()(z.object({ name: NAME, password: PASSWORD, permissions: z.array(PermissionSchema).min(1).max(2) }).strict()),
  'keys.setPassword': request<UserInfo>()(z.object({ name: NAME, password: PASSWORD }).strict()),
  'keys.removeUser': request<boolean>()(z.object({ name: NAME }).strict()),
  /** The key exists in clear only in this answer (and in the vault for reveal). */
  'keys.createStreamKey': request<{ key: StreamKeyInfo; share: CredentialShare }>()(
    z.object({ app: PATH_PART, stream: PATH_PART, label: z.string().max(128).default('') }).strict(),
  ),
  'keys.revokeStreamKey': request<boolean>()(z.object({ id: z.string().max(64) }).strict()),
  'keys.issueCredential': request<{ credential: IssuedCredentialInfo; share: CredentialShare }>()(
    z
      .object({
        kind: z.enum(['signed-link', 'connect-token']),
        permission: PermissionSchema,
        app: PATH_PART,
        stream: PATH_PART,
        ttlSeconds: TTL,
        /** Connect tokens speak for a user (HMAC form, from the user's stored key: the password never travels). */
        user: NAME.optional(),
        label: z.string().max(128).default(''),
      })
      .strict(),
  ),
  'keys.revokeCredential': request<boolean>()(z.object({ id: z.string().max(64) }).strict()),
  /** A new active signing key; links signed with the old one stay valid until it is retired. */
  'keys.rotateSigningKey': request<SigningKeyInfo[]>()(z.object({ retirePrevious: z.boolean().default(false) }).strict()),
  /** The secret forms of a stream key or credential, for reveal and copy buttons. */
  'keys.reveal': request<CredentialShare>()(z.object({ kind: z.enum(['stream-key', 'signed-link', 'connect-token']), id: z.string().max(64) }).strict()),
};

export const keysEvents = {
  'keys.changed': event<KeysSnapshot>(),
};
