// @vitest-environment happy-dom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AppInfo } from '../../../../src/shared/ipc';
import { defaultSettings } from '../../../../src/shared/settings';
import { App } from '../../../../src/renderer/src/App';
import { fakeKeys } from '../keys/fake-keys';
import { sample, status, stream } from '../server/server-fixtures';

// The Studio and Preview screens capture media and play video: the shell's tests need only their place.
vi.mock('../../../../src/renderer/src/features/studio/StudioScreen', () => ({ StudioScreen: () => <h1>Studio</h1> }));
vi.mock('../../../../src/renderer/src/features/preview/PreviewScreen', () => ({ PreviewScreen: () => <h1>Preview</h1> }));

const appInfo = (patch: Partial<AppInfo> = {}): AppInfo => ({
  version: '0.1.0',
  platform: 'linux',
  secretStorage: { available: true, backend: 'gnome_libsecret', warning: null },
  settingsRecoveredFrom: null,
  ffmpegPath: '/usr/bin/ffmpeg',
  ...patch,
});

function setUp(info: AppInfo = appInfo()) {
  const { api } = fakeKeys();
  api
    .handle('app.info', () => info)
    .handle('server.status', () => status('running'))
    .handle('server.stats', () => sample(1000, [stream()]))
    .handle('server.history', () => ({ intervalMs: 1000, samples: [] }))
    .handle('server.accessLog', () => [])
    .handle('settings.get', () => defaultSettings());
  window.airlock = api;
  render(<App />);
  return { api, user: userEvent.setup() };
}

afterEach(cleanup);

const selectedTab = () => screen.getByRole('tab', { selected: true });

describe('App shell', () => {
  it('moves between screens with the keyboard: Tab into the list, arrows, Home and End', async () => {
    const { user } = setUp();
    expect(screen.getAllByRole('tab').map((tab) => tab.textContent)).toEqual(['Studio', 'Preview', 'Server', 'Keys & tokens']);

    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('tab', { name: 'Studio' }));

    await user.keyboard('{ArrowDown}');
    expect(selectedTab().textContent).toBe('Preview');
    expect(document.activeElement).toBe(selectedTab());
    expect(within(screen.getByRole('tabpanel')).getByRole('heading', { name: 'Preview' })).toBeTruthy();

    await user.keyboard('{End}');
    expect(selectedTab().textContent).toBe('Keys & tokens');
    expect(await within(screen.getByRole('tabpanel')).findByRole('heading', { name: 'Keys and tokens' })).toBeTruthy();

    await user.keyboard('{ArrowDown}');
    expect(selectedTab().textContent).toBe('Studio');
    await user.keyboard('{ArrowUp}{Home}{ArrowDown}{ArrowDown}');
    expect(selectedTab().textContent).toBe('Server');
    expect(await within(screen.getByRole('tabpanel')).findByRole('button', { name: 'Stop server' })).toBeTruthy();

    // Only the selected tab is in the Tab order, so the next Tab goes into the screen.
    await user.tab();
    expect(screen.getByRole('tabpanel').contains(document.activeElement)).toBe(true);
  });

  it('keeps a visited screen alive when the user switches away', async () => {
    const { api, user } = setUp();
    await user.click(screen.getByRole('tab', { name: 'Server' }));
    await screen.findByRole('button', { name: 'Stop server' });
    const asked = api.inputsOf('server.history').length;

    await user.click(screen.getByRole('tab', { name: 'Keys & tokens' }));
    expect(screen.queryByRole('button', { name: 'Stop server' })).toBeNull();
    await user.click(screen.getByRole('tab', { name: 'Server' }));

    expect(screen.getByRole('button', { name: 'Stop server' })).toBeTruthy();
    expect(api.inputsOf('server.history')).toHaveLength(asked);
  });

  it('shows the server, live streams and viewers in the status bar, following events', async () => {
    const { api } = setUp();
    const bar = screen.getByRole('contentinfo');
    expect(await within(bar).findByText('Server: running')).toBeTruthy();
    expect(bar.textContent).toContain('1 live stream · 3 viewers');

    act(() => api.emit('server.status', status('restarting', { attempt: 3, retryInMs: 2000 })));
    expect(within(bar).getByText('Server: restarting (attempt 3)')).toBeTruthy();
    expect(bar.textContent).not.toContain('live stream');
  });

  it("warns in the status bar when secrets are not really protected", async () => {
    setUp(appInfo({ secretStorage: { available: true, backend: 'basic_text', warning: 'Secrets are only obfuscated: install a keyring (gnome-keyring or KWallet).' } }));
    expect(await within(screen.getByRole('contentinfo')).findByText(/Secrets are only obfuscated/)).toBeTruthy();
  });

  it('tells the user once that damaged settings were replaced, and where the old file is', async () => {
    const { user } = setUp(appInfo({ settingsRecoveredFrom: '/home/me/.config/Airlock Studio/settings.corrupt-1.json' }));
    const banner = await screen.findByRole('alert');
    expect(banner.textContent).toContain('Your settings file was damaged, so Airlock Studio started with default settings.');
    expect(banner.textContent).toContain('/home/me/.config/Airlock Studio/settings.corrupt-1.json');

    await user.click(within(banner).getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
