// Every string a share offers, used as it is by real ffmpeg/ffplay against a loopback server that decides with the
// KeysService's security document: OBS fields, the command lines (run by a shell), RTMP and HTTP-FLV play URLs.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { securityAuthorizer } from '../../../../src/server/auth/policy';
import { parseSecurityDocument, type SecurityDocument } from '../../../../src/server/auth/security-document';
import type { Authorizer } from '../../../../src/server/session/authorization';
import type { CredentialShare } from '../../../../src/shared/ipc/keys';
import { defaultSettings } from '../../../../src/shared/settings';
import { KeysService } from '../../../../src/studio/keys/keys-service';
import { ClientPool } from '../../../interop/support/client-process';
import { useRtmpHarness, type TestServer } from '../../../support/rtmp-harness';
import { waitFor } from '../../../support/wait';
import { aesVault } from '../../../unit/studio/keys/aes-vault';
import { ffmpegPlay, ffmpegPublish } from '../../security/fixture';

const h = useRtmpHarness();
const clients = new ClientPool();
let dir: string;
let input: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-shares-'));
  input = join(dir, 'input.flv');
  // What a user would put for INPUT: a media file, here 40 s of test pattern and tone.
  await promisify(execFile)('ffmpeg', ['-nostdin', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '40', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-c:a', 'aac', input]);
});
afterEach(() => clients.killAll());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Studio {
  server: TestServer;
  keys: KeysService;
}

/** A server deciding with the keys service's latest security document, as the server process does. */
async function studio(): Promise<Studio> {
  let authorize: Authorizer = () => ({ allow: false, reason: 'not ready' });
  const server = await h.startServer({ authorize: (request) => authorize(request) });
  const decideWith = (document: SecurityDocument) => {
    authorize = securityAuthorizer({ settings: parseSecurityDocument(document), log: server.log });
  };
  const endpoints = { rtmp: `rtmp://127.0.0.1:${server.rtmpPort}`, rtmps: null, http: `http://127.0.0.1:${server.httpPort}` };
  const keys = await KeysService.open({ file: join(mkdtempSync(join(dir, 'keys-')), 'keys.json'), vault: aesVault(), settings: defaultSettings, endpoints: () => endpoints });
  decideWith(keys.securityDocument());
  keys.on('security', decideWith);
  return { server, keys };
}

/** Runs a share's command line through a shell, INPUT replaced by the media file. */
function runPublishCommand(share: CredentialShare) {
  expect(share.ffmpeg.match(/\bINPUT\b/g)).toHaveLength(1);
  return clients.spawn('publish command', ['sh', '-c', `exec ${share.ffmpeg.replace('INPUT', input)}`]);
}

/** Runs a share's ffplay command through a shell, without a window or sound card, until it has found the H.264 video. */
async function playWithCommand(share: CredentialShare): Promise<void> {
  expect(share.ffmpeg).toMatch(/^ffplay /);
  const player = clients.spawn('play command', ['sh', '-c', `SDL_AUDIODRIVER=dummy exec ${share.ffmpeg.replace(/^ffplay /, 'ffplay -nodisp -loglevel info ')}`]);
  await player.waitFor('stderr', /Stream #0:\d+: Video: h264/, 20_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${clients.report()}`)));
  await player.kill();
}

/** The OBS fields as OBS joins them: server, a slash, the stream key. */
const obsUrl = (share: CredentialShare): string => `${share.obs?.server}/${share.obs?.streamKey}`;

/** Waits for the server to have accepted `count` publishes of live/cam with this code. */
async function published(server: TestServer, code: string, count = 1): Promise<void> {
  const what = `publish ${count} of live/cam by ${code}`;
  await waitFor(() => server.log.find('rtmp.publish', { stream: 'live/cam', code }).length >= count, what, 20_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${clients.report()}`)));
}

const playExit = async (url: string) => (await clients.spawn(`play ${url.split('?')[0]}`, ffmpegPlay(url, 1)).waitForExit(20_000)).code;

describe('shares, used as they are by real clients', { timeout: 90_000 }, () => {
  it('a stream key publishes with its ffmpeg command line and with its OBS fields', async () => {
    const { server, keys } = await studio();
    const { share } = await keys.createStreamKey({ app: 'live', stream: 'cam', label: '' });
    const command = runPublishCommand(share);
    await published(server, 'STREAM_KEY');
    await command.kill();
    await server.log.waitFor('rtmp.close', {}, 10_000);
    clients.spawn('obs', ffmpegPublish(obsUrl(share), 30));
    await published(server, 'STREAM_KEY', 2);
  });

  it('signed links publish with their OBS fields and play with the ffplay command, the RTMP URL and the HTTP-FLV URL', async () => {
    const { server, keys } = await studio();
    const publish = await keys.issueCredential({ kind: 'signed-link', permission: 'publish', app: 'live', stream: 'cam', ttlSeconds: 600, label: '' });
    clients.spawn('obs', ffmpegPublish(obsUrl(publish.share), 40));
    await published(server, 'SIGNED_URL');

    const { share } = await keys.issueCredential({ kind: 'signed-link', permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 600, label: '' });
    await playWithCommand(share);
    expect(server.log.find('rtmp.play', { stream: 'live/cam', code: 'SIGNED_URL' })).toHaveLength(1);
    expect(await playExit(share.play!.rtmp), clients.report()).toBe(0);
    expect(await playExit(share.play!.httpFlv!), clients.report()).toBe(0);
    expect(server.log.find('http-flv.play', { stream: 'cam' })).toHaveLength(1);
  });

  it('connect tokens publish with the -rtmp_conn command line, play with ffplay, the RTMP and HTTP-FLV URLs, and stop when revoked', async () => {
    const { server, keys } = await studio();
    await keys.addUser({ name: 'alice', password: 'correct horse battery', permissions: ['publish', 'play'] });
    const publish = await keys.issueCredential({ kind: 'connect-token', permission: 'publish', app: 'live', stream: 'cam', ttlSeconds: 600, user: 'alice', label: '' });
    expect(publish.share.ffmpeg).toContain('-rtmp_conn "O:1 NS:ntoken:');
    runPublishCommand(publish.share);
    await published(server, 'CONNECT_TOKEN');

    const { credential, share } = await keys.issueCredential({ kind: 'connect-token', permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 600, user: 'alice', label: '' });
    await playWithCommand(share);
    expect(server.log.find('rtmp.play', { stream: 'live/cam', code: 'CONNECT_TOKEN' })).toHaveLength(1);
    expect(await playExit(share.play!.rtmp), clients.report()).toBe(0);
    expect(await playExit(share.play!.httpFlv!), clients.report()).toBe(0);

    await keys.revokeCredential({ id: credential.id });
    expect(await playExit(share.play!.httpFlv!)).not.toBe(0);
    expect(await playExit(share.play!.rtmp)).not.toBe(0);
    expect(server.log.find('http-flv.reject', { code: 'TOKEN_REVOKED' })).toHaveLength(1);
    expect(server.log.find('rtmp.reject', { code: 'TOKEN_REVOKED' })).toHaveLength(1);
  });
});
