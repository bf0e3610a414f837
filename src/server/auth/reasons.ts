/**
 * Why an authentication check failed: stable codes for logs and tests. The peer should see a
 * generic refusal; USER_UNKNOWN and PASSWORD_WRONG in particular are for the operator's log only.
 */
export type AuthReason =
  | 'TOKEN_MISSING' // no credential of this scheme in the request
  | 'TOKEN_MALFORMED' // a field is not valid Base64, too large, or not the expected shape
  | 'TOKEN_EXPIRED' // the timestamp or exp lies in the past beyond what is allowed
  | 'TOKEN_FROM_FUTURE' // the timestamp lies further ahead than the window allows
  | 'TOKEN_LIFETIME_EXCEEDED' // a signed URL's exp lies further ahead than the maximum lifetime
  | 'USER_UNKNOWN' // no such user
  | 'PASSWORD_WRONG' // the password or its HMAC does not match
  | 'PERMISSION_DENIED' // the credential does not cover the requested action
  | 'SIGNATURE_INVALID' // a signed URL's signature does not match this path and permission
  | 'KEY_UNKNOWN' // no key with that id
  | 'KEY_RETIRED' // the key was retired: it no longer verifies
  | 'KEY_REVOKED' // the key was revoked: it stopped verifying at once
  | 'TOKEN_REVOKED' // this one signed link or issued connect token was revoked before it expired
  | 'KEY_INVALID' // a stream key whose secret does not match
  | 'PATH_MISMATCH' // a stream key presented for another app/stream
  | 'CHALLENGE_ISSUED' // authmod=adobe: this connect was refused with a challenge the client answers on its next one
  | 'CHALLENGE_UNKNOWN'; // an authmod=adobe response to a challenge we did not issue, already used, or expired

/** The outcome of one check: success carries what was proven, failure a stable reason. */
export type Failure = { ok: false; reason: AuthReason };
