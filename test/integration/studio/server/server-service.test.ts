// ServerService with real server processes: lifecycle and status events, a killed process brought back, stats from a
// real publisher, the access log with real refusals, kicks, a live security update, RTMPS with the studio's certificate.
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { credentialFingerprint } from '../../../../src/server/auth/fingerprint';
import { parseSecurityDocument, toSecurityDocument } from '../../../../src/server/auth/security-document';
import { SignedUrls } from '../../../../src/server/auth/signed-url';
import { RtmpClient } from '../../../../src/server/session/rtmp-client';
import { generateSelfSigned } from '../../../../src/server/tls/generate-self-signed';
import type { StatsSample } from '../../../../src/shared/ipc/server';
import type { Settings } from '../../../../src/shared/settings';
import { publishTestPattern } from '../../../interop/support/ffmpeg';
import { publishKeyFrame } from '../../../support/rtmp-publish';
import { timePasses, waitFor, within } from '../../../support/wait';
import { STARTUP_MS, useStudioServer, type StudioServer } from './harness';

const { open, clients } = useStudioServer();

/** The document the keys service sends when the settings' policy needs no token for `open` (an open door for tests that are not about security). */
const openTo = (server: StudioServer, ...open: ('publish' | 'play')[]) => {
  const rule = (action: 'publish' | 'play') => (open.includes(action) ? 'open' : 'token');
  server.security = { ...server.security, policy: { default: { publish: rule('publish'), play: rule('play') }, apps: {} } };
};
const plainOnly = (settings: Settings) => void (settings.server.rtmpsEnabled = false);

const portOf = (url: string | null) => Number(new URL(url!).port);

/** Starts the server and answers its RTMP base URL. */
async function startRtmp(server: StudioServer): Promise<string> {
  return (await server.service.start()).endpoints.rtmp!;
}

/** Polls the service's stats until `found` finds something in them. */
async function untilStats<T>(server: StudioServer, found: (sample: StatsSample) => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = found(await server.service.stats());
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await timePasses(50);
  }
}

const publish = (url: string, name: string): Promise<RtmpClient> => publishKeyFrame(`${url}/live`, name);

/** Plays live/`name` (a query may follow it): resolves with the client on Play.Start, rejects with the refusal. */
async function play(url: string, name: string): Promise<RtmpClient> {
  const client = await RtmpClient.connect(`${url}/live`, { timeoutMs: 5000 });
  try {
    await client.play(await client.createStream(), name);
    return client;
  } catch (error) {
    client.close();
    throw error;
  }
}

/** The fingerprint of the certificate a TLS listener serves right now. */
async function servedFingerprint(port: number): Promise<string> {
  const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false });
  await once(socket, 'secureConnect');
  const { fingerprint256 } = socket.getPeerCertificate();
  socket.destroy();
  return fingerprint256;
}

describe('ServerService with real server processes', () => {
  it('starts the server in its own process, tells each state, and stops it', async () => {
    const server = await open(plainOnly);
    const status = await server.service.start();
    expect(status).toMatchObject({ state: 'running', restarts: 0, lanExposed: false, lanAddresses: [], endpoints: { rtmp: expect.stringMatching(/^rtmp:\/\/127\.0\.0\.1:\d+$/), http: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), rtmps: null } });
    expect(server.children[0].pid).not.toBe(process.pid);
    const client = await RtmpClient.connect(`${status.endpoints.rtmp}/live`, { timeoutMs: 5000 });
    client.close();
    const stopped = await server.service.stop();
    expect(stopped).toMatchObject({ state: 'stopped', endpoints: { rtmp: null, http: null, rtmps: null } });
    expect(server.payloads('server.status').map(({ state }) => state)).toEqual(['starting', 'running', 'stopped']);
    await expect(RtmpClient.connect(`${status.endpoints.rtmp}/live`, { timeoutMs: 2000 })).rejects.toThrow();
    // A second stop and a start after it work as the first did.
    await server.service.stop();
    expect((await server.service.start()).state).toBe('running');
  });

  it('restarts a server process killed with SIGKILL, and the status says so', async () => {
    const server = await open(plainOnly);
    await server.service.start();
    process.kill(server.children[0].pid!, 'SIGKILL');
    const restarting = await server.waitForEvent('server.status', ({ state }) => state === 'restarting', 'the restarting status');
    expect(restarting).toMatchObject({ attempt: 1, retryInMs: expect.any(Number), reason: 'The server process was stopped from outside (SIGKILL)', endpoints: { rtmp: null } });
    expect(restarting.retryInMs).toBeLessThanOrEqual(100);
    const running = await server.waitForEvent('server.status', ({ state, restarts }) => state === 'running' && restarts === 1, 'running again');
    expect(running.reason).toBeUndefined();
    expect(server.payloads('server.status').map(({ state }) => state)).toEqual(['starting', 'running', 'crashed', 'restarting', 'running']);
    expect(server.children).toHaveLength(2);
    // The new process decides by the same security document: tokens are still required.
    await expect(publish(running.endpoints.rtmp!, 'again')).rejects.toMatchObject({ code: 'NetStream.Publish.Unauthorized' });
  });

  it("reports a real publisher's codecs, size, frame rate, audio and bitrate every second, and keeps them for the graphs", async () => {
    const server = await open(plainOnly);
    openTo(server, 'publish', 'play');
    const url = await startRtmp(server);
    const ffmpeg = clients.spawn('ffmpeg publisher', publishTestPattern(`${url}/live/cam`, { seconds: 60 }));
    const sample = await server
      .waitForEvent('server.stats', ({ streams }) => streams.some((stream) => stream.path === 'live/cam' && stream.bitrateKbps > 0 && stream.audio !== null), 'a live/cam sample with a bitrate', STARTUP_MS)
      .catch((error: Error) => Promise.reject(new Error(`${error.message}\n${ffmpeg.report()}`)));
    const stream = sample.streams.find(({ path }) => path === 'live/cam')!;
    expect(stream).toMatchObject({
      publisher: { sessionId: expect.any(Number), address: '127.0.0.1', protocol: 'rtmp', since: expect.any(String) },
      video: { codec: 'H264', width: 320, height: 240, fps: 25 },
      audio: { codec: 'AAC', sampleRate: 44_100, channels: 1 },
      players: { rtmp: 0, rtmps: 0, 'http-flv': 0, 'ws-flv': 0 },
      drops: 0,
      sessions: [],
    });
    const { samples, intervalMs } = server.service.history();
    expect(intervalMs).toBe(1000);
    expect(samples.some(({ streams }) => streams.some(({ path, bitrateKbps, viewers }) => path === 'live/cam' && bitrateKbps > 0 && viewers === 0))).toBe(true);
    expect((await server.service.stats()).streams.map(({ path }) => path)).toEqual(['live/cam']);
  });

  it('logs a play refused for want of a token with its code and the real client address, and finds it by search', async () => {
    const server = await open(plainOnly);
    const url = await startRtmp(server);
    await expect(play(url, 'cam')).rejects.toMatchObject({ code: 'NetStream.Play.Failed' });
    const refusal = { address: '127.0.0.1', protocol: 'rtmp', action: 'play', path: 'live/cam', outcome: 'refused', code: 'TOKEN_MISSING', sessionId: expect.any(Number) };
    await server.waitForEvent('server.access', ({ code }) => code === 'TOKEN_MISSING', 'the refusal as an event', 5000);
    await waitFor(() => server.service.accessLog({ search: 'token_missing', limit: 10 }).length === 1, 'the refusal in the access log');
    expect(server.service.accessLog({ search: 'token_missing', limit: 10 })).toEqual([expect.objectContaining(refusal)]);
    // The connect before it was allowed, and the connection's close follows; a search for the path finds them all, newest first.
    await waitFor(() => server.service.accessLog({ search: '', limit: 10 }).some(({ action }) => action === 'close'), 'the close');
    expect(server.service.accessLog({ search: '', limit: 10 }).map(({ action, outcome }) => `${action} ${outcome}`)).toEqual(['close closed', 'play refused', 'connect allowed']);
    expect(server.service.accessLog({ search: 'publish', limit: 10 })).toEqual([]);
  });

  it('kicks an RTMP player and an HTTP-FLV player by the session ids the stats list', async () => {
    const server = await open(plainOnly);
    openTo(server, 'publish', 'play');
    const status = await server.service.start();
    const publisher = await publish(status.endpoints.rtmp!, 'cam');
    const player = await play(status.endpoints.rtmp!, 'cam');
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(`${status.endpoints.http}/live/cam.flv`, resolve).on('error', reject));
    response.resume();
    const ended = once(response, 'close');
    const sessions = await untilStats(server, ({ streams }) => (streams[0]?.sessions.length === 2 ? streams[0].sessions : undefined), 'two players in the stats');
    expect(sessions.map(({ protocol, address }) => `${protocol} ${address}`).sort()).toEqual(['http-flv 127.0.0.1', 'rtmp 127.0.0.1']);
    for (const { sessionId } of sessions) expect(await server.service.kick(sessionId)).toBe(true);
    await within(player.closed, 'the RTMP player to be closed');
    await within(ended, 'the HTTP-FLV response to end');
    expect(await server.service.kick(999_999)).toBe(false);
    publisher.close();
  });

  it('refuses a revoked signed link on the next play, in the same server process', async () => {
    const server = await open(plainOnly);
    const keys = parseSecurityDocument(server.security);
    keys.signingKeys.add({ id: 'k1', activate: true });
    server.security = toSecurityDocument(keys);
    const url = await startRtmp(server);
    const query = new SignedUrls({ keys: keys.signingKeys }).sign('live/cam', 'play', 300);
    (await play(url, `cam?${query}`)).close();
    await waitFor(() => server.service.accessLog({ search: 'SIGNED_URL', limit: 10 }).length === 1, 'the allowed play');

    const sig = new URLSearchParams(query).get('sig')!;
    keys.revokedLinks.revoke(credentialFingerprint(Buffer.from(sig, 'base64url')), Number(new URLSearchParams(query).get('exp')));
    server.security = toSecurityDocument(keys);
    await server.service.updateSecurity();
    await expect(play(url, `cam?${query}`)).rejects.toMatchObject({ code: 'NetStream.Play.Failed' });
    await waitFor(() => server.service.accessLog({ search: 'TOKEN_REVOKED', limit: 10 }).length === 1, 'the refusal of the revoked link');
    expect(server.service.accessLog({ search: 'TOKEN_REVOKED', limit: 10 })[0]).toMatchObject({ action: 'play', outcome: 'refused', path: 'live/cam' });
    expect(server.children).toHaveLength(1);
    expect((await server.service.status()).restarts).toBe(0);
  });

  it('applies a policy change to the next publish once pushed to the running server', async () => {
    const server = await open(plainOnly);
    const url = await startRtmp(server);
    await expect(publish(url, 'cam')).rejects.toMatchObject({ code: 'NetStream.Publish.Unauthorized' });
    openTo(server, 'publish');
    await server.service.updateSecurity();
    (await publish(url, 'cam')).close();
  });

  it('serves RTMPS to ffmpeg with the certificate it generated, and a new one to new connections without dropping the publisher', async () => {
    const server = await open();
    openTo(server, 'publish');
    const status = await server.service.start();
    expect(status.certificate).toMatchObject({ source: 'generated', names: expect.arrayContaining(['localhost', '127.0.0.1']) });
    const rtmpsPort = portOf(status.endpoints.rtmps);
    expect(await servedFingerprint(rtmpsPort)).toBe(status.certificate!.fingerprint256);

    const ffmpeg = clients.spawn('ffmpeg over rtmps', publishTestPattern(`${status.endpoints.rtmps}/live/secure`, { seconds: 60 }));
    const live = await server
      .waitForEvent('server.stats', ({ streams }) => streams.some(({ path, publisher }) => path === 'live/secure' && publisher !== null), 'the RTMPS publisher in the stats')
      .catch((error: Error) => Promise.reject(new Error(`${error.message}\n${ffmpeg.report()}`)));
    const { publisher } = live.streams.find(({ path }) => path === 'live/secure')!;
    expect(publisher).toMatchObject({ protocol: 'rtmps', address: '127.0.0.1' });

    const renewed = await server.service.generateCertificate();
    const renewedAt = Date.now();
    expect(renewed.fingerprint256).not.toBe(status.certificate!.fingerprint256);
    expect(await servedFingerprint(rtmpsPort)).toBe(renewed.fingerprint256);
    expect((await server.service.status()).certificate).toEqual(renewed);
    const after = await server.waitForEvent('server.stats', ({ at }) => at > renewedAt, 'a sample after the renewal');
    expect(after.streams.find(({ path }) => path === 'live/secure')?.publisher?.sessionId).toBe(publisher!.sessionId);
    expect(ffmpeg.running).toBe(true);
  });

  it('refuses to import a certificate whose key belongs to another, keeping the one it serves', async () => {
    const server = await open();
    const status = await server.service.start();
    const [mine, theirs] = await Promise.all([generateSelfSigned(['DNS:localhost'], new Date()), generateSelfSigned(['DNS:localhost'], new Date())]);
    await expect(server.service.importCertificate({ certificatePem: mine.cert, keyPem: theirs.key })).rejects.toMatchObject({
      name: 'StudioError',
      code: 'CERTIFICATE_INVALID',
      message: expect.stringContaining('does not belong'),
      hint: expect.any(String),
    });
    expect((await server.service.status()).certificate).toEqual(status.certificate);
    const imported = await server.service.importCertificate({ certificatePem: mine.cert, keyPem: mine.key });
    expect(imported).toMatchObject({ source: 'imported', fingerprint256: new X509Certificate(mine.cert).fingerprint256 });
    expect(await servedFingerprint(portOf(status.endpoints.rtmps))).toBe(imported.fingerprint256);
  });

  it('listens on every interface when open to the LAN, and names the LAN addresses in the status and the certificate', async () => {
    const lan = { address: '192.0.2.44', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: '192.0.2.44/24' } as const;
    const lines: string[] = [];
    const server = await open((settings) => (settings.server.lanExposed = true), { networkInterfaces: () => ({ eth0: [lan] }), serverLog: (line) => lines.push(line) });
    const status = await server.service.start();
    expect(status).toMatchObject({ lanExposed: true, lanAddresses: ['192.0.2.44'], endpoints: { rtmp: expect.stringMatching(/^rtmp:\/\/127\.0\.0\.1:/) } });
    expect(status.certificate!.names).toContain('192.0.2.44');
    expect(lines.map((line) => JSON.parse(line)).find(({ event }) => event === 'server.start')).toMatchObject({ host: '0.0.0.0' });
    // The machine itself still reaches it on loopback.
    (await RtmpClient.connect(`${status.endpoints.rtmp}/live`, { timeoutMs: 5000 })).close();
  });

  it('says which setting to change when another program holds a port', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    try {
      const port = (blocker.address() as AddressInfo).port;
      const server = await open(plainOnly, { portsOverride: { rtmpPort: port, httpPort: 0 } });
      await expect(server.service.start()).rejects.toMatchObject({ code: 'SERVER_FAILED', message: `Another program uses port ${port}`, hint: 'Change the RTMP port in Server settings.' });
      expect(await server.service.status()).toMatchObject({ state: 'stopped', reason: `Another program uses port ${port}: change the RTMP port in Server settings` });
    } finally {
      blocker.close();
    }
  });

  it('refuses settings that give two listeners one port, before starting anything', async () => {
    const server = await open(plainOnly, { portsOverride: { rtmpPort: 41_935, httpPort: 41_935 } });
    await expect(server.service.start()).rejects.toMatchObject({ code: 'SETTINGS_INVALID', message: 'The RTMP and HTTP ports are both 41935' });
    expect(server.children).toHaveLength(0);
  });

  it('answers kicks and stats of a stopped server plainly', async () => {
    const server = await open(plainOnly);
    await expect(server.service.kick(1)).rejects.toMatchObject({ code: 'SERVER_NOT_RUNNING', hint: expect.any(String) });
    expect((await server.service.stats()).streams).toEqual([]);
    expect(server.service.history().samples).toEqual([]);
    await server.service.updateSecurity();
  });
});
