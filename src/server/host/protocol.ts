// The message protocol between a parent and its server process: requests with ids, replies, events.
// Every message crosses a process boundary, so both sides check its shape at run time before trusting it.
import type { AddressInfo } from 'node:net';
import type { MediaServer, MediaServerOptions, ServerAddresses } from '../media-server';
import type { ConnectionLimits } from '../session/rtmp-connection';
import { HOST_ERROR_CODES, type HostErrorCode } from './host-error';

/** The JSON-serialisable part of MediaServerOptions a parent may send (no certificate, authorizer, proxy or logger). */
export type HostedServerOptions = Pick<
  MediaServerOptions,
  'host' | 'rtmpPort' | 'httpPort' | 'limits' | 'maxConnections' | 'maxStreamsPerConnection' | 'maxGopBytes' | 'writeCoalesceMs' | 'authorizationTimeoutMs' | 'corsOrigins'
>;

export type ServerStats = ReturnType<MediaServer['stats']>;

/** Parent to child: each request carries an id its reply repeats. */
export type HostRequest =
  | { kind: 'request'; id: number; method: 'start'; options: HostedServerOptions }
  | { kind: 'request'; id: number; method: 'stop' }
  | { kind: 'request'; id: number; method: 'stats' }
  | { kind: 'request'; id: number; method: 'kick'; sessionId: number };

export type HostMethod = HostRequest['method'];

/** What each method answers with. */
export interface HostResults {
  start: ServerAddresses;
  stop: null;
  stats: ServerStats;
  kick: boolean;
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

// Each option's check; an option left out (or undefined) takes the server's default.
const OPTION_CHECKS: Record<keyof HostedServerOptions, (value: unknown) => string | undefined> = {
  host: (value) => (isText(value, 255) ? undefined : 'host must be a string'),
  rtmpPort: (value) => (isPort(value) ? undefined : 'rtmpPort must be 0-65535 or null'),
  httpPort: (value) => (isPort(value) ? undefined : 'httpPort must be 0-65535 or null'),
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
  if (method === 'start') {
    const problem = checkOptions(message.options);
    if (problem !== undefined) return fail(id, problem);
  }
  if (method === 'kick' && !isId(message.sessionId)) return fail(id, 'sessionId must be a whole number');
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
};
