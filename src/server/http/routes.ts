// What an HTTP request target asks for: a stream to play as FLV, or a JSON API resource.

import type { HttpErrorCode } from './respond';

export interface PlayTarget {
  route: 'play';
  app: string;
  name: string;
  /** The query string, for an authorization hook (tokens live there); never logged. */
  query: URLSearchParams;
}

export interface BadTarget {
  route: 'bad';
  status: 400 | 404 | 414;
  code: HttpErrorCode;
  message: string;
}

export type RequestTarget = { route: 'stats' } | { route: 'streams' } | PlayTarget | BadTarget;

export const DEFAULT_MAX_URL_LENGTH = 2048;
/** Longest app or stream name accepted in a play path, after percent-decoding. */
export const MAX_NAME_LENGTH = 256;

const FLV_SUFFIX = '.flv';
// Separators, controls and dot segments could address something other than one app/stream pair.
const UNSAFE_NAME = /[\u0000-\u001f\u007f/\\]/;

const BAD_CODES = { 400: 'BAD_REQUEST', 404: 'NOT_FOUND', 414: 'URI_TOO_LONG' } as const;

const bad = (status: BadTarget['status'], message: string): BadTarget => ({ route: 'bad', status, code: BAD_CODES[status], message });

/**
 * Parses an origin-form request target by hand: `new URL` would resolve `..` segments and
 * hide a traversal attempt. `/APP/STREAM.flv` plays a stream; `/api/stats`, `/api/streams`.
 */
export function parseRequestTarget(url: string, maxUrlLength = DEFAULT_MAX_URL_LENGTH): RequestTarget {
  if (url.length > maxUrlLength) return bad(414, `request target longer than ${maxUrlLength} characters`);
  if (!url.startsWith('/')) return bad(400, 'request target is not an absolute path');
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
  if (path === '/api/stats') return { route: 'stats' };
  if (path === '/api/streams') return { route: 'streams' };
  const segments = path.split('/');
  if (segments.length !== 3 || !segments[2].endsWith(FLV_SUFFIX)) return bad(404, 'no such resource: play paths are /APP/STREAM.flv');
  const app = decodeName(segments[1]);
  const name = decodeName(segments[2].slice(0, -FLV_SUFFIX.length));
  if (app === null || name === null) return bad(400, 'app or stream name is empty, too long, badly escaped or unsafe');
  return { route: 'play', app, name, query };
}

function decodeName(segment: string): string | null {
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    return null; // malformed percent-encoding
  }
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || name === '.' || name === '..' || UNSAFE_NAME.test(name)) return null;
  return name;
}
