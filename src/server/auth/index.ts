// Authentication primitives: pure and synchronous except the password hash; the session gate composes them.

export type { AuthReason, Failure } from './reasons';
export { covers, parsePermissions, type Permission } from './permissions';
export { decodeBase64Field, DEFAULT_MAX_FIELD_BYTES } from './base64-field';
export { safeEqual } from './constant-time';
export { scryptHash, SCRYPT_PARAMS, type PasswordHash } from './password-hash';
export { isValidUserName, UserStore } from './user-store';
export type { PasswordCheck, PasswordOptions, UserEntry, UserRecord, UserStoreOptions, UserSummary } from './user-store';
export { CONNECT_TOKEN_FIELDS, findConnectTokenFields, type ConnectTokenField, type ConnectTokenFields } from './connect-token-fields';
export { connectTokenHmac, DEFAULT_WINDOW_SECONDS, issuedTokenKey, verifyConnectToken } from './connect-token';
export type { ConnectTokenForm, ConnectTokenOptions, ConnectTokenResult } from './connect-token';
export { buildConnectToken, buildHmacConnectToken, connectTokenArguments, type ConnectToken, type ConnectTokenInput } from './connect-token-builder';
export { KeyRing, type KeyRecord, type KeyRingOptions, type KeyState, type KeySummary } from './key-ring';
export { DEFAULT_MAX_TTL_SECONDS, SignedUrls, signedUrlSignature } from './signed-url';
export type { SignedUrlOptions, SignedUrlRequest, SignedUrlResult } from './signed-url';
export { StreamKeys, streamKeyFrom } from './stream-keys';
export type { StreamKeyRecord, StreamKeyRecords, StreamKeyResult, StreamKeySummary, StreamKeysOptions } from './stream-keys';
export { adobeResponse, adobeSaltedDigest } from './adobe-hash';
export { ADOBE_AUTH_FAILED, ADOBE_NEED_AUTH, AdobeAuth, type AdobeAuthOptions, type AdobeAuthResult } from './adobe-auth';
export { redact, redactQuery, SECRET_PARAMETERS } from './redact';
export { credentialFingerprint } from './fingerprint';
export { RevokedLinks, type RevokedLinkRecord } from './revoked-links';
export { TokenBindings, type TokenBindingRecord, type TokenUse } from './token-bindings';
export { defaultSecurityDocument, parseSecurityDocument, toSecurityDocument } from './security-document';
export type { AppRule, PolicyConfig, Requirement, SecurityDocument, SecurityDocumentOptions, SecuritySettings } from './security-document';
export { issueBoundConnectToken, type BoundToken, type BoundTokenRequest } from './issued-token';
