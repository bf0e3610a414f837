// The message protocol between a parent and its server process: requests with ids, replies, events.
// Every message crosses a process boundary, so both sides check its shape at run time before trusting it.
import type { AddressInfo } from 'node:net';
import { parseSecurityDocument, type SecurityDocument } from '../auth/security-document';
import type { MediaServer, MediaServerOptions, ServerAddresses } from '../media-server';
import type { ConnectionLimits } from '../session/rtmp-connection';
import { certificateFromPem, type LoadedCertificate } from '../tls/load-certificate';
import { HOST_ERROR_CODES, HostError, type HostErrorCode } from './host-error';

/** A certificate chain and its private key as PEM text: what crosses the process boundary for RTMPS. */
export interface PemCertificate {
  certPem: string;
  keyPem: string;
}

/**
 * What a parent may send to start a server: the JSON-serialisable part of MediaServerOptions (no authorizer, proxy or
 * logger), the security document the child builds its authorizer from (none: every publish and play is allowed), and
 * the certificate RTMPS listens with (none: no RTMPS).
 */
export type HostedServerOptions = Pick<
  MediaServerOptions,
  'host' | 'rtmpPort' | 'httpPort' | 'rtmpsPort' | 'limits' | 'maxConnections' | 'maxStreamsPerConnection' | 'maxGopBytes' | 'writeCoalesceMs' | 'authorizationTimeoutMs' | 'corsOrigins'
> & { security?: SecurityDocument; certificate?: PemCertificate };

export type ServerStats = ReturnType<MediaServer['stats']>;

/** Parent to child: each request carries an id its reply repeats. */
export type HostRequest =
  | { kind: 'request'; id: number; method: 'start'; options: HostedServerOptions }
  | { kind: 'request'; id: number; method: 'stop' }
  | { kind: 'request'; id: number; method: 'stats' }
  | { kind: 'request'; id: number; method: 'kick'; sessionId: number }
  /** Replaces the security document: the next connect, publish and play are decided by it; sessions already open stay. */
  | { kind: 'request'; id: number; method: 'security'; document: SecurityDocument }
  /** Serves a new certificate to new RTMPS connections; sessions already open keep theirs. */
  | { kind: 'request'; id: number; method: 'certificate'; certificate: PemCertificate };

export type HostMethod = HostRequest['method'];

/** What each method answers with. */
export interface HostResults {
  start: ServerAddresses;
  stop: null;
  stats: ServerStats;
  kick: boolean;
  security: null;
  certificate: null;
}

export interface HostErrorBody {
  code: HostErrorCode;
  message: string;
}

/** Child to parent, one per request; id is null when the request was too malformed to carry one. */
export type HostReply = { kind: 'reply'; id: number | null; ok: true; result: unknown } | { kind: 'reply'; id: number | null; ok: false; error: HostErrorBody };

/** Child to parent, unasked: the listeners are up, a log line (already redacted), or the process is about to die. */
export type HostEvent = { kind: 'event'; event: 'ready'; addresses: ServerAddresses } | { kind: 'event'; event: 'log'; line: string } | { kind: 'event'; event: 'fatal'; error: HostErrorBody };

export type ChildMessage = HostReply | HostEvent;

/** A parsed message, or why it is not one. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; id: number | null; reason: string };

// A log line longer than this is cut: one runaway field must not flood the parent.
export const MAX_LOG_LINE = 16 * 1024;
const MAX_TEXT = 1024;
const MAX_ORIGINS = 64;
// A chain of a few certificates, and one key, with room to spare.
const MAX_CERT_PEM = 256 * 1024;
const MAX_KEY_PEM = 64 * 1024;

type Record_ = Record<string, unknown>;

const isRecord = (value: unknown): value is Record_ => value !== null && typeof value === 'object' && !Array.isArray(value);
const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isPort = (value: unknown): value is number | null => value === null || (Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65535);
const isText = (value: unknown, max = MAX_TEXT): value is string => typeof value === 'string' && value.length <= max;
const onlyKeys = (value: Record_, allowed: ReadonlySet<string>): string | undefined => Object.keys(value).find((key) => !allowed.has(key));

const LIMIT_KEYS: ReadonlySet<keyof ConnectionLimits> = new Set([
  'maxChunkSize',
  'maxMessageSize',
  'maxChunkStreams',
  'handshakeTimeoutMs',
  'idleTimeoutMs',
  'pingIntervalMs',
  'outChunkSize',
  'windowAckSize',
  'maxQueueBytes',
]);

const PEM_KEYS: ReadonlySet<string> = new Set(['certPem', 'keyPem']);

/** Why `value` is not a PemCertificate (by shape: whether the PEM parses is the server's to say), or undefined. */
export function checkCertificate(value: unknown): string | undefined {
  if (!isRecord(value)) return 'certificate must be an object {certPem, keyPem}';
  const unknown = onlyKeys(value, PEM_KEYS);
  if (unknown !== undefined) return `certificate.${unknown} is not a certificate field`;
  if (!isText(value.certPem, MAX_CERT_PEM) || value.certPem.length === 0) return `certificate.certPem must be PEM text of at most ${MAX_CERT_PEM} characters`;
  if (!isText(value.keyPem, MAX_KEY_PEM) || value.keyPem.length === 0) return `certificate.keyPem must be PEM text of at most ${MAX_KEY_PEM} characters`;
  return undefined;
}

/** The PEM pair as TLS wants it; one that does not parse or match throws HOST_MESSAGE_INVALID with the reason (never key material). */
export function loadPem({ certPem, keyPem }: PemCertificate): LoadedCertificate {
  try {
    return certificateFromPem(Buffer.from(certPem), Buffer.from(keyPem));
  } catch (error) {
    throw new HostError('HOST_MESSAGE_INVALID', error instanceof Error ? error.message : String(error));
  }
}

/** Why `value` is not a valid SecurityDocument (the field at fault, never a secret), or undefined. */
export function checkSecurity(value: unknown): string | undefined {
  try {
    parseSecurityDocument(value);
    return undefined;
  } catch (error) {
    return `security: ${error instanceof Error ? error.message : String(error)}`.slice(0, MAX_TEXT);
  }
}

// Each option's check; an option left out (or undefined) takes the server's default.
const OPTION_CHECKS: Record<keyof HostedServerOptions, (value: unknown) => string | undefined> = {
  host: (value) => (isText(value, 255) ? undefined : 'host must be a string'),
  rtmpPort: (value) => (isPort(value) ? undefined : 'rtmpPort must be 0-65535 or null'),
  httpPort: (value) => (isPort(value) ? undefined : 'httpPort must be 0-65535 or null'),
  rtmpsPort: (value) => (isPort(value) ? undefined : 'rtmpsPort must be 0-65535 or null'),
  limits: (value) => {
    if (!isRecord(value)) return 'limits must be an object';
    const unknown = onlyKeys(value, LIMIT_KEYS);
    if (unknown !== undefined) return `limits.${unknown} is not a limit`;
    const bad = Object.entries(value).find(([, limit]) => limit !== undefined && !isCount(limit));
    return bad && `limits.${bad[0]} must be a whole number`;
  },
  maxConnections: (value) => (isCount(value) ? undefined : 'maxConnections must be a whole number'),
  maxStreamsPerConnection: (value) => (isCount(value) ? undefined : 'maxStreamsPerConnection must be a whole number'),
  maxGopBytes: (value) => (isCount(value) ? undefined : 'maxGopBytes must be a whole number'),
  writeCoalesceMs: (value) => (isCount(value) ? undefined : 'writeCoalesceMs must be a whole number'),
  authorizationTimeoutMs: (value) => (isCount(value) ? undefined : 'authorizationTimeoutMs must be a whole number'),
  corsOrigins: (value) => (Array.isArray(value) && value.length <= MAX_ORIGINS && value.every((origin) => isText(origin)) ? undefined : 'corsOrigins must be a list of strings'),
  security: checkSecurity,
  certificate: checkCertificate,
};
const OPTION_KEYS: ReadonlySet<string> = new Set(Object.keys(OPTION_CHECKS));

/** Why `value` is not a HostedServerOptions, or undefined when it is one. */
export function checkOptions(value: unknown): string | undefined {
  if (!isRecord(value)) return 'options must be an object';
  const unknown = onlyKeys(value, OPTION_KEYS);
  if (unknown !== undefined) return `${unknown} is not an option the server process accepts`;
  for (const [key, option] of Object.entries(value)) {
    const problem = option === undefined ? undefined : OPTION_CHECKS[key as keyof HostedServerOptions](option);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

const REQUEST_KEYS: Record<HostMethod, ReadonlySet<string>> = {
  start: new Set(['kind', 'id', 'method', 'options']),
  stop: new Set(['kind', 'id', 'method']),
  stats: new Set(['kind', 'id', 'method']),
  kick: new Set(['kind', 'id', 'method', 'sessionId']),
  security: new Set(['kind', 'id', 'method', 'document']),
  certificate: new Set(['kind', 'id', 'method', 'certificate']),
};

// What each method carries beyond kind, id and method, checked before the child acts on it.
const BODY_CHECKS: Partial<Record<HostMethod, (message: Record_) => string | undefined>> = {
  start: (message) => checkOptions(message.options),
  kick: (message) => (isId(message.sessionId) ? undefined : 'sessionId must be a whole number'),
  security: (message) => checkSecurity(message.document),
  certificate: (message) => checkCertificate(message.certificate),
};

const fail = <T>(id: number | null, reason: string): Parsed<T> => ({ ok: false, id, reason });

/** Checks a message the child received; the id of a malformed request is kept when it has one, so its error reply can name it. */
export function parseRequest(message: unknown): Parsed<HostRequest> {
  if (!isRecord(message)) return fail(null, 'a request must be an object');
  const id = isId(message.id) ? message.id : null;
  if (message.kind !== 'request') return fail(id, 'kind must be "request"');
  if (id === null) return fail(null, 'id must be a whole number');
  const method = message.method;
  if (typeof method !== 'string' || !Object.hasOwn(REQUEST_KEYS, method)) return fail(id, `unknown method ${JSON.stringify(method)?.slice(0, 64)}`);
  const unknown = onlyKeys(message, REQUEST_KEYS[method as HostMethod]);
  if (unknown !== undefined) return fail(id, `${method} takes no ${unknown}`);
  const problem = BODY_CHECKS[method as HostMethod]?.(message);
  if (problem !== undefined) return fail(id, problem);
  return { ok: true, value: message as HostRequest };
}

const isAddress = (value: unknown): value is AddressInfo | null =>
  value === null || (isRecord(value) && isText(value.address) && isText(value.family) && isPort(value.port) && value.port !== null);

const ADDRESS_KEYS = ['rtmp', 'http', 'rtmps', 'https', 'proxy'] as const;

export const isAddresses = (value: unknown): value is ServerAddresses => isRecord(value) && ADDRESS_KEYS.every((key) => isAddress(value[key]));

const isErrorBody = (value: unknown): value is HostErrorBody => isRecord(value) && typeof value.code === 'string' && HOST_ERROR_CODES.has(value.code) && isText(value.message, MAX_LOG_LINE);

/** Checks a message the parent received from its child. */
export function parseChildMessage(message: unknown): Parsed<ChildMessage> {
  if (!isRecord(message)) return fail(null, 'a message must be an object');
  if (message.kind === 'reply') {
    if (message.id !== null && !isId(message.id)) return fail(null, 'a reply id must be a whole number or null');
    if (message.ok === true && 'result' in message) return { ok: true, value: message as HostReply };
    if (message.ok === false && isErrorBody(message.error)) return { ok: true, value: message as HostReply };
    return fail(message.id as number | null, 'a reply carries ok with a result or an error {code, message}');
  }
  if (message.kind !== 'event') return fail(null, 'kind must be "reply" or "event"');
  if (message.event === 'ready' && isAddresses(message.addresses)) return { ok: true, value: message as HostEvent };
  if (message.event === 'log' && isText(message.line, MAX_LOG_LINE)) return { ok: true, value: message as HostEvent };
  if (message.event === 'fatal' && isErrorBody(message.error)) return { ok: true, value: message as HostEvent };
  return fail(null, `malformed ${JSON.stringify(message.event)?.slice(0, 64)} event`);
}

/** Checks a reply's result against what its method answers with. */
export const RESULT_CHECKS: { [M in HostMethod]: (value: unknown) => value is HostResults[M] } = {
  start: isAddresses,
  stop: (value): value is null => value === null,
  stats: (value): value is ServerStats => isRecord(value) && Array.isArray(value.streams) && isRecord(value.connections),
  kick: (value): value is boolean => typeof value === 'boolean',
  security: (value): value is null => value === null,
  certificate: (value): value is null => value === null,
};
