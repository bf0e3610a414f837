/** A stream or app name as a client sent it, split into the name and its query (tokens travel there). */
export interface ParsedName {
  name: string;
  query: URLSearchParams;
}

const MAX_NAME_LENGTH = 256;
// Names become map keys, log fields and URL paths: no control characters, no path tricks.
const VALID_NAME = /^[^\0-\x1f?#\\]+$/;

/** A stream name may have path segments (`team/cam1`); an app name is one segment, so `app/stream` is unambiguous. */
export function parseName(raw: unknown, kind: 'app' | 'stream' = 'stream'): ParsedName | null {
  if (typeof raw !== 'string') return null;
  const at = raw.indexOf('?');
  const name = (at < 0 ? raw : raw.slice(0, at)).replace(/^\/+|\/+$/g, '');
  const query = new URLSearchParams(at < 0 ? '' : raw.slice(at + 1));
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || !VALID_NAME.test(name)) return null;
  const segments = name.split('/');
  if (kind === 'app' && segments.length > 1) return null;
  if (segments.some((part) => part === '.' || part === '..' || part === '')) return null;
  return { name, query };
}

/** The query of a tcUrl such as rtmp://host/live?token=…, empty when there is none or it does not parse. */
export function tcUrlQuery(tcUrl: unknown): URLSearchParams {
  if (typeof tcUrl !== 'string') return new URLSearchParams();
  const at = tcUrl.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : tcUrl.slice(at + 1));
}

/** A URL or name with its query removed, for logs: tokens never reach a log line. */
export const withoutQuery = (value: string): string => {
  const at = value.indexOf('?');
  return at < 0 ? value : `${value.slice(0, at)}?…`;
};
