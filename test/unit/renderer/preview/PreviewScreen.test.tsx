// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerStatus, StatsSample, StreamInfo } from '../../../../src/shared/ipc';
import { defaultSettings } from '../../../../src/shared/settings';
import { PreviewScreen } from '../../../../src/renderer/src/features/preview/PreviewScreen';
import { FakeAirlock } from '../studio/fake-airlock';
import { installFakeResizeObserver } from '../studio/fake-resize-observer';
import { EVENTS, FakePlayer } from './fake-mpegts';

vi.mock('mpegts.js', async () => (await import('./fake-mpegts')).fakeMpegtsModule);

const running: ServerStatus = {
  state: 'running',
  restarts: 0,
  endpoints: { rtmp: 'rtmp://127.0.0.1:1935', rtmps: 'rtmps://127.0.0.1:1936', http: 'http://127.0.0.1:8000' },
  lanExposed: false,
  lanAddresses: [],
  certificate: null,
};

const liveStream = (path: string): StreamInfo => ({
  path,
  publisher: { sessionId: 1, address: '127.0.0.1', protocol: 'rtmp', since: new Date(0).toISOString() },
  video: null,
  audio: null,
  bitrateKbps: 2500,
  players: { rtmp: 0, rtmps: 0, 'http-flv': 0, 'ws-flv': 0 },
  drops: 0,
  sessions: [],
});

const stats = (...paths: string[]): StatsSample => ({ at: Date.now(), streams: paths.map(liveStream) });

/** A fake main with a running server; each preview.url answers a newly signed URL. */
function setUp(live: string[]) {
  let signed = 0;
  let settings = defaultSettings();
  const api = new FakeAirlock()
    .handle('settings.get', () => settings)
    .handle('settings.update', (patch) => (settings = { ...settings, preview: { ...settings.preview, ...patch.preview } }))
    .handle('server.status', () => running)
    .handle('server.stats', () => stats(...live))
    .handle('preview.url', ({ app, stream, transport }) => {
      signed += 1;
      const scheme = transport === 'ws-flv' ? 'ws' : 'http';
      return { url: `${scheme}://127.0.0.1:8000/${app}/${stream}.flv?sig=${signed}`, expiresAt: Date.now() + 60_000 };
    });
  window.airlock = api;
  return api;
}

const player = () => FakePlayer.instances.at(-1)!;
const urls = () => FakePlayer.instances.map((instance) => instance.source.url);

describe('PreviewScreen', () => {
  beforeEach(() => {
    FakePlayer.instances = [];
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('says what to do when no stream is live', async () => {
    setUp([]);
    render(<PreviewScreen />);
    expect(await screen.findByText('No stream is live.')).toBeTruthy();
    expect(await screen.findByText(/point OBS at rtmp:\/\/127\.0\.0\.1:1935\/live/)).toBeTruthy();
    expect(FakePlayer.instances).toHaveLength(0);
  });

  it('plays the live stream over WS-FLV with a signed URL and the latency chasing from the settings', async () => {
    const api = setUp(['live/studio']);
    render(<PreviewScreen />);
    await waitFor(() => expect(FakePlayer.instances).toHaveLength(1));
    expect(api.inputsOf('preview.url')).toEqual([{ app: 'live', stream: 'studio', transport: 'ws-flv' }]);
    expect(player().source).toEqual({ type: 'flv', isLive: true, url: 'ws://127.0.0.1:8000/live/studio.flv?sig=1' });
    expect(player().config).toMatchObject({ isLive: true, enableStashBuffer: false, liveBufferLatencyChasing: true, liveBufferLatencyMaxLatency: 1.5 });
    expect(player().video).toBe(screen.getByLabelText('Live preview'));
    expect(player().loaded).toBe(true);
  });

  it('shows the measured latency, bitrate, frames decoded and dropped frames over the video', async () => {
    setUp(['live/studio']);
    render(<PreviewScreen />);
    await waitFor(() => expect(player()?.video).toBeTruthy());
    act(() => {
      player().show({ currentTime: 10, bufferedEnd: 10.42, frames: 300, dropped: 2 });
      player().emit(EVENTS.STATISTICS_INFO, { speed: 305.2 });
    });
    await waitFor(() => expect(screen.getByLabelText('Latency').textContent).toBe('0.42 s'), { timeout: 2000 });
    expect(screen.getByLabelText('Frames decoded').textContent).toBe('300');
    expect(screen.getByLabelText('Dropped frames').textContent).toBe('2');
    expect(screen.getByLabelText('Bitrate').textContent).toBe('2.5 Mb/s');
    expect(screen.getByText('Playing live/studio over WebSocket-FLV.')).toBeTruthy();

    act(() => player().show({ currentTime: 10.5, bufferedEnd: 10.9, frames: 315, dropped: 2 }));
    await waitFor(() => expect(screen.getByLabelText('Frames decoded').textContent).toBe('315'), { timeout: 2000 });
    expect(screen.getByLabelText('Frames per second').textContent).toMatch(/^\d+\.\d fps$/);
  });

  it('recovers by itself when the publisher stops: waits, then reconnects with a freshly signed URL', async () => {
    setUp(['live/studio']);
    render(<PreviewScreen />);
    await waitFor(() => expect(FakePlayer.instances).toHaveLength(1));
    const first = player();

    act(() => first.emit(EVENTS.ERROR, 'NetworkError', 'UnrecoverableEarlyEof'));
    expect(await screen.findByText('Waiting for the publisher…')).toBeTruthy();
    expect(first.destroyed).toBe(true);

    await waitFor(() => expect(FakePlayer.instances).toHaveLength(2), { timeout: 3000 });
    expect(urls()).toEqual(['ws://127.0.0.1:8000/live/studio.flv?sig=1', 'ws://127.0.0.1:8000/live/studio.flv?sig=2']);

    act(() => player().emit(EVENTS.LOADING_COMPLETE));
    await waitFor(() => expect(FakePlayer.instances).toHaveLength(3), { timeout: 3000 });
    expect(FakePlayer.instances.slice(0, 2).every((instance) => instance.destroyed)).toBe(true);
  });

  it('keeps retrying while the server refuses the preview link, and says why', async () => {
    const api = setUp(['live/studio']);
    api.handle('preview.url', () => Promise.reject(Object.assign(new Error('The server is not running, so there is nothing to preview'), { code: 'SERVER_NOT_RUNNING', hint: 'Start the server on the Server screen, then try again.' })));
    render(<PreviewScreen />);
    expect(await screen.findByText(/The server is not running, so there is nothing to preview/)).toBeTruthy();
    expect(await screen.findByText('Waiting for the publisher…')).toBeTruthy();
    await waitFor(() => expect(api.inputsOf('preview.url').length).toBeGreaterThanOrEqual(2), { timeout: 3000 });
    expect(FakePlayer.instances).toHaveLength(0);
  });

  it('switches to HTTP-FLV when the user picks it, saving the choice', async () => {
    const api = setUp(['live/studio']);
    render(<PreviewScreen />);
    await waitFor(() => expect(FakePlayer.instances).toHaveLength(1));
    const transport = await screen.findByRole<HTMLSelectElement>('combobox', { name: 'Transport' });
    await waitFor(() => expect(transport.disabled).toBe(false));
    await userEvent.selectOptions(transport, 'http-flv');
    await waitFor(() => expect(FakePlayer.instances).toHaveLength(2));
    expect(api.inputsOf('settings.update')).toEqual([{ preview: { transport: 'http-flv' } }]);
    expect(player().source.url).toBe('http://127.0.0.1:8000/live/studio.flv?sig=2');
    expect(FakePlayer.instances[0]!.destroyed).toBe(true);
  });

  it('lists the live streams from the server stats and plays the one picked', async () => {
    const api = setUp(['live/studio', 'live/obs']);
    render(<PreviewScreen />);
    const picker = await screen.findByRole('combobox', { name: 'Stream' });
    await waitFor(() => expect(FakePlayer.instances).toHaveLength(1));
    await userEvent.selectOptions(picker, 'live/obs');
    await waitFor(() => expect(player().source.url).toContain('/live/obs.flv'));
    act(() => api.emit('server.stats', stats('live/studio')));
    expect(screen.getByRole('option', { name: 'live/obs (not live)' })).toBeTruthy();
  });

  it('hangs up while the Preview is hidden behind another tab, and reconnects with a fresh URL when shown', async () => {
    const observers = installFakeResizeObserver();
    setUp(['live/studio']);
    render(<PreviewScreen />);
    await waitFor(() => expect(FakePlayer.instances).toHaveLength(1));
    act(() => observers.resize(0, 0));
    expect(FakePlayer.instances[0]!.destroyed).toBe(true);
    act(() => observers.resize(1200, 800));
    await waitFor(() => expect(FakePlayer.instances).toHaveLength(2));
    expect(player().source.url).toBe('ws://127.0.0.1:8000/live/studio.flv?sig=2');
  });
});
