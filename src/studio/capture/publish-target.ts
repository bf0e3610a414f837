// An encoder that publishes to the embedded server, as the camera capture and the test bench both run one: the running
// server's base URL, the app and stream, and a fresh signed publish link for every run.
import { StudioError } from '../../shared/ipc/errors';
import type { Settings } from '../../shared/settings';
import type { Emit } from '../ports';
import { EncoderRun, type EncoderRunOptions, type EncoderTuning } from './encoder-run';

/** The running server's RTMP and RTMPS base URLs (rtmp://127.0.0.1:1935), null when that listener is off or the server is down. */
export interface ServerTarget {
  rtmpUrl: string | null;
  rtmpsUrl: string | null;
}

/** A fresh short-lived signed publish query (exp, kid, sig) for app/stream, without `?`. */
export type PublishQuery = (app: string, stream: string) => string;

/** What a publishing encoder needs from the studio; the capture service and the test bench take the same. */
export interface PublisherDeps {
  ffmpegPath: string;
  /** The running server's base URLs. */
  target: () => ServerTarget;
  publishQuery: PublishQuery;
  /** The capture section gives the app, and the encoding settings. */
  settings: () => Settings;
  emit: Emit;
  tuning?: EncoderTuning;
}

export interface PublishingRunOptions extends Pick<EncoderRunOptions, 'source' | 'video'> {
  app: string;
  stream: string;
  /** Over RTMPS (refused when it is off); plain RTMP otherwise, or RTMPS when plain RTMP is off. */
  secure: boolean;
  /** ffmpeg's arguments for one run that publishes to `output`, the signed URL. */
  args: (output: string) => readonly string[];
}

// The characters the keys screen refuses in an app or stream name: they would end or split the RTMP URL.
const UNSAFE_NAME = /[\0-\x1f?#\\/]/;

/** The base URL to publish to; refuses when the server is down, or when RTMPS is asked for and off. */
function publishBase(target: ServerTarget, secure: boolean): string {
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
function checkStreamPath(app: string, stream: string): void {
  if (UNSAFE_NAME.test(app) || UNSAFE_NAME.test(stream)) {
    throw new StudioError('SETTINGS_INVALID', `"${app}/${stream}" cannot be published: names may not contain ?, #, / or \\`, 'Choose another app or stream name in Settings.');
  }
}

/** rtmp://host:port/app/stream, what the status shows: no secrets. */
const streamUrl = (base: string, app: string, stream: string): string => `${base.replace(/\/+$/, '')}/${app}/${stream}`;

/**
 * An EncoderRun (not started) that publishes app/stream. Refuses at once a name that breaks the URL or a server that
 * is down; each run, a restarted one too, asks where the server is now and signs a new link on the stream name.
 */
export function publishingRun(deps: PublisherDeps, { source, video, app, stream, secure, args }: PublishingRunOptions): EncoderRun {
  checkStreamPath(app, stream);
  const target = streamUrl(publishBase(deps.target(), secure), app, stream);
  return new EncoderRun({
    source,
    video,
    target,
    ffmpegPath: deps.ffmpegPath,
    args: () => args(`${streamUrl(publishBase(deps.target(), secure), app, stream)}?${deps.publishQuery(app, stream)}`),
    emit: deps.emit,
    tuning: deps.tuning,
  });
}
