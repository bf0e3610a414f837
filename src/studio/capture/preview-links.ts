// preview.url: a short-lived signed play URL for the in-app preview, over WebSocket-FLV or HTTP-FLV.
import type { HandlerInput, RequestOutput } from '../../shared/ipc/contract';
import { StudioError } from '../../shared/ipc/errors';

/** A fresh signed play query (exp, kid, sig) for app/stream, valid ttlSeconds; expiresAt as the keys service gives it. */
export type PlayQuery = (app: string, stream: string, ttlSeconds: number) => { query: string; expiresAt: number };

export interface PreviewLinksDeps {
  /** The running server's HTTP base URL (http://127.0.0.1:8000), null when HTTP is off or the server is down. */
  httpUrl: () => string | null;
  playQuery: PlayQuery;
}

/** Long enough to open the player; the server checks the link once, when the play starts. */
export const PREVIEW_TTL_SECONDS = 60;

export class PreviewLinks {
  constructor(private readonly deps: PreviewLinksDeps) {}

  /** `ws://host:port/APP/STREAM.flv?…` or `http://…/APP/STREAM.flv?…`: the play path the server's HTTP routes serve. */
  url({ app, stream, transport }: HandlerInput<'preview.url'>): RequestOutput<'preview.url'> {
    const base = this.deps.httpUrl();
    if (base === null) throw new StudioError('SERVER_NOT_RUNNING', 'The server is not running, so there is nothing to preview', 'Start the server on the Server screen, then try again.');
    const { query, expiresAt } = this.deps.playQuery(app, stream, PREVIEW_TTL_SECONDS);
    const origin = transport === 'ws-flv' ? base.replace(/^http(s?):/, 'ws$1:') : base;
    const path = `/${encodeURIComponent(app)}/${encodeURIComponent(stream)}.flv`;
    return { url: `${origin.replace(/\/+$/, '')}${path}?${query}`, expiresAt };
  }
}
