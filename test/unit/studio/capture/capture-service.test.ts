// CaptureService with stand-in ffmpeg executables: the copy-or-x264 decision, chunk order and backpressure rules,
// a fresh signed link for every run, a clean stop, and the statuses the renderer sees.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EncoderStatus } from '../../../../src/shared/ipc/capture';
import { defaultSettings, type Settings } from '../../../../src/shared/settings';
import { CaptureService } from '../../../../src/studio/capture/capture-service';
import type { PublisherDeps, ServerTarget } from '../../../../src/studio/capture/publish-target';
import { makeMatroska } from '../../encoder/matroska-fixture';
import { timePasses, waitFor } from '../../../support/wait';
import { FakeFfmpeg, type FakeBehaviour } from './fake-ffmpeg';

const H264 = { mimeType: 'video/x-matroska;codecs=avc1,opus', width: 320, height: 240, frameRate: 30 };
const VP8 = { mimeType: 'video/webm;codecs=vp8,opus', width: 320, height: 240, frameRate: 30 };
const RUNNING: ServerTarget = { rtmpUrl: 'rtmp://127.0.0.1:1935', rtmpsUrl: 'rtmps://127.0.0.1:1936' };

let recording: Buffer = Buffer.alloc(0);
/** About 1.5 MB: far more than a pipe and stdin's buffer hold. */
let large: Buffer = Buffer.alloc(0);
let fake: FakeFfmpeg;
const services: CaptureService[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-capture-unit-'));
  recording = await makeMatroska(dir, true);
  const { stdout } = await run(
    '/usr/bin/ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-b:v', '4M', '-f', 'matroska', '-live', '1', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024, timeout: 20_000 },
  );
  large = stdout;
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
  fake?.remove();
});

afterAll(() => fake?.remove());

interface Harness {
  service: CaptureService;
  statuses: EncoderStatus[];
  queries: string[];
}

function capture(behaviour: FakeBehaviour, deps: Partial<PublisherDeps> = {}, settings: Partial<Settings['capture']> = {}): Harness {
  fake = new FakeFfmpeg();
  const statuses: EncoderStatus[] = [];
  const queries: string[] = [];
  const base = defaultSettings();
  const service = new CaptureService({
    ffmpegPath: fake.path(behaviour),
    target: () => RUNNING,
    publishQuery: (app, stream) => {
      const query = `exp=1&kid=k1&sig=${app}-${stream}-${queries.length + 1}`;
      queries.push(query);
      return query;
    },
    settings: () => ({ ...base, capture: { ...base.capture, ...settings } }),
    emit: (name, payload) => {
      if (name === 'encoder.status') statuses.push(payload as EncoderStatus);
    },
    tuning: { initialBackoffMs: 10, stopGraceMs: 2000, finishGraceMs: 2000 },
    ...deps,
  });
  services.push(service);
  return { service, statuses, queries };
}

const run = promisify(execFile);
const CHUNK = 16 * 1024;
const chunks = (bytes: Buffer): Uint8Array<ArrayBuffer>[] => Array.from({ length: Math.ceil(bytes.length / CHUNK) }, (_, i) => new Uint8Array(bytes.subarray(i * CHUNK, (i + 1) * CHUNK)));

describe('CaptureService', { timeout: 20_000 }, () => {
  it('stream-copies H.264 from Matroska, publishing to the server with a signed link the status never shows', async () => {
    const { service, statuses } = capture('reader');
    const { sessionId, status } = await service.start(H264);
    expect(status).toMatchObject({ source: 'capture', state: 'starting', video: 'copy', target: 'rtmp://127.0.0.1:1935/live/studio', restarts: 0 });
    await service.chunk({ sessionId, sequence: 0, bytes: chunks(recording)[0] });
    await waitFor(() => fake.runs().length === 1, 'ffmpeg to start');
    const [args] = fake.runs();
    expect(args.slice(args.indexOf('-c:v'), args.indexOf('-c:v') + 2)).toEqual(['-c:v', 'copy']);
    expect(args.slice(args.indexOf('-f'), args.indexOf('-f') + 4)).toEqual(['-f', 'matroska', '-i', 'pipe:0']);
    expect(args.at(-1)).toBe('rtmp://127.0.0.1:1935/live/studio?exp=1&kid=k1&sig=live-studio-1');
    await service.stop({ sessionId });
    expect(JSON.stringify(statuses)).not.toContain('sig=');
  });

  it.each([
    ['VP8 WebM', VP8, {}],
    ['H.264 when preferCopy is off', H264, { preferCopy: false }],
    ['a recording whose codecs are not named', { ...H264, mimeType: 'video/x-matroska' }, {}],
  ])('re-encodes %s with x264 at a GOP of the frame rate times the keyframe interval', async (_, input, settings) => {
    const { service } = capture('reader', {}, { keyframeIntervalSeconds: 2, videoBitrateKbps: 1200, ...settings });
    const { status } = await service.start(input);
    expect(status.video).toBe('x264');
    await waitFor(() => fake.runs().length === 1, 'ffmpeg to start');
    const [args] = fake.runs();
    expect(args).toContain('libx264');
    expect(args.slice(args.indexOf('-g'), args.indexOf('-g') + 2)).toEqual(['-g', '60']);
    expect(args.slice(args.indexOf('-b:v'), args.indexOf('-b:v') + 2)).toEqual(['-b:v', '1200k']);
  });

  it('refuses a recording that is not Matroska or WebM', async () => {
    const { service } = capture('reader');
    await expect(service.start({ ...H264, mimeType: 'video/mp4;codecs=avc1' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('refuses to start when the server is not running', async () => {
    const { service } = capture('reader', { target: () => ({ rtmpUrl: null, rtmpsUrl: null }) });
    await expect(service.start(H264)).rejects.toMatchObject({ code: 'SERVER_NOT_RUNNING', hint: expect.stringContaining('Start the server') });
  });

  it('refuses chunks of a session it does not know with CAPTURE_ENDED', async () => {
    const { service } = capture('reader');
    await expect(service.chunk({ sessionId: 'nope', sequence: 0, bytes: new Uint8Array(4) })).rejects.toMatchObject({ code: 'CAPTURE_ENDED' });
    await expect(service.stop({ sessionId: 'nope' })).rejects.toMatchObject({ code: 'CAPTURE_ENDED' });
  });

  it('refuses repeated and out-of-order chunks with INVALID_INPUT, and goes on with the right one', async () => {
    const { service } = capture('reader');
    const { sessionId } = await service.start(H264);
    const [first, second, third] = chunks(recording);
    await service.chunk({ sessionId, sequence: 0, bytes: first });
    await expect(service.chunk({ sessionId, sequence: 0, bytes: first })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('repeated') });
    await expect(service.chunk({ sessionId, sequence: 2, bytes: third })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('out-of-order') });
    await expect(service.chunk({ sessionId, sequence: 1, bytes: second })).resolves.toEqual({ bufferedBytes: expect.any(Number) });
  });

  it('holds a chunk until ffmpeg reads, and refuses another one meanwhile', async () => {
    const { service, statuses } = capture('stuck');
    const { sessionId } = await service.start(H264);
    await waitFor(() => statuses.some((status) => status.state === 'running'), 'ffmpeg to report progress');
    // The pipe and stdin's buffer take the first chunks; the one that fills them waits for a 'drain' that never comes.
    const pieces = chunks(large);
    let sequence = 0;
    let pending: Promise<unknown> | null = null;
    const buffered: number[] = [];
    for (; sequence < pieces.length; sequence++) {
      const answer = service.chunk({ sessionId, sequence, bytes: pieces[sequence] });
      const settled = await Promise.race([answer.then(({ bufferedBytes }) => buffered.push(bufferedBytes)), timePasses(300).then(() => false)]);
      if (settled === false) {
        pending = answer;
        break;
      }
    }
    expect(pending, 'a chunk that waits for the stuck ffmpeg').not.toBeNull();
    // Bounded: what the pipe and stdin's buffer hold, not the 1.5 MB recording.
    expect(large.length).toBeGreaterThan(1024 * 1024);
    expect(sequence * CHUNK).toBeLessThan(512 * 1024);
    expect(Math.max(...buffered)).toBeLessThanOrEqual(CHUNK);
    await expect(service.chunk({ sessionId, sequence: sequence + 1, bytes: pieces[sequence + 1] })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: expect.stringContaining('before chunk'),
    });
    // Stopping the capture lets the held chunk go.
    await service.stop({ sessionId });
    await pending;
  });

  it('ends the capture on bytes that are not Matroska: INVALID_INPUT, a failed status, then CAPTURE_ENDED', async () => {
    const { service, statuses } = capture('reader');
    const { sessionId } = await service.start(H264);
    await expect(service.chunk({ sessionId, sequence: 0, bytes: new TextEncoder().encode('not a matroska stream at all') })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(statuses.at(-1)).toMatchObject({ state: 'failed', reason: expect.stringContaining('Matroska') });
    await expect(service.chunk({ sessionId, sequence: 1, bytes: chunks(recording)[0] })).rejects.toMatchObject({ code: 'CAPTURE_ENDED' });
  });

  it('signs a new publish link for every run, and says in words why the last one failed', async () => {
    const { service, statuses, queries } = capture('refused', {}, {});
    await service.start(H264);
    await waitFor(() => fake.runs().length >= 2, 'a restarted run');
    const [first, second] = fake.runs();
    expect(first.at(-1)).toBe('rtmp://127.0.0.1:1935/live/studio?exp=1&kid=k1&sig=live-studio-1');
    expect(second.at(-1)).toBe('rtmp://127.0.0.1:1935/live/studio?exp=1&kid=k1&sig=live-studio-2');
    expect(queries.length).toBeGreaterThanOrEqual(2);
    expect(statuses.find((status) => status.state === 'restarting')).toMatchObject({
      restarts: 1,
      attempt: 1,
      retryInMs: 10,
      reason: 'The server refused the publish token: Not authorized to publish live/studio.',
      hint: expect.stringContaining('signing key'),
    });
  });

  it('stop() ends stdin so ffmpeg reaches the end of its input and exits by itself, keeping its last progress', async () => {
    const { service, statuses } = capture('reader');
    const { sessionId } = await service.start(H264);
    const pieces = chunks(recording);
    for (const [sequence, bytes] of pieces.entries()) await service.chunk({ sessionId, sequence, bytes });
    await waitFor(() => statuses.some((status) => status.state === 'running'), 'ffmpeg to report progress');
    const stopped = await service.stop({ sessionId });
    expect(stopped).toMatchObject({ state: 'stopped', restarts: 0, progress: { outTimeMs: 3000 } });
    expect(statuses.map((status) => status.state)).toEqual(['starting', 'running', 'stopping', 'stopping', 'stopped']);
    expect(statuses[1].progress).toEqual({ bitrateKbps: 812.3, fps: 30, speed: 1.01, droppedFrames: 1, duplicatedFrames: 2, outTimeMs: 1000 });
    await expect(service.chunk({ sessionId, sequence: pieces.length, bytes: pieces[0] })).rejects.toMatchObject({ code: 'CAPTURE_ENDED' });
  });

  it('replaces a running capture when started again: the old session is over', async () => {
    const { service } = capture('reader');
    const old = await service.start(H264);
    const next = await service.start(H264);
    expect(next.sessionId).not.toBe(old.sessionId);
    await expect(service.chunk({ sessionId: old.sessionId, sequence: 0, bytes: chunks(recording)[0] })).rejects.toMatchObject({ code: 'CAPTURE_ENDED' });
    await expect(service.chunk({ sessionId: next.sessionId, sequence: 0, bytes: chunks(recording)[0] })).resolves.toBeDefined();
  });

  it('refuses an app or stream name that would break the publish URL', async () => {
    const { service } = capture('reader', {}, { stream: 'studio?key=x' });
    await expect(service.start(H264)).rejects.toMatchObject({ code: 'SETTINGS_INVALID' });
  });
});
