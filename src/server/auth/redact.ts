/** Parameter names whose values are secrets or let someone answer as the user. */
export const SECRET_PARAMETERS = ['ntoken', 'ptoken', 'ttoken', 'ftoken', 'sig', 'key', 'token', 'password', 'response', 'challenge', 'opaque', 'salt'] as const;

const MASK = '…';
const names = SECRET_PARAMETERS.join('|');
const SECRET_NAME = new RegExp(`^(?:${names})$`, 'i');
const PATTERNS: readonly [RegExp, string][] = [
  // Query parameters in URLs, stream names and Adobe descriptions: ?ptoken=… &sig=… key=…
  [new RegExp(`(^|[?&;\\s"'])(${names})=[^&\\s"'#]*`, 'gi'), `$1$2=${MASK}`],
  // ffmpeg -rtmp_conn and rtmpdump --conn items: NS:ptoken:…
  [new RegExp(`(\\bN?S:(?:${names}):)[^\\s"']*`, 'gi'), `$1${MASK}`],
  // JSON fields: "ptoken":"…"
  [new RegExp(`("(?:${names})"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*"`, 'gi'), `$1${MASK}"`],
  // Stream keys wherever they appear, including a stream name that is the key itself.
  [/\bsk_[A-Za-z0-9_-]+/g, `sk_${MASK}`],
  // Passwords in URLs: rtmp://user:password@host (FFmpeg's authmod=adobe credentials).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s"']*:)[^@/\s"']*@/gi, `$1${MASK}@`],
];

/** Replaces token, password, signature and key values in a log line or error message with `…`. */
export function redact(text: string): string {
  return PATTERNS.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
}

/** A copy of a query with secret parameters masked and stream keys in other values removed. */
export function redactQuery(query: URLSearchParams): URLSearchParams {
  const safe = new URLSearchParams();
  for (const [name, value] of query) safe.append(name, SECRET_NAME.test(name) ? MASK : redact(value));
  return safe;
}
