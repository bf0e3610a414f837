// The real MediaServer as the studio runs it: a signed link required for every publish and play (securityAuthorizer
// over a KeyRing), RTMPS with a self-signed certificate when asked; it signs links the way the keys service will.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { KeyRing } from '../../../../src/server/auth/key-ring';
import { securityAuthorizer } from '../../../../src/server/auth/policy';
import { defaultSecurityDocument, parseSecurityDocument } from '../../../../src/server/auth/security-document';
import { SignedUrls } from '../../../../src/server/auth/signed-url';
import type { Authorizer } from '../../../../src/server/session/authorization';
import type { LoadedCertificate } from '../../../../src/server/tls';
import type { PlayQuery } from '../../../../src/studio/capture/preview-links';
import type { ServerTarget } from '../../../../src/studio/capture/publish-target';
import { InteropServer } from '../../../interop/support/interop-server';

export interface StudioServerOptions {
  /** Serve RTMPS with this certificate too. */
  certificate?: LoadedCertificate;
  /** Lifetime of each publish link handed out. */
  publishTtlSeconds?: number;
}

export class StudioServer {
  readonly keys: KeyRing;
  readonly signer: SignedUrls;
  /** Every publish query handed out, oldest first. */
  readonly publishQueries: string[] = [];
  readonly interop: InteropServer;
  private readonly publishTtlSeconds: number;

  constructor(options: StudioServerOptions = {}) {
    this.publishTtlSeconds = options.publishTtlSeconds ?? 600;
    let authorize: Authorizer = () => ({ allow: false, reason: 'not ready' });
    const tls = options.certificate ? { certificate: options.certificate, rtmpsPort: 0 } : {};
    this.interop = new InteropServer({ ...tls, authorize: (request) => authorize(request) });
    // A fresh install's document: tokens required for publish and play; this server's own signing key.
    const settings = parseSecurityDocument(defaultSecurityDocument());
    this.keys = settings.signingKeys;
    this.keys.add({ activate: true });
    this.signer = new SignedUrls({ keys: this.keys });
    authorize = securityAuthorizer({ settings, log: this.interop.log });
  }

  async start(): Promise<this> {
    await this.interop.start();
    return this;
  }

  /** What the server service reports to the capture services. */
  target = (): ServerTarget => {
    const { rtmp, rtmps } = this.interop.server.addresses;
    return { rtmpUrl: rtmp ? `rtmp://127.0.0.1:${rtmp.port}` : null, rtmpsUrl: rtmps ? `rtmps://127.0.0.1:${rtmps.port}` : null };
  };

  httpUrl = (): string => `http://127.0.0.1:${this.interop.server.addresses.http!.port}`;

  /** A fresh signed publish query, as the keys service's studioPublishQuery gives one. */
  publishQuery = (app: string, stream: string): string => {
    const query = this.signer.sign(`${app}/${stream}`, 'publish', this.publishTtlSeconds);
    this.publishQueries.push(query);
    return query;
  };

  playQuery: PlayQuery = (app, stream, ttlSeconds) => {
    const query = this.signer.sign(`${app}/${stream}`, 'play', ttlSeconds);
    return { query, expiresAt: Number(new URLSearchParams(query).get('exp')) };
  };

  /** `rtmp://…/app/stream?<signed play query>`. */
  playUrl(path: string, secure = false): string {
    const [app, stream] = path.split('/');
    const base = secure ? this.target().rtmpsUrl : this.target().rtmpUrl;
    return `${base}/${path}?${this.playQuery(app, stream, 600).query}`;
  }

  stop(): Promise<void> {
    return this.interop.stop();
  }
}

/** Largest gap between consecutive keyframes, in seconds. */
export const largestGap = (keyframes: number[]): number => Math.max(...keyframes.slice(1).map((time, i) => time - keyframes[i]));

export type Recorder = ChildProcessByStdio<null, Readable, Readable>;

/**
 * A live recording as MediaRecorder makes one, written in real time to stdout: H.264 (keyframe every 2 s) and Opus
 * in Matroska, or VP8 and Opus in WebM. It ends by itself after `seconds`.
 */
export function startRecorder(codec: 'h264' | 'vp8', seconds: number): Recorder {
  const video =
    codec === 'h264'
      ? ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '60', '-keyint_min', '60', '-sc_threshold', '0']
      : ['-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '500k', '-g', '60'];
  return spawn(
    'ffmpeg',
    [
      '-nostdin', '-hide_banner', '-loglevel', 'error',
      '-re', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30',
      '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', String(seconds), ...video, '-c:a', 'libopus',
      '-f', codec === 'h264' ? 'matroska' : 'webm', '-live', '1', 'pipe:1',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}
