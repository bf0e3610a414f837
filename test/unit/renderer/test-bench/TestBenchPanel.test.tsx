// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StudioError, type EncoderStatus, type ServerStatus } from '../../../../src/shared/ipc';
import { defaultSettings } from '../../../../src/shared/settings';
import { PreviewScreen } from '../../../../src/renderer/src/features/preview/PreviewScreen';
import { FakePlayer } from '../preview/fake-mpegts';
import { FakeAirlock } from '../studio/fake-airlock';

vi.mock('mpegts.js', async () => (await import('../preview/fake-mpegts')).fakeMpegtsModule);

const serverStatus = (state: ServerStatus['state']): ServerStatus => ({
  state,
  restarts: 0,
  endpoints: state === 'running' ? { rtmp: 'rtmp://127.0.0.1:1935', rtmps: 'rtmps://127.0.0.1:1936', http: 'http://127.0.0.1:8000' } : { rtmp: null, rtmps: null, http: null },
  lanExposed: false,
  lanAddresses: [],
  certificate: null,
});

const benchStatus = (secure: boolean, patch: Partial<EncoderStatus> = {}): EncoderStatus => ({
  source: 'test-bench',
  state: 'running',
  video: 'x264',
  target: `${secure ? 'rtmps://127.0.0.1:1936' : 'rtmp://127.0.0.1:1935'}/live/test-bench`,
  restarts: 0,
  progress: null,
  ...patch,
});

/** Main with the server stopped until something starts it, and no stream live. */
function setUp() {
  let server: ServerStatus['state'] = 'stopped';
  const api = new FakeAirlock()
    .handle('settings.get', () => defaultSettings())
    .handle('server.status', () => serverStatus(server))
    .handle('server.start', () => serverStatus((server = 'running')))
    .handle('server.stats', () => ({ at: Date.now(), streams: [] }))
    .handle('testBench.start', ({ secure }) => ({ status: benchStatus(secure, { state: 'starting' }), app: 'live', stream: 'test-bench' }))
    .handle('testBench.stop', () => benchStatus(false, { state: 'stopped' }))
    .handle('preview.url', ({ app, stream }) => ({ url: `ws://127.0.0.1:8000/${app}/${stream}.flv?sig=x`, expiresAt: Date.now() + 60_000 }));
  window.airlock = api;
  return api;
}

const button = (name: string) => screen.getByRole<HTMLButtonElement>('button', { name });
/** Whether the button is off: ActionButtons stay focusable and say so with aria-disabled. */
const off = (name: string) => button(name).getAttribute('aria-disabled') === 'true';

describe('test bench', () => {
  beforeEach(() => {
    FakePlayer.instances = [];
  });
  afterEach(() => cleanup());

  it('Run test bench (RTMP) starts the server, publishes the test pattern and opens it in the preview', async () => {
    const api = setUp();
    render(<PreviewScreen />);
    await userEvent.click(await screen.findByRole('button', { name: 'Run test bench (RTMP)' }));
    await waitFor(() => expect(api.inputsOf('testBench.start')).toEqual([{ secure: false }]));
    expect(api.names().indexOf('server.start')).toBeLessThan(api.names().indexOf('testBench.start'));
    await waitFor(() => expect(FakePlayer.instances).toHaveLength(1));
    expect(api.inputsOf('preview.url')).toEqual([{ app: 'live', stream: 'test-bench', transport: 'ws-flv' }]);
    expect(screen.getByText('Starting the test pattern over RTMP…')).toBeTruthy();

    act(() => api.emit('encoder.status', benchStatus(false)));
    expect(screen.getByText('Publishing the test pattern over RTMP to rtmp://127.0.0.1:1935/live/test-bench.')).toBeTruthy();
  });

  it('Run test bench (RTMPS) publishes over TLS', async () => {
    const api = setUp();
    render(<PreviewScreen />);
    await userEvent.click(await screen.findByRole('button', { name: 'Run test bench (RTMPS)' }));
    await waitFor(() => expect(api.inputsOf('testBench.start')).toEqual([{ secure: true }]));
    act(() => api.emit('encoder.status', benchStatus(true)));
    expect(screen.getByLabelText('Test bench target').textContent).toBe('rtmps://127.0.0.1:1936/live/test-bench');
    expect(screen.getByText(/Publishing the test pattern over RTMPS/)).toBeTruthy();
  });

  it('Stop test bench stops it, and is off while nothing runs', async () => {
    const api = setUp();
    render(<PreviewScreen />);
    await screen.findByRole('button', { name: 'Stop test bench' });
    expect(off('Stop test bench')).toBe(true);
    await userEvent.click(button('Run test bench (RTMP)'));
    await waitFor(() => expect(off('Stop test bench')).toBe(false));
    await userEvent.click(button('Stop test bench'));
    await waitFor(() => expect(api.names()).toContain('testBench.stop'));
    await waitFor(() => expect(off('Stop test bench')).toBe(true));
    expect(screen.getByText('The test bench is not running.')).toBeTruthy();
  });

  it('shows why the test bench could not run and what to try', async () => {
    const api = setUp();
    api.handle('testBench.start', () => Promise.reject(new StudioError('ENCODER_FAILED', 'ffmpeg was not found', 'Install ffmpeg or set FFMPEG_BIN')));
    render(<PreviewScreen />);
    await userEvent.click(await screen.findByRole('button', { name: 'Run test bench (RTMPS)' }));
    expect((await screen.findByRole('alert')).textContent).toContain('ffmpeg was not found');
    expect(screen.getByText('Install ffmpeg or set FFMPEG_BIN')).toBeTruthy();
    expect(FakePlayer.instances).toHaveLength(0);
  });

  it('shows a restart of the test pattern with its reason', async () => {
    const api = setUp();
    render(<PreviewScreen />);
    await screen.findByRole('button', { name: 'Run test bench (RTMP)' });
    act(() => api.emit('encoder.status', benchStatus(false, { state: 'restarting', attempt: 1, restarts: 1, retryInMs: 500, reason: 'The server closed the connection' })));
    expect(screen.getByText(/Test bench restarting \(attempt 1\) in 0\.5 s: The server closed the connection/)).toBeTruthy();
  });
});
