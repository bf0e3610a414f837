import { redact } from './auth/redact';

/** Structured log lines: an event name and fields; never secrets (callers leave queries out, writers redact). */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void;
  warn(event: string, fields?: Record<string, unknown>): void;
  error(event: string, fields?: Record<string, unknown>): void;
}

type Level = 'info' | 'warn' | 'error';

/**
 * One JSON object per line on the given writer (stderr by default, stdout stays for the CLI's output).
 * Every line passes through redact(): a token that slipped into a field is masked before it is written.
 */
export function jsonLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const emit = (level: Level, event: string, fields?: Record<string, unknown>) =>
    write(`${redact(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }))}\n`);
  return {
    info: (event, fields) => emit('info', event, fields),
    warn: (event, fields) => emit('warn', event, fields),
    error: (event, fields) => emit('error', event, fields),
  };
}

/**
 * The access log's events (issue 3 item 8): every connect, publish, play, rejection and close, RTMP and
 * HTTP-FLV/WS-FLV, each with the client's address (PROXY-aware), app/stream, reason code, bytes and duration.
 */
export const ACCESS_EVENTS: ReadonlySet<string> = new Set([
  'rtmp.connect',
  'rtmp.publish',
  'rtmp.play',
  'rtmp.reject',
  'rtmp.close',
  'http-flv.play',
  'http-flv.reject',
  'http-flv.stop',
  'rtmp.refuse',
  'rtmps.refuse',
  'http.refuse',
  'https.refuse',
  'proxy.refuse',
]);

/** Sends access events to `access` and everything else to `operations`. */
export function splitLogger(access: Logger, operations: Logger): Logger {
  const route = (level: Level) => (event: string, fields?: Record<string, unknown>) => (ACCESS_EVENTS.has(event) ? access : operations)[level](event, fields);
  return { info: route('info'), warn: route('warn'), error: route('error') };
}

/** Discards everything: for embedding where the host logs elsewhere. */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
