// The e2e bridge itself, on real pieces: window.airlock (the preload's AirlockBridge) in the real renderer's page
// answered by handlers in Node through dispatch(), and MediaRecorder chunks from Chromium's fake camera and microphone reaching a real ffmpeg
// and the real media server as bytes.
import { afterEach, describe, expect, it } from 'vitest';
import { captureToRtmpArgs } from '../../src/encoder/args/capture-to-rtmp';
import { CaptureStream } from '../../src/encoder/capture-stream';
import { resolveFfmpegPath } from '../../src/encoder/ffmpeg-path';
import { EncoderSupervisor } from '../../src/encoder/supervisor';
import { StudioError, requestNames, type EncoderStatus, type RequestHandlers } from '../../src/shared/ipc';
import { InteropServer } from '../interop/support/interop-server';
import { useStudioBrowser, type StudioPage } from './support/studio-browser';

const studio = useStudioBrowser();
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** Handlers for the requests a test names; any other request answers NOT_FOUND, as a missing service would. */
function handlersFor(some: Partial<RequestHandlers>): RequestHandlers {
  const missing = (name: string) => async () => {
    throw new StudioError('NOT_FOUND', `${name} is not served in this test`);
  };
  return Object.fromEntries(requestNames.map((name) => [name, some[name] ?? missing(name)])) as RequestHandlers;
}

type PageWindow = Window & { airlock: { request(name: string, input?: unknown): Promise<unknown> } };

/** The Reply window.airlock.request answers in the page, as the renderer's airlockApi receives it. */
const requestInPage = (studioPage: StudioPage, name: string, input?: unknown) =>
  studioPage.page.evaluate(([name, input]) => (window as unknown as PageWindow).airlock.request(name, input), [name, input] as const);

describe('the e2e bridge', { timeout: 60_000 }, () => {
  it('answers window.airlock from handlers in Node with Replies, inputs checked there and errors as values', async () => {
    const page = await studio.openStudio(
      handlersFor({
        'settings.update': async () => {
          throw new StudioError('SETTINGS_INVALID', 'port 80 needs privileges', 'pick a port above 1023');
        },
        'server.kick': async ({ sessionId }) => sessionId === 7,
      }),
    );
    expect(await requestInPage(page, 'server.kick', { sessionId: 7 })).toEqual({ ok: true, value: true });
    expect(await requestInPage(page, 'server.kick', { sessionId: -1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await requestInPage(page, 'settings.update', {})).toEqual({
      ok: false,
      error: { code: 'SETTINGS_INVALID', message: 'port 80 needs privileges', hint: 'pick a port above 1023' },
    });
    expect(await requestInPage(page, 'no.such')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_REQUEST' } });
  });

  it('delivers events to every subscriber in the order they were emitted, and not after unsubscribing', async () => {
    const page = await studio.openStudio(handlersFor({}));
    await page.page.evaluate(() => {
      const scope = window as unknown as { airlock: { on(name: string, listener: (payload: unknown) => void): () => void }; seen: unknown[] };
      scope.seen = [];
      scope.airlock.on('server.access', (payload) => scope.seen.push(payload));
      const off = scope.airlock.on('server.access', (payload) => {
        scope.seen.push({ second: payload });
        off();
      });
    });
    const entry = (id: number) => ({ id, at: '2026-01-01T00:00:00.000Z', address: '127.0.0.1:5000', protocol: 'rtmp', action: 'play' as const, path: 'live/cam', outcome: 'allowed' as const, code: null, sessionId: id });
    for (let id = 1; id <= 3; id++) page.emit('server.access', entry(id));
    await page.flush();
    expect(await page.page.evaluate(() => (window as unknown as { seen: unknown[] }).seen)).toEqual([entry(1), { second: entry(1) }, entry(2), entry(3)]);
  });

  it('carries MediaRecorder chunks from the fake camera and microphone as bytes into ffmpeg, which publishes H.264 and AAC', async () => {
    const server = await new InteropServer().start();
    cleanups.push(() => server.stop());
    const ffmpegPath = await resolveFfmpegPath(process.env, '/usr/bin/ffmpeg');
    let capture: CaptureStream | null = null;
    let supervisor: EncoderSupervisor | null = null;
    const status = (state: EncoderStatus['state']): EncoderStatus => ({ source: 'capture', state, video: 'copy', target: server.rtmpUrl('live/cam'), restarts: 0, progress: null });
    const page = await studio.openStudio(
      handlersFor({
        'capture.start': async () => {
          supervisor = new EncoderSupervisor({
            ffmpegPath,
            args: captureToRtmpArgs({ output: server.rtmpUrl('live/cam'), videoCodec: 'h264', audioCodec: 'opus', copyVideo: true, videoBitrateKbps: 500, fps: 30 }),
          });
          cleanups.push(() => supervisor!.stop());
          capture = new CaptureStream(supervisor);
          supervisor.start();
          return { sessionId: 'one', status: status('running') };
        },
        'capture.chunk': async ({ bytes }) => {
          await capture!.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          return { bufferedBytes: supervisor!.bufferedBytes };
        },
      }),
    );
    const mimeType = 'video/x-matroska;codecs=avc1,opus';
    await page.page.evaluate(async (mimeType) => {
      const { airlock } = window as unknown as PageWindow;
      const invoke = async (name: string, input: unknown) => {
        const reply = (await airlock.request(name, input)) as { ok: boolean; value?: unknown; error?: { message: string } };
        if (!reply.ok) throw new Error(reply.error!.message);
        return reply.value;
      };
      const media = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240, frameRate: 30 }, audio: true });
      const { sessionId } = (await invoke('capture.start', { mimeType, width: 320, height: 240, frameRate: 30 })) as { sessionId: string };
      const recorder = new MediaRecorder(media, { mimeType, videoBitsPerSecond: 500_000 });
      let sequence = 0;
      let sent = Promise.resolve();
      recorder.ondataavailable = ({ data }) => {
        sent = sent.then(async () => void (await invoke('capture.chunk', { sessionId, sequence: sequence++, bytes: new Uint8Array(await data.arrayBuffer()) })));
      };
      recorder.start(250);
    }, mimeType);
    await server.waitForMedia('live/cam', 30, 20_000, () => `${page.problems.join('\n')}\n--- ffmpeg\n${supervisor?.stderr.join('\n')}`);
    expect(server.server.registry.get('live', 'cam')!.codecs).toEqual({ video: 'H264', audio: 'AAC' });
    expect(page.problems).toEqual([]);
  });
});
