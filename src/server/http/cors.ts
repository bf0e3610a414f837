// Cross-origin access (Fetch standard, CORS protocol) for the preview player and dashboards.

import type { IncomingHttpHeaders } from 'node:http';

/** '*' lets any origin read; a list lets only those origins (exact `scheme://host[:port]`). */
export type AllowedOrigins = '*' | readonly string[];

const ALLOWED_METHODS = 'GET, OPTIONS';
const PREFLIGHT_MAX_AGE_SECONDS = '600';

export class CorsPolicy {
  constructor(private readonly allowed: AllowedOrigins = '*') {}

  /** Whether a request from `origin` may be served; requests without Origin are not cross-origin. */
  allows(origin: string | undefined): boolean {
    return origin === undefined || this.allowed === '*' || this.allowed.includes(origin);
  }

  /** Headers for any response to a request carrying these headers. */
  responseHeaders(request: IncomingHttpHeaders): Record<string, string> {
    if (this.allowed === '*') return { 'Access-Control-Allow-Origin': '*' };
    const origin = request.origin;
    if (origin === undefined || !this.allowed.includes(origin)) return { Vary: 'Origin' };
    return { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  }

  /** Headers answering an OPTIONS preflight: the methods we serve and the headers asked for. */
  preflightHeaders(request: IncomingHttpHeaders): Record<string, string> {
    const headers: Record<string, string> = {
      ...this.responseHeaders(request),
      'Access-Control-Allow-Methods': ALLOWED_METHODS,
      'Access-Control-Max-Age': PREFLIGHT_MAX_AGE_SECONDS,
    };
    const requested = request['access-control-request-headers'];
    if (requested) headers['Access-Control-Allow-Headers'] = requested;
    return headers;
  }
}
