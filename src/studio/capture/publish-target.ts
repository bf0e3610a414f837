// Where an encoder publishes: the running server's base URL, the app and stream, and a fresh signed query per run.
import { StudioError } from '../../shared/ipc/errors';

/** The running server's RTMP and RTMPS base URLs (rtmp://127.0.0.1:1935), null when that listener is off or the server is down. */
export interface ServerTarget {
  rtmpUrl: string | null;
  rtmpsUrl: string | null;
}

/** A fresh short-lived signed publish query (exp, kid, sig) for app/stream, without `?`. */
export type PublishQuery = (app: string, stream: string) => string;

// The characters the keys screen refuses in an app or stream name: they would end or split the RTMP URL.
const UNSAFE_NAME = /[\0-\x1f?#\\/]/;

/** The base URL to publish to; refuses when the server is down, or when RTMPS is asked for and off. */
export function publishBase(target: ServerTarget, secure: boolean): string {
  if (target.rtmpUrl === null && target.rtmpsUrl === null) {
    throw new StudioError('SERVER_NOT_RUNNING', 'The server is not running', 'Start the server on the Server screen, then try again.');
  }
  if (secure) {
    if (target.rtmpsUrl === null) throw new StudioError('CONFLICT', 'RTMPS is off', 'Turn RTMPS on in the server settings, or use plain RTMP.');
    return target.rtmpsUrl;
  }
  // Loopback needs no TLS; a server with plain RTMP off still takes RTMPS.
  return target.rtmpUrl ?? (target.rtmpsUrl as string);
}

/** Refuses an app or stream name that cannot sit in an RTMP URL as one path segment. */
export function checkStreamPath(app: string, stream: string): void {
  if (UNSAFE_NAME.test(app) || UNSAFE_NAME.test(stream)) {
    throw new StudioError('SETTINGS_INVALID', `"${app}/${stream}" cannot be published: names may not contain ?, #, / or \\`, 'Choose another app or stream name in Settings.');
  }
}

/** rtmp://host:port/app/stream, what the status shows: no secrets. */
export const streamUrl = (base: string, app: string, stream: string): string => `${base.replace(/\/+$/, '')}/${app}/${stream}`;

/** The URL ffmpeg publishes to, with the signed query on the stream name, where the server looks for it. */
export const signedStreamUrl = (base: string, app: string, stream: string, query: string): string => `${streamUrl(base, app, stream)}?${query}`;
