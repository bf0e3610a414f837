// What the access log's reason codes mean, in words for the operator.

const REASONS: Record<string, string> = {
  TOKEN_MISSING: 'no key or token was given',
  TOKEN_MALFORMED: 'the token is damaged or not in the expected form',
  TOKEN_EXPIRED: 'the token or link has expired',
  TOKEN_FROM_FUTURE: "the token's time lies too far ahead: check the client's clock",
  TOKEN_LIFETIME_EXCEEDED: 'the link is valid for longer than allowed',
  USER_UNKNOWN: 'no such user',
  PASSWORD_WRONG: 'wrong password',
  PERMISSION_DENIED: 'the credential does not allow this',
  SIGNATURE_INVALID: 'the link signature does not match this stream',
  KEY_UNKNOWN: 'signed with an unknown key',
  KEY_RETIRED: 'signed with a retired signing key',
  KEY_REVOKED: 'signed with a revoked key',
  KEY_INVALID: 'wrong stream key',
  PATH_MISMATCH: 'the key belongs to another stream',
  CHALLENGE_ISSUED: 'password challenge sent (normal for OBS)',
  CHALLENGE_UNKNOWN: 'the password challenge is unknown or expired',
  STREAM_BUSY: 'the stream already has a publisher',
  STREAM_NOT_LIVE: 'nothing is published on that stream',
  STREAM_NAME_INVALID: 'the stream name is not allowed',
  APP_INVALID: 'the app name is not allowed',
  AUTHORIZATION_TIMEOUT: 'the authorization check took too long',
  TIMEOUT_HANDSHAKE: 'the client did not finish the handshake in time',
  TIMEOUT_IDLE: 'the client sent nothing for too long',
};

/** The code's meaning, or null for codes this version does not know. */
export const reasonText = (code: string): string | null => REASONS[code] ?? null;
