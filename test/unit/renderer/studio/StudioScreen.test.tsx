// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EncoderStatus, ServerStatus } from '../../../../src/shared/ipc';
import { defaultSettings } from '../../../../src/shared/settings';
import { StudioScreen } from '../../../../src/renderer/src/features/studio/StudioScreen';
import { deferred, FakeAirlock } from './fake-airlock';
import { FakeRecorder, installFakeMedia, type FakeMedia } from './fake-media';
import { installFakeResizeObserver } from './fake-resize-observer';

const MIB = 1024 * 1024;

const serverStatus = (state: ServerStatus['state']): ServerStatus => ({
  state,
  restarts: 0,
  endpoints: state === 'running' ? { rtmp: 'rtmp://127.0.0.1:1935', rtmps: null, http: 'http://127.0.0.1:8000' } : { rtmp: null, rtmps: null, http: null },
  lanExposed: false,
  lanAddresses: [],
  certificate: null,
});

const encoderStatus = (patch: Partial<EncoderStatus> = {}): EncoderStatus => ({
  source: 'capture',
  state: 'running',
  video: 'copy',
  target: 'rtmp://127.0.0.1:1935/live/studio',
  restarts: 0,
  progress: null,
  ...patch,
});

interface Harness {
  api: FakeAirlock;
  media: FakeMedia;
  /** capture.chunk answers, in the order the chunks were sent; each waits until the test resolves it. */
  chunkReplies: ReturnType<typeof deferred<{ bufferedBytes: number }>>[];
}

function setUp(): Harness {
  const media = installFakeMedia();
  const chunkReplies: Harness['chunkReplies'] = [];
  let serverState: ServerStatus['state'] = 'stopped';
  const api = new FakeAirlock()
    .handle('settings.get', () => defaultSettings())
    .handle('settings.update', (patch) => {
      const settings = defaultSettings();
      return { ...settings, capture: { ...settings.capture, ...patch.capture } };
    })
    .handle('server.status', () => serverStatus(serverState))
    .handle('server.start', () => serverStatus((serverState = 'running')))
    .handle('capture.start', () => ({ sessionId: 'session-1', status: encoderStatus({ state: 'starting' }) }))
    .handle('capture.chunk', () => {
      const reply = deferred<{ bufferedBytes: number }>();
      chunkReplies.push(reply);
      return reply.promise;
    })
    .handle('capture.stop', () => encoderStatus({ state: 'stopped' }));
  window.airlock = api;
  return { api, media, chunkReplies };
}

const recorder = () => FakeRecorder.instances.at(-1)!;
const sentSequences = (api: FakeAirlock) => api.inputsOf('capture.chunk').map((input) => input.sequence);
const button = (name: string) => screen.getByRole<HTMLButtonElement>('button', { name });
/** Whether the button is off: ActionButtons stay focusable and say so with aria-disabled. */
const off = (name: string) => button(name).getAttribute('aria-disabled') === 'true';
const step = (name: string) => within(screen.getByRole('list', { name: 'Go live progress' })).getByText(name).closest('li')!;

/** Renders the Studio, clicks Go live and waits until the recorder runs. */
async function goLive(harness: Harness) {
  render(<StudioScreen />);
  await userEvent.click(await screen.findByRole('button', { name: 'Go live' }));
  await waitFor(() => expect(recorder()?.state).toBe('recording'));
  return harness;
}

describe('StudioScreen', () => {
  let harness: Harness;
  beforeEach(() => {
    harness = setUp();
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('goes live in order: server.start, camera, capture.start, then a recorder keyed just under every 2 s and 100 ms chunks', async () => {
    const { api, media } = await goLive(harness);
    const names = api.names();
    expect(names.indexOf('server.start')).toBeGreaterThan(names.indexOf('server.status'));
    expect(names.indexOf('capture.start')).toBeGreaterThan(names.indexOf('server.start'));
    expect(media.getUserMedia).toHaveBeenCalled();
    expect(api.inputsOf('capture.start')).toEqual([{ mimeType: 'video/x-matroska;codecs=avc1,opus', width: 1280, height: 720, frameRate: 30 }]);
    expect(recorder().options).toMatchObject({ mimeType: 'video/x-matroska;codecs=avc1,opus', videoKeyFrameIntervalDuration: 1933, videoBitsPerSecond: 2_500_000 });
    expect(recorder().timeslice).toBe(100);
    expect(step('Encoder').className).toContain('step-done');
    expect(step('Live').className).toContain('step-active');
  });

  it('sends chunks in order and holds later ones while the encoder has not taken the first', async () => {
    const { api, chunkReplies } = await goLive(harness);
    act(() => {
      recorder().chunk(new Uint8Array([1]));
      recorder().chunk(new Uint8Array([2]));
      recorder().chunk(new Uint8Array([3]));
    });
    await waitFor(() => expect(sentSequences(api)).toEqual([0]));
    expect(step('Live').className).toContain('step-active');

    act(() => chunkReplies[0]!.resolve({ bufferedBytes: 0 }));
    await waitFor(() => expect(sentSequences(api)).toEqual([0, 1]));
    await waitFor(() => expect(step('Live').className).toContain('step-done'));
    expect(api.inputsOf('capture.chunk').map((input) => [...input.bytes])).toEqual([[1], [2]]);

    act(() => chunkReplies[1]!.resolve({ bufferedBytes: 0 }));
    await waitFor(() => expect(sentSequences(api)).toEqual([0, 1, 2]));
    expect(api.inputsOf('capture.chunk').every((input) => input.sessionId === 'session-1')).toBe(true);
  });

  it('Stop flushes the last chunk, then ends the encoder session, and allows Go live again', async () => {
    const { api, chunkReplies } = await goLive(harness);
    act(() => recorder().chunk(new Uint8Array([1])));
    await waitFor(() => expect(chunkReplies).toHaveLength(1));
    act(() => chunkReplies[0]!.resolve({ bufferedBytes: 0 }));
    await screen.findByText('Live.');
    expect(screen.getByText('video/x-matroska;codecs=avc1,opus')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(chunkReplies).toHaveLength(2));
    expect(api.names()).not.toContain('capture.stop');
    act(() => chunkReplies[1]!.resolve({ bufferedBytes: 0 }));

    await waitFor(() => expect(api.inputsOf('capture.stop')).toEqual([{ sessionId: 'session-1' }]));
    expect(recorder().state).toBe('inactive');
    expect(api.names().lastIndexOf('capture.chunk')).toBeLessThan(api.names().indexOf('capture.stop'));
    await screen.findByText('Ready to go live.');
    expect(off('Go live')).toBe(false);
    expect(off('Stop')).toBe(true);
    expect(api.names()).not.toContain('server.stop');
  });

  it('stops cleanly with a message when the encoder stalls and the queued chunks would pass the limit', async () => {
    const { api } = await goLive(harness);
    act(() => recorder().chunk(new Uint8Array(3 * MIB)));
    await waitFor(() => expect(sentSequences(api)).toEqual([0]));
    act(() => recorder().chunk(new Uint8Array(2 * MIB)));

    const alert = await screen.findByText(/The encoder stopped taking video: 3\.0 MiB waited for it/);
    expect(alert.closest('[role="alert"]')).not.toBeNull();
    await waitFor(() => expect(api.inputsOf('capture.stop')).toEqual([{ sessionId: 'session-1' }]));
    expect(recorder().state).toBe('inactive');
    expect(sentSequences(api)).toEqual([0]);
    expect(step('Live').className).toContain('step-failed');
    expect(off('Go live')).toBe(false);
  });

  it('shows the encoder progress and a restart with its attempt, reason and hint', async () => {
    const { api } = await goLive(harness);
    act(() =>
      api.emit('encoder.status', encoderStatus({ progress: { bitrateKbps: 2480, fps: 29.97, speed: 1.01, droppedFrames: 3, duplicatedFrames: 0, outTimeMs: 5000 } })),
    );
    expect(screen.getByLabelText('Encoder bitrate').textContent).toBe('2.5 Mb/s');
    expect(screen.getByLabelText('Encoder frame rate').textContent).toBe('30.0 fps');
    expect(screen.getByLabelText('Encoder speed').textContent).toBe('1.01×');
    expect(screen.getByLabelText('Encoder dropped frames').textContent).toBe('3');

    act(() =>
      api.emit('encoder.status', encoderStatus({ state: 'restarting', restarts: 2, attempt: 2, retryInMs: 1000, reason: 'ffmpeg lost the connection to the server', hint: 'Check the server is running' })),
    );
    expect(screen.getByText(/Encoder restarting \(attempt 2\) in 1\.0 s: ffmpeg lost the connection to the server/)).toBeTruthy();
    expect(screen.getByText('Check the server is running')).toBeTruthy();
    expect(screen.getByLabelText('Encoder restarts').textContent).toBe('2');
  });

  it('stops and explains when the encoder gives up', async () => {
    const { api } = await goLive(harness);
    act(() => api.emit('encoder.status', encoderStatus({ state: 'failed', restarts: 10, reason: 'The server refused the publish', hint: 'Check the stream key policy' })));
    await waitFor(() => expect(api.inputsOf('capture.stop')).toHaveLength(1));
    expect(await screen.findByText('Stopped: the encoder step failed.')).toBeTruthy();
    expect(screen.getAllByText('Check the stream key policy').length).toBeGreaterThan(0);
  });

  it('says what to do when the camera is refused, and Go live stops at the Camera step', async () => {
    harness.media.getUserMedia.mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    render(<StudioScreen />);
    expect(await screen.findByText('Camera or microphone access was refused.')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Go live' }));
    await screen.findByText('Stopped: the camera step failed.');
    expect(screen.getAllByRole('alert').map((alert) => alert.textContent)).toEqual([expect.stringContaining('Camera or microphone access was refused.')]);
    expect(step('Server').className).toContain('step-done');
    expect(step('Camera').className).toContain('step-failed');
    expect(harness.api.names()).not.toContain('capture.start');
  });

  it('lists the cameras and saves a new choice, reopening the camera with it', async () => {
    const { api, media } = harness;
    render(<StudioScreen />);
    const picker = await screen.findByRole('combobox', { name: 'Camera' });
    await within(picker).findByRole('option', { name: 'USB camera' });
    await userEvent.selectOptions(picker, 'cam-2');
    await waitFor(() => expect(api.inputsOf('settings.update')).toEqual([{ capture: { videoDeviceId: 'cam-2' } }]));
    await waitFor(() => expect(media.getUserMedia).toHaveBeenLastCalledWith(expect.objectContaining({ video: expect.objectContaining({ deviceId: { exact: 'cam-2' } }) })));
    expect(media.streams[0]!.active).toBe(false);
  });

  it('waits for a server that is still starting before it opens the camera', async () => {
    const { api, media } = harness;
    api.handle('server.start', () => serverStatus('starting'));
    render(<StudioScreen />);
    await waitFor(() => expect(media.getUserMedia).toHaveBeenCalledTimes(1));
    await userEvent.click(screen.getByRole('button', { name: 'Go live' }));
    await screen.findByText('Starting the server…');
    expect(api.names()).not.toContain('capture.start');
    act(() => api.emit('server.status', serverStatus('running')));
    await waitFor(() => expect(api.names()).toContain('capture.start'));
  });

  it('lets go of the camera while the Studio is hidden, and opens it again when shown', async () => {
    const { media } = harness;
    const observers = installFakeResizeObserver();
    render(<StudioScreen />);
    await waitFor(() => expect(media.streams).toHaveLength(1));
    act(() => observers.resize(0, 0));
    await waitFor(() => expect(media.streams[0]!.active).toBe(false));
    act(() => observers.resize(1200, 800));
    await waitFor(() => expect(media.streams).toHaveLength(2));
    expect(media.streams[1]!.active).toBe(true);
  });

  it('keeps a live stream going while the Studio is hidden', async () => {
    const observers = installFakeResizeObserver();
    const { api, chunkReplies, media } = await goLive(harness);
    act(() => observers.resize(0, 0));
    act(() => recorder().chunk(new Uint8Array([1])));
    await waitFor(() => expect(chunkReplies).toHaveLength(1));
    expect(media.streams[0]!.active).toBe(true);
    expect(recorder().state).toBe('recording');
    expect(api.names()).not.toContain('capture.stop');
  });
});
