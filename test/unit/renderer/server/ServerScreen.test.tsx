// @vitest-environment happy-dom
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { StudioError, type AccessEntry, type ServerStatus, type StatsHistory } from '../../../../src/shared/ipc';
import { defaultSettings, type Settings } from '../../../../src/shared/settings';
import { ServerScreen } from '../../../../src/renderer/src/features/server/ServerScreen';
import { FakeAirlock } from '../studio/fake-airlock';
import { accessEntry, certificate, sample, status, stream } from './server-fixtures';

interface Options {
  state?: ServerStatus['state'];
  initial?: ServerStatus;
  settings?: Settings;
  log?: AccessEntry[];
  history?: StatsHistory;
  /** Changes the fake's answers before the screen first asks. */
  prepare?: (api: FakeAirlock) => void;
}

function setUp({ state = 'running', initial = status(state), settings = defaultSettings(), log = [], history, prepare }: Options = {}) {
  let current = initial;
  let saved = settings;
  const api = new FakeAirlock()
    .handle('server.status', () => current)
    .handle('server.start', () => (current = status('running', { lanExposed: saved.server.lanExposed })))
    .handle('server.stop', () => (current = status('stopped')))
    .handle('settings.get', () => saved)
    .handle('settings.update', (patch) => (saved = { ...saved, server: { ...saved.server, ...patch.server } }))
    .handle('server.stats', () => sample(3000, current.state === 'running' ? [stream()] : []))
    .handle('server.history', () => history ?? { intervalMs: 1000, samples: [] })
    .handle('server.accessLog', (input) => log.filter((entry) => !input.search || JSON.stringify(entry).includes(input.search)))
    .handle('server.kick', () => true);
  prepare?.(api);
  window.airlock = api;
  render(<ServerScreen />);
  return { api, user: userEvent.setup() };
}

afterEach(cleanup);

const stateLine = () => screen.getByText(/^Server state:/);

describe('Server screen: lifecycle', () => {
  it('starts a stopped server and shows where it listens', async () => {
    const { api, user } = setUp({ state: 'stopped' });
    await waitFor(() => expect(stateLine().textContent).toBe('Server state: Stopped'));
    expect(screen.getByText(/Nothing can publish or play until you start it/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Start server' }));

    await waitFor(() => expect(stateLine().textContent).toBe('Server state: Running'));
    expect(api.names()).toContain('server.start');
    expect(screen.getByText('rtmp://127.0.0.1:1935')).toBeTruthy();
    expect(screen.getByText('this computer only (127.0.0.1)')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Stop server' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Start server' })).toBeNull();
  });

  it('stops a running server', async () => {
    const { api, user } = setUp();
    await user.click(await screen.findByRole('button', { name: 'Stop server' }));
    await waitFor(() => expect(stateLine().textContent).toBe('Server state: Stopped'));
    expect(api.names()).toContain('server.stop');
    expect(screen.getByRole('button', { name: 'Start server' })).toBeTruthy();
  });

  it('shows a restart under way: its attempt, when it tries again and why the server died', async () => {
    const { api } = setUp();
    await screen.findByRole('button', { name: 'Stop server' });
    act(() => api.emit('server.status', status('restarting', { attempt: 2, retryInMs: 4000, restarts: 1, reason: 'the server process exited with code 1' })));

    expect(stateLine().textContent).toBe('Server state: Restarting');
    expect(screen.getByText(/the server process exited with code 1\. Restart attempt 2,/)).toBeTruthy();
    expect(screen.getByText('next try in 4s')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Stop server' })).toBeTruthy();
  });

  it('says why the server crashed and offers to start it again', async () => {
    setUp({ initial: status('crashed', { restarts: 5, reason: 'gave up after 5 restarts: port 1935 is in use' }) });
    await waitFor(() => expect(stateLine().textContent).toBe('Server state: Crashed'));
    expect(screen.getByText(/was not restarted: gave up after 5 restarts: port 1935 is in use/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Start server' })).toBeTruthy();
  });

  it('shows what went wrong when the server does not start, and what to try', async () => {
    const { api, user } = setUp({ state: 'stopped' });
    api.handle('server.start', () => {
      throw new StudioError('SERVER_FAILED', 'port 1935 is already in use', 'Choose another RTMP port in Connection settings.');
    });
    await user.click(await screen.findByRole('button', { name: 'Start server' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not start the server: port 1935 is already in use');
    expect(alert.textContent).toContain('Choose another RTMP port in Connection settings.');
  });
});

describe('Server screen: live streams', () => {
  const history: StatsHistory = {
    intervalMs: 1000,
    samples: [
      { at: 1000, streams: [{ path: 'live/studio', bitrateKbps: 1000, viewers: 1 }] },
      { at: 2000, streams: [{ path: 'live/studio', bitrateKbps: 4000, viewers: 2 }] },
    ],
  };

  it('shows each stream with publisher, codecs, bitrate, fps, players per protocol and drops', async () => {
    setUp({ history });
    const card = await screen.findByRole('article', { name: 'live/studio' });
    const text = card.textContent ?? '';
    expect(text).toContain('192.0.2.10 over RTMPS');
    expect(text).toContain('H264 1280×720');
    expect(text).toContain('30 fps');
    expect(text).toContain('AAC 48 kHz stereo');
    expect(text).toContain('2.5 Mb/s');
    expect(text).toContain('3 viewers (RTMP 1, RTMPS 0, HTTP-FLV 2, WS-FLV 0)');
    expect(text).toContain('4 frames skipped for slow players');
  });

  it('graphs the history and extends it with every stats event', async () => {
    const { api } = setUp({ history });
    const card = await screen.findByRole('article', { name: 'live/studio' });
    await waitFor(() => expect(within(card).getByRole('img', { name: /^Bitrate/ }).getAttribute('aria-label')).toBe('Bitrate, last minutes: now 2.5 Mb/s, peak 4.0 Mb/s'));
    expect(within(card).getByRole('img', { name: /^Viewers/ }).querySelector('polyline')?.getAttribute('points')?.split(' ')).toHaveLength(3);

    act(() => api.emit('server.stats', sample(4000, [stream({ bitrateKbps: 6000, players: { rtmp: 5, rtmps: 0, 'http-flv': 0, 'ws-flv': 0 } })])));

    expect(within(card).getByRole('img', { name: /^Bitrate/ }).getAttribute('aria-label')).toBe('Bitrate, last minutes: now 6.0 Mb/s, peak 6.0 Mb/s');
    expect(within(card).getByRole('img', { name: /^Viewers/ }).getAttribute('aria-label')).toBe('Viewers, last minutes: now 5 viewers, peak 5 viewers');
    expect(card.textContent).toContain('5 viewers (RTMP 5');
  });

  it('names each stream card by its own path, even for paths that differ only in punctuation', async () => {
    const { api } = setUp();
    await screen.findByRole('article', { name: 'live/studio' });
    act(() => api.emit('server.stats', sample(4000, [stream({ path: 'live/a.b' }), stream({ path: 'live/a_b' })])));
    expect(within(screen.getByRole('article', { name: 'live/a.b' })).getByRole('heading', { level: 3 }).textContent).toBe('live/a.b');
    expect(within(screen.getByRole('article', { name: 'live/a_b' })).getByRole('heading', { level: 3 }).textContent).toBe('live/a_b');
  });

  it('kicks a player and then the publisher', async () => {
    const { api, user } = setUp();
    const card = await screen.findByRole('article', { name: 'live/studio' });

    await user.click(within(within(card).getByRole('listitem', { name: 'Player 198.51.100.4' })).getByRole('button', { name: 'Kick' }));
    await screen.findByText('Session 7 disconnected.');
    await user.click(within(card).getByRole('button', { name: 'Kick publisher' }));
    await screen.findByText('Session 3 disconnected.');

    expect(api.inputsOf('server.kick')).toEqual([{ sessionId: 7 }, { sessionId: 3 }]);
  });

  it('says what to do when nothing is live, and when the server is stopped', async () => {
    const { api } = setUp();
    await screen.findByRole('article', { name: 'live/studio' });
    act(() => api.emit('server.stats', sample(5000, [])));
    expect(screen.getByText('No live streams')).toBeTruthy();
    expect(screen.getByText(/point OBS at rtmp:\/\/127\.0\.0\.1:1935\/live with a stream key/)).toBeTruthy();

    act(() => api.emit('server.status', status('stopped')));
    expect(screen.getByText('The server is not running')).toBeTruthy();
  });
});

describe('Server screen: access log', () => {
  const log = [
    accessEntry(2, { address: '203.0.113.9', action: 'play', outcome: 'refused', code: 'TOKEN_EXPIRED' }),
    accessEntry(1, { address: '192.0.2.10' }),
  ];

  it('lists entries with real addresses and the reason for each refusal', async () => {
    setUp({ log });
    const rows = await screen.findAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1].textContent).toContain('203.0.113.9');
    expect(rows[1].textContent).toContain('refused');
    expect(rows[1].textContent).toContain('TOKEN_EXPIRED the token or link has expired');
    expect(rows[2].textContent).toContain('192.0.2.10');
  });

  it('searches: asks the server with the text once typing pauses', async () => {
    const { api, user } = setUp({ log });
    await screen.findByText('192.0.2.10');
    await user.type(screen.getByLabelText('Search access log'), 'refused');

    await waitFor(() => expect(screen.queryByText('192.0.2.10')).toBeNull());
    expect(screen.getByText('203.0.113.9')).toBeTruthy();
    expect(api.inputsOf('server.accessLog').map((input) => input.search)).toEqual(['', 'refused']);
  });

  it('says nothing matches, with what to search for', async () => {
    const { user } = setUp({ log });
    await screen.findByText('192.0.2.10');
    await user.type(screen.getByLabelText('Search access log'), 'nowhere');
    expect(await screen.findByText('Nothing matches “nowhere”')).toBeTruthy();
  });

  it('adds live entries on top when they match the search', async () => {
    const { api, user } = setUp({ log });
    await user.type(await screen.findByLabelText('Search access log'), 'refused');
    await waitFor(() => expect(screen.queryByText('192.0.2.10')).toBeNull());

    act(() => api.emit('server.access', accessEntry(3, { address: '198.51.100.77' })));
    act(() => api.emit('server.access', accessEntry(4, { address: '198.51.100.88', outcome: 'refused', code: 'PASSWORD_WRONG' })));

    expect(screen.queryByText('198.51.100.77')).toBeNull();
    expect(screen.getAllByRole('row')[1].textContent).toContain('198.51.100.88');
  });
});

describe('Server screen: certificate', () => {
  const pem = (label: string) => new File([`-----BEGIN ${label}-----\nMIIB\n-----END ${label}-----\n`], `${label.toLowerCase().replace(/ /g, '-')}.pem`, { type: 'text/plain' });

  it('shows the fingerprint of the certificate in use', async () => {
    setUp();
    expect(await screen.findByText(certificate.fingerprint256)).toBeTruthy();
    expect(screen.getByText('Self-signed, generated by Airlock Studio')).toBeTruthy();
  });

  it('imports PEM files, and shows why main refused them and what to try', async () => {
    const { api, user } = setUp();
    api.handle('server.importCertificate', () => {
      throw new StudioError('CERTIFICATE_INVALID', 'the private key does not match the certificate', 'Choose the key file that was created with this certificate.');
    });
    await user.upload(await screen.findByLabelText('Certificate file (PEM)'), pem('CERTIFICATE'));
    await user.upload(screen.getByLabelText('Private key file (PEM)'), pem('PRIVATE KEY'));
    await user.click(screen.getByRole('button', { name: 'Import certificate' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Certificate not imported: the private key does not match the certificate');
    expect(alert.textContent).toContain('Choose the key file that was created with this certificate.');
    expect(api.inputsOf('server.importCertificate')[0].certificatePem).toContain('-----BEGIN CERTIFICATE-----');
  });

  it('refuses a file that is not PEM before sending it', async () => {
    const { api, user } = setUp();
    await user.upload(await screen.findByLabelText('Certificate file (PEM)'), new File([new Uint8Array([0x30, 0x82, 0x01])], 'cert.crt'));
    await user.upload(screen.getByLabelText('Private key file (PEM)'), pem('PRIVATE KEY'));
    await user.click(screen.getByRole('button', { name: 'Import certificate' }));

    expect((await screen.findByRole('alert')).textContent).toContain('cert.crt is not a PEM file');
    expect(api.names()).not.toContain('server.importCertificate');
  });

  it('asks for both files', async () => {
    const { user } = setUp();
    await user.click(await screen.findByRole('button', { name: 'Import certificate' }));
    expect(screen.getByText('Choose the certificate file (PEM).')).toBeTruthy();
    expect(screen.getByText('Choose the private key file (PEM).')).toBeTruthy();
  });
});

describe('Server screen: connection settings', () => {
  it('says why the settings could not be read, and reads them again on Try again', async () => {
    let failures = 1;
    const { user } = setUp({
      prepare: (api) =>
        api.handle('settings.get', () => {
          if (failures-- > 0) throw new StudioError('SECRET_STORAGE', 'the settings file is locked', 'Close other copies of Airlock Studio.');
          return defaultSettings();
        }),
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not read the connection settings: the settings file is locked');
    expect(alert.textContent).toContain('Close other copies of Airlock Studio.');

    await user.click(within(alert).getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('switch', { name: 'LAN access' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps LAN access off by default and turns it on with its switch, to apply on restart', async () => {
    const { api, user } = setUp();
    const lan = await screen.findByRole('switch', { name: 'LAN access' });
    expect((lan as HTMLInputElement).checked).toBe(false);
    expect(screen.getByText(/only this computer can connect/)).toBeTruthy();

    await user.click(lan);

    await waitFor(() => expect(api.inputsOf('settings.update')).toEqual([{ server: { lanExposed: true } }]));
    expect((lan as HTMLInputElement).checked).toBe(true);
    expect(await screen.findByText(/still uses the previous settings: LAN access off → on/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Restart server' }));

    await waitFor(() => expect(screen.queryByText(/still uses the previous settings/)).toBeNull());
    expect(api.names().filter((name) => name === 'server.stop' || name === 'server.start')).toEqual(['server.stop', 'server.start']);
    expect(screen.getByText(/this computer and the local network/)).toBeTruthy();
  });

  it('refuses a port outside 1–65535 and two listeners on one port, without saving', async () => {
    const { api, user } = setUp();
    const rtmp = await screen.findByLabelText('RTMP port');
    await user.clear(rtmp);
    await user.type(rtmp, '70000');
    const http = screen.getByLabelText('HTTP port');
    await user.clear(http);
    await user.type(http, '1936');
    await user.click(screen.getByRole('button', { name: 'Save ports' }));

    expect(screen.getByText('Enter a whole number from 1 to 65535.')).toBeTruthy();
    expect(screen.getByText('HTTP port already uses 1936: each listener needs its own port.')).toBeTruthy();
    expect(rtmp.getAttribute('aria-invalid')).toBe('true');
    expect(api.names()).not.toContain('settings.update');
  });

  it('saves ports and says they apply when the server next starts', async () => {
    const { api, user } = setUp({ state: 'stopped' });
    const rtmp = await screen.findByLabelText('RTMP port');
    await user.clear(rtmp);
    await user.type(rtmp, '1940');
    await user.click(screen.getByRole('button', { name: 'Save ports' }));

    expect(await screen.findByText('Ports saved. They apply when the server next starts.')).toBeTruthy();
    expect(api.inputsOf('settings.update')).toEqual([{ server: { rtmpPort: 1940, rtmpsPort: 1936, httpPort: 8000 } }]);
  });
});
