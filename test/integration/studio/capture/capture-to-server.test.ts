// The capture services against the real MediaServer with real ffmpeg, through the signed publish path: live recordings
// fed in chunks come out as H.264 + AAC, a killed ffmpeg comes back with a fresh link, a stopped one holds the chunks,
// a refused publish is explained, and the test bench plays over RTMP, RTMPS, HTTP-FLV and WS-FLV.
import { execFile } from 'node:child_process';
import { get } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { resolveFfmpegPath } from '../../../../src/encoder/ffmpeg-path';
import { ensureSelfSigned, loadCertificate, type LoadedCertificate } from '../../../../src/server/tls';
import type { EncoderStatus } from '../../../../src/shared/ipc/capture';
import { defaultSettings, type Settings } from '../../../../src/shared/settings';
import { CaptureService } from '../../../../src/studio/capture/capture-service';
import { PreviewLinks } from '../../../../src/studio/capture/preview-links';
import { TestBench } from '../../../../src/studio/capture/test-bench';
import { timePasses, waitFor } from '../../../support/wait';
import { childFfmpegPids } from '../../../support/child-ffmpeg';
import { probeLive } from '../../../support/probe';
import { largestGap, startRecorder, StudioServer, type Recorder, type StudioServerOptions } from './studio-server';

const run = promisify(execFile);
const CHUNK = 16 * 1024;
/** How long a preview link's player may take to answer before the test gives up on it (and closes it). */
const ANSWER_MS = 10_000;
/** Small pictures keep two cores calm: ffmpeg records, encodes and probes at once. */
const CAPTURE: Partial<Settings['capture']> = { width: 320, height: 240, frameRate: 30, videoBitrateKbps: 500, keyframeIntervalSeconds: 2 };
const H264 = { mimeType: 'video/x-matroska;codecs=avc1,opus', width: 320, height: 240, frameRate: 30 };
const VP8 = { mimeType: 'video/webm;codecs=vp8,opus', width: 320, height: 240, frameRate: 30 };

let ffmpegPath = '';
let dir = '';
let certificate: LoadedCertificate;
/** 6 s of 640x360 H.264 + Opus at 2 Mb/s, about 1.5 MB: more than a pipe holds. */
let recording: Buffer = Buffer.alloc(0);

const servers: StudioServer[] = [];
const recorders: Recorder[] = [];
const closers: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  ffmpegPath = await resolveFfmpegPath(process.env, '/usr/bin/ffmpeg');
  dir = mkdtempSync(join(tmpdir(), 'airlock-studio-capture-'));
  certificate = await loadCertificate(await ensureSelfSigned(join(dir, 'tls')));
  const { stdout } = await run(
    ffmpegPath,
    [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', '6', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '2M', '-g', '60', '-c:a', 'libopus', '-f', 'matroska', '-live', '1', 'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024, timeout: 30_000 },
  );
  recording = stdout;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

afterEach(async () => {
  for (const recorder of recorders.splice(0)) recorder.kill('SIGKILL');
  await Promise.all(closers.splice(0).map((close) => close()));
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

async function startServer(options: StudioServerOptions = {}): Promise<StudioServer> {
  const server = await new StudioServer(options).start();
  servers.push(server);
  return server;
}

interface Services {
  statuses: EncoderStatus[];
  capture: CaptureService;
  bench: TestBench;
}

function services(server: StudioServer, publishQuery = server.publishQuery, maxRestarts = 10): Services {
  const statuses: EncoderStatus[] = [];
  const base = defaultSettings();
  const deps = {
    ffmpegPath,
    target: server.target,
    publishQuery,
    settings: () => ({ ...base, capture: { ...base.capture, ...CAPTURE } }),
    emit: (name: string, payload: unknown) => {
      if (name === 'encoder.status') statuses.push(payload as EncoderStatus);
    },
    tuning: { initialBackoffMs: 100, stopGraceMs: 3000, maxRestarts },
  };
  const capture = new CaptureService(deps);
  const bench = new TestBench(deps);
  closers.push(() => capture.close(), () => bench.stop());
  return { statuses, capture, bench };
}

/** Sends what the recorder writes as capture chunks, one at a time, as the renderer's pump does; the count sent. */
async function pump(capture: CaptureService, sessionId: string, recorder: Recorder): Promise<number> {
  let sequence = 0;
  for await (const chunk of recorder.stdout as AsyncIterable<Buffer>) await capture.chunk({ sessionId, sequence: sequence++, bytes: new Uint8Array(chunk) });
  return sequence;
}

const pieces = (bytes: Buffer): Uint8Array<ArrayBuffer>[] => Array.from({ length: Math.ceil(bytes.length / CHUNK) }, (_, i) => new Uint8Array(bytes.subarray(i * CHUNK, (i + 1) * CHUNK)));

const report = (server: StudioServer, statuses: EncoderStatus[]) => () => `${server.interop.report()}\n--- statuses\n${statuses.map((status) => JSON.stringify(status)).join('\n')}`;

describe('capture services publishing to the media server', { timeout: 60_000 }, () => {
  it.each([
    ['stream-copies a live H.264 + Opus Matroska recording', 'h264', H264, 'copy'],
    ['re-encodes a live VP8 + Opus WebM recording with x264', 'vp8', VP8, 'x264'],
  ] as const)('%s; ffprobe reads H.264 + AAC back over RTMP with keyframes at most 2 s apart', async (_, codec, input, video) => {
    const server = await startServer();
    const { capture, statuses } = services(server);
    const { sessionId, status } = await capture.start(input);
    expect(status.video).toBe(video);
    const recorder = startRecorder(codec, 20);
    recorders.push(recorder);
    const pumping = pump(capture, sessionId, recorder);
    await server.interop.waitForMedia('live/studio', 30, 20_000, report(server, statuses));
    const { codecs, keyframes } = await probeLive(server.playUrl('live/studio'), 5);
    expect(codecs).toEqual({ video: 'h264', audio: 'aac' });
    expect(keyframes.length).toBeGreaterThanOrEqual(2);
    expect(largestGap(keyframes)).toBeLessThanOrEqual(2.001);
    expect(server.interop.log.events('rtmp.publish').map((entry) => entry.fields.code)).toEqual(['SIGNED_URL']);
    expect(statuses.some((each) => each.state === 'running' && each.progress !== null)).toBe(true);
    recorder.kill('SIGKILL');
    await pumping;
    expect(await capture.stop({ sessionId })).toMatchObject({ state: 'stopped', restarts: 0 });
  });

  it('restarts a killed ffmpeg with a fresh publish link after the first one expired, and publishes again', async () => {
    const server = await startServer({ publishTtlSeconds: 1 });
    const { capture, statuses } = services(server);
    const { sessionId } = await capture.start(H264);
    const recorder = startRecorder('h264', 30);
    recorders.push(recorder);
    const pumping = pump(capture, sessionId, recorder);
    await server.interop.waitForEvent('rtmp.publish', 1, 20_000, report(server, statuses));
    // The first link has expired: a restart that reused it would be refused.
    const firstExp = Number(new URLSearchParams(server.publishQueries[0]).get('exp'));
    await waitFor(() => Math.floor(Date.now() / 1000) > firstExp, 'the first publish link to expire', 5000);
    const [pid] = childFfmpegPids('capture');
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    await server.interop.waitForEvent('rtmp.publish', 2, 20_000, report(server, statuses));
    await waitFor(() => statuses.at(-1)?.state === 'running', 'the restarted run to publish', 20_000);
    expect(server.publishQueries).toHaveLength(2);
    expect(server.publishQueries[1]).not.toBe(server.publishQueries[0]);
    expect(server.interop.log.events('rtmp.publish').map((entry) => entry.fields.code)).toEqual(['SIGNED_URL', 'SIGNED_URL']);
    expect(server.interop.log.events('rtmp.reject')).toEqual([]);
    expect(statuses.find((status) => status.state === 'restarting')).toMatchObject({ restarts: 1, attempt: 1, reason: 'ffmpeg stopped unexpectedly' });
    expect(childFfmpegPids('capture')).not.toContain(pid);
    await server.interop.waitForMedia('live/studio', 30, 20_000, report(server, statuses));
    expect(server.interop.server.registry.get('live', 'studio')!.codecs).toEqual({ video: 'H264', audio: 'AAC' });
    recorder.kill('SIGKILL');
    await pumping;
  });

  it('holds chunks while ffmpeg is stopped, with bounded memory, and takes them all once it runs again', async () => {
    const server = await startServer();
    const { capture, statuses } = services(server);
    const { sessionId } = await capture.start(H264);
    const chunks = pieces(recording);
    let sequence = 0;
    while (statuses.at(-1)?.state !== 'running') {
      await capture.chunk({ sessionId, sequence, bytes: chunks[sequence] });
      sequence++;
      await timePasses(20);
    }
    const [pid] = childFfmpegPids('capture');
    process.kill(pid, 'SIGSTOP');
    const stoppedAt = sequence;
    let taken = sequence;
    const buffered: number[] = [];
    const feeding = (async () => {
      for (; sequence < chunks.length; sequence++) {
        const { bufferedBytes } = await capture.chunk({ sessionId, sequence, bytes: chunks[sequence] });
        buffered.push(bufferedBytes);
        taken++;
      }
    })();
    // Time passing is what is tested: nothing more is taken while ffmpeg is stopped.
    await timePasses(1000);
    const takenWhileStopped = taken;
    await timePasses(500);
    expect(taken).toBe(takenWhileStopped);
    expect(takenWhileStopped).toBeLessThan(chunks.length);
    expect((takenWhileStopped - stoppedAt) * CHUNK).toBeLessThan(512 * 1024);
    expect(Math.max(...buffered)).toBeLessThanOrEqual(CHUNK);
    process.kill(pid, 'SIGCONT');
    await feeding;
    expect(taken).toBe(chunks.length);
    // A clean stop: ffmpeg reads the rest and flushes, so all 6 s reach the server.
    const stopped = await capture.stop({ sessionId });
    expect(stopped).toMatchObject({ state: 'stopped', restarts: 0 });
    expect(stopped.progress!.outTimeMs).toBeGreaterThanOrEqual(5900);
  });

  it('reports a publish the server refuses with the server’s reason, in words', async () => {
    const server = await startServer();
    // Signed for another stream: the server must refuse it for live/studio.
    const { capture, statuses } = services(server, () => server.signer.sign('live/other', 'publish', 600), 0);
    const { sessionId } = await capture.start(H264);
    for (const [sequence, bytes] of pieces(recording).entries()) {
      const answer = await capture.chunk({ sessionId, sequence, bytes }).catch((error: { code: string }) => error);
      if ('code' in answer) {
        expect(answer.code).toBe('CAPTURE_ENDED');
        break;
      }
    }
    await waitFor(() => statuses.at(-1)?.state === 'failed', 'the capture to fail', 20_000);
    expect(statuses.at(-1)).toMatchObject({ reason: 'The server refused the publish token: Not authorized to publish live/studio.', hint: expect.stringContaining('Keys') });
    expect(server.interop.log.events('rtmp.reject')[0]?.fields).toMatchObject({ action: 'publish', code: 'SIGNATURE_INVALID' });
  });

  it.each([
    ['RTMP', false],
    ['RTMPS', true],
  ])('runs the test bench over %s, readable by ffprobe as H.264 + AAC', async (_, secure) => {
    const server = await startServer({ certificate });
    const { bench, statuses } = services(server);
    const { status, app, stream } = await bench.start({ secure });
    expect(status.target).toMatch(secure ? /^rtmps:\/\/127\.0\.0\.1:\d+\/live\/test-bench$/ : /^rtmp:\/\/127\.0\.0\.1:\d+\/live\/test-bench$/);
    await server.interop.waitForMedia(`${app}/${stream}`, 30, 20_000, report(server, statuses));
    expect(server.interop.log.events('rtmp.connect').map((entry) => entry.fields.protocol)).toEqual([secure ? 'rtmps' : 'rtmp']);
    const { codecs, keyframes } = await probeLive(server.playUrl('live/test-bench', secure), 5);
    expect(codecs).toEqual({ video: 'h264', audio: 'aac' });
    expect(largestGap(keyframes)).toBeLessThanOrEqual(2.001);
    expect(await bench.stop()).toMatchObject({ source: 'test-bench', state: 'stopped' });
  });

  it('gives preview links that play over HTTP-FLV and WS-FLV, where an unsigned play is refused', async () => {
    const server = await startServer();
    const { bench, statuses } = services(server);
    await bench.start({ secure: false });
    await server.interop.waitForMedia('live/test-bench', 30, 20_000, report(server, statuses));
    const previews = new PreviewLinks({ httpUrl: server.httpUrl, playQuery: server.playQuery });
    const http = previews.url({ app: 'live', stream: 'test-bench', transport: 'http-flv' });
    expect(http.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(await firstBytes(http.url)).toEqual({ status: 200, signature: 'FLV' });
    expect((await firstBytes(http.url.slice(0, http.url.indexOf('?')))).status).toBe(403);
    const ws = previews.url({ app: 'live', stream: 'test-bench', transport: 'ws-flv' });
    expect(ws.url.startsWith('ws://127.0.0.1:')).toBe(true);
    expect(await firstWsBytes(ws.url)).toBe('FLV');
  });
});

/** The status and the first three bytes of an HTTP answer (FLV's signature). */
function firstBytes(url: string): Promise<{ status: number | undefined; signature?: string }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, signal: AbortSignal.timeout(ANSWER_MS) }, (response) => {
      if (response.statusCode !== 200) {
        resolve({ status: response.statusCode });
        response.destroy();
        return;
      }
      response.once('data', (chunk: Buffer) => {
        resolve({ status: response.statusCode, signature: chunk.subarray(0, 3).toString('latin1') });
        response.destroy();
      });
    });
    request.on('error', reject);
  });
}

/** The first three bytes of the first WebSocket message. */
function firstWsBytes(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    const timer = setTimeout(() => {
      reject(new Error(`no WebSocket message within ${ANSWER_MS} ms`));
      socket.terminate();
    }, ANSWER_MS);
    socket.once('message', (data: Buffer) => {
      clearTimeout(timer);
      resolve(data.subarray(0, 3).toString('latin1'));
      socket.terminate();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
