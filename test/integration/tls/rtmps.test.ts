// Real clients over RTMPS on loopback: ffmpeg (GnuTLS) publishing and playing, certificate checks, rtmpdump (librtmp),
// openssl s_client and TLS versions, and a certificate renewed while a player keeps playing.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/server/errors';
import { ensureSelfSigned, loadCertificate, watchCertificate, type LoadedCertificate, type SelfSignedFiles } from '../../../src/server/tls';
import { generateSelfSigned } from '../../../src/server/tls/generate-self-signed';
import { ClientPool } from '../../interop/support/client-process';
import { expectDecodedAudioAndVideo } from '../../interop/support/decode-check';
import { decodeToFrameMd5, probeFile, publishTestPattern } from '../../interop/support/ffmpeg';
import { waitFor, within } from '../../support/wait';
import { RtmpsServer } from './rtmps-server';

const STREAM = 'live/s';
const TEST_MS = 25_000;
// About 68 packets a second (25 video, 43 audio): after 50 the stream runs and the GOP cache holds a keyframe.
const RUNNING_PACKETS = 50;
const PLAY_SECONDS = 3;

let directory: string;
let selfSigned: SelfSignedFiles;
let loaded: LoadedCertificate;
let server: RtmpsServer | undefined;
const clients = new ClientPool();

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'airlock-rtmps-'));
  selfSigned = await ensureSelfSigned(join(directory, 'tls'));
  loaded = await loadCertificate(selfSigned);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

beforeEach(async () => {
  server = await new RtmpsServer(loaded).start();
});

afterEach(async () => {
  await clients.killAll();
  await server?.stop();
  server = undefined;
});

const report = (): string => `${clients.report()}\n--- server log\n${server?.log.text()}`;

/** ffmpeg publishes the live test pattern over RTMPS; resolves once the stream runs. */
async function publish(): Promise<void> {
  clients.spawn('rtmps publisher', publishTestPattern(server!.url(STREAM)));
  await server!.waitForMedia(STREAM, RUNNING_PACKETS, 10_000, report);
}

/** An ffmpeg command line with certificate verification against `caFile` turned on for its input. */
function verifying(command: string[], caFile: string): string[] {
  const input = command.indexOf('-i');
  return [...command.slice(0, input), '-tls_verify', '1', '-ca_file', caFile, ...command.slice(input)];
}

/** The SHA-256 fingerprint a fresh TLS connection to the server is shown. */
async function servedFingerprint(): Promise<string> {
  const [host, port] = server!.address.split(':');
  const socket = tls.connect({ host, port: Number(port), rejectUnauthorized: false });
  try {
    await within(new Promise((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject)), 'a TLS handshake');
    return socket.getPeerCertificate().fingerprint256;
  } finally {
    socket.destroy();
  }
}

describe('ffmpeg over RTMPS', () => {
  it('publishes H.264 + AAC and plays it back, decoding both', { timeout: TEST_MS }, async () => {
    await publish();
    const player = clients.spawn('rtmps player', decodeToFrameMd5(server!.url(STREAM), PLAY_SECONDS));
    await expectDecodedAudioAndVideo(player, PLAY_SECONDS, report);
    const connects = server!.log.events('rtmp.connect').map((entry) => entry.fields.protocol);
    expect(connects, report()).toEqual(['rtmps', 'rtmps']);
    expect(server!.versions, report()).toEqual(['TLSv1.2', 'TLSv1.2']);
  });

  it('verifies the self-signed certificate for rtmps://127.0.0.1 with -tls_verify 1 -ca_file', { timeout: TEST_MS }, async () => {
    await publish();
    const player = clients.spawn('verifying player', verifying(decodeToFrameMd5(server!.url(STREAM), PLAY_SECONDS), selfSigned.certFile));
    await expectDecodedAudioAndVideo(player, PLAY_SECONDS, report);
  });

  it('refuses, with -tls_verify 1, a certificate made for other names', { timeout: TEST_MS }, async () => {
    const elsewhere = await generateSelfSigned(['DNS:elsewhere.example'], new Date());
    const files = { certFile: join(directory, 'elsewhere.cert.pem'), keyFile: join(directory, 'elsewhere.key.pem') };
    await Promise.all([writeFile(files.certFile, elsewhere.cert), writeFile(files.keyFile, elsewhere.key)]);
    server!.setCertificate(await loadCertificate(files));
    const player = clients.spawn('verifying player', verifying(decodeToFrameMd5(server!.url(STREAM), PLAY_SECONDS), files.certFile));
    const exit = await player.waitForExit(10_000);
    expect(exit.code, report()).not.toBe(0);
    expect(player.stderr, report()).toMatch(/certificate's owner does not match hostname 127\.0\.0\.1/);
    // Refused in the TLS handshake: no RTMP connect ever reached the server.
    expect(server!.log.events('rtmp.connect'), report()).toEqual([]);
  });
});

describe('rtmpdump (librtmp, TLS 1.2) over RTMPS', () => {
  it('records a live stream that ffprobe decodes as H.264 + AAC', { timeout: TEST_MS }, async () => {
    await publish();
    const output = join(directory, 'rtmpdump.flv');
    const rtmpdump = clients.spawn('rtmpdump', ['rtmpdump', '-r', server!.url(STREAM), '--live', '--stop', '2', '-o', output]);
    await rtmpdump.waitForExit(10_000);
    expect(rtmpdump.stderr, report()).not.toMatch(/ERROR/);
    const { streams, errors } = await probeFile(output);
    expect(errors, report()).toBe('');
    const byType = new Map(streams.map((stream) => [stream.codec_type, stream]));
    expect(byType.get('video')?.codec_name, report()).toBe('h264');
    expect(byType.get('audio')?.codec_name, report()).toBe('aac');
    expect(Number(byType.get('video')?.nb_read_frames), report()).toBeGreaterThanOrEqual(25);
    expect(server!.log.events('rtmp.play').length, report()).toBe(1);
    expect(server!.versions, report()).toEqual(['TLSv1.2', 'TLSv1.2']);
  });
});

describe('TLS versions', () => {
  /** Runs openssl s_client with `args` against the server until it has shaken hands (or failed) and stdin ends. */
  const sClient = (args: string[]) =>
    clients.spawn('s_client', ['openssl', 's_client', '-connect', server!.address, '-CAfile', selfSigned.certFile, '-verify_return_error', '-verify_hostname', '127.0.0.1', ...args]);

  it('shakes hands with openssl s_client -tls1_2 and the certificate verifies for 127.0.0.1', { timeout: TEST_MS }, async () => {
    const client = sClient(['-tls1_2']);
    expect((await client.waitForExit(10_000)).code, report()).toBe(0);
    expect(client.stdout, report()).toMatch(/New, TLSv1\.2, Cipher is ECDHE-RSA-AES\d+-GCM-SHA\d+/);
    expect(client.stdout, report()).toMatch(/Verify return code: 0 \(ok\)/);
    expect(server!.versions).toEqual(['TLSv1.2']);
  });

  it('refuses TLS 1.1 and, by default, TLS 1.3 with a protocol version alert', { timeout: TEST_MS }, async () => {
    for (const version of ['-tls1_1', '-tls1_3']) {
      const client = sClient([version, '-cipher', 'DEFAULT@SECLEVEL=0']);
      expect((await client.waitForExit(10_000)).code, report()).not.toBe(0);
      expect(client.stderr, report()).toMatch(/alert protocol version/);
    }
    expect(server!.versions).toEqual([]);
  });

  it('shakes hands with TLS 1.3 when the listener allows it', { timeout: TEST_MS }, async () => {
    await server!.stop();
    server = await new RtmpsServer(loaded, { maxVersion: 'TLSv1.3' }).start();
    const client = sClient(['-tls1_3']);
    expect((await client.waitForExit(10_000)).code, report()).toBe(0);
    expect(client.stdout, report()).toMatch(/New, TLSv1\.3, Cipher is TLS_AES_\d+_GCM_SHA\d+/);
    expect(server!.versions).toEqual(['TLSv1.3']);
  });

  // Why TLS 1.2 is the default: librtmp negotiates 1.3, then takes the NewSessionTicket for a failed read.
  it('loses rtmpdump (librtmp) when the listener allows TLS 1.3', { timeout: TEST_MS }, async () => {
    await server!.stop();
    server = await new RtmpsServer(loaded, { maxVersion: 'TLSv1.3' }).start();
    await publish();
    const rtmpdump = clients.spawn('rtmpdump', ['rtmpdump', '-r', server!.url(STREAM), '--live', '--stop', '2', '-o', join(directory, 'lost.flv')]);
    expect((await rtmpdump.waitForExit(10_000)).code, report()).not.toBe(0);
    expect(rtmpdump.stderr, report()).toMatch(/handshake failed/);
    expect(server!.versions, report()).toEqual(['TLSv1.3', 'TLSv1.3']);
  });

  it('lets ffmpeg publish and play over TLS 1.3 when the listener allows it', { timeout: TEST_MS }, async () => {
    await server!.stop();
    server = await new RtmpsServer(loaded, { maxVersion: 'TLSv1.3' }).start();
    await publish();
    const player = clients.spawn('verifying player', verifying(decodeToFrameMd5(server!.url(STREAM), PLAY_SECONDS), selfSigned.certFile));
    await expectDecodedAudioAndVideo(player, PLAY_SECONDS, report);
    expect(server!.versions, report()).toEqual(['TLSv1.3', 'TLSv1.3']);
  });
});

describe('certificate renewal', () => {
  it('keeps a playing RTMPS session across a reload while a new connection sees the new certificate', { timeout: TEST_MS }, async () => {
    const renewed: LoadedCertificate[] = [];
    const errors: Error[] = [];
    const stop = watchCertificate(
      selfSigned,
      (next) => {
        server!.setCertificate(next);
        renewed.push(next);
      },
      { intervalMs: 50, onError: (error) => errors.push(error) },
    );
    try {
      await publish();
      const seconds = 5;
      const player = clients.spawn('rtmps player', decodeToFrameMd5(server!.url(STREAM), seconds));
      // Wait for decoded frames, so the reload happens mid-play.
      await player.waitFor('stdout', /^0,.*\n(.*\n){10}/m, 10_000);
      expect(await servedFingerprint()).toBe(loaded.fingerprint256);

      // A new name makes ensureSelfSigned write a new pair over the old one, as a renewal would.
      const rewritten = await ensureSelfSigned(join(directory, 'tls'), { hostnames: ['renewed.example'] });
      expect(rewritten.generated).toBe(true);
      const next = await loadCertificate(rewritten);
      await waitFor(() => renewed.length > 0, 'the watcher to reload', 5000);
      expect(renewed.map((entry) => entry.fingerprint256), report()).toEqual([next.fingerprint256]);
      expect(await servedFingerprint()).toBe(next.fingerprint256);
      expect(player.running, report()).toBe(true);

      await expectDecodedAudioAndVideo(player, seconds, report);
      // The pair is written one file after the other: a poll between the two sees a mismatch, reported and retried.
      expect(errors.filter((error) => !(error instanceof ProtocolError && error.code === 'TLS_CERTIFICATE_INVALID'))).toEqual([]);
      expect(server!.log.events('rtmp.close').filter((entry) => entry.level === 'warn'), report()).toEqual([]);
    } finally {
      stop();
    }
  });
});
