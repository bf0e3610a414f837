// HTTP-FLV plays with and without a play token, signed URLs bound to one stream, a revoked signing key, and
// OBS-style stream keys (ffmpeg publishing with the key as the stream name or in its query).
import { get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { buildConnectToken } from '../../../src/server/auth/connect-token-builder';
import { SignedUrls } from '../../../src/server/auth/signed-url';
import type { Authorizer } from '../../../src/server/session/authorization';
import { authorizeWith, ffmpegPlay, ffmpegPublish, nowSeconds, useSecurityTest, VIEWER } from './fixture';

const { h, clients, fixture: newFixture } = useSecurityTest();

async function secureServer() {
  const current = await newFixture();
  let authorize: Authorizer = () => ({ allow: false, reason: 'not ready' });
  const server = await h.startServer({ authorize: (request) => authorize(request) });
  authorize = authorizeWith(current, server.log);
  const signer = new SignedUrls({ keys: current.config.settings.signingKeys });
  return { ...server, fixture: current, sign: (path: string, permission: 'play' | 'publish') => signer.sign(path, permission, 600) };
}

type Server = Awaited<ReturnType<typeof secureServer>>;

/** Publishes live/cam with the fixture's stream key as the whole stream name, and waits until it is live. */
async function publishWithKey(server: Server, stream = server.fixture.streamKey) {
  const publisher = clients.spawn('publisher', ffmpegPublish(`${server.url()}/${stream}`, 20));
  await server.log.waitFor('rtmp.publish', { code: 'STREAM_KEY' }, 15_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${clients.report()}`)));
  return publisher;
}

function httpStatus(url: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false }, (response) => {
      resolve(response.statusCode);
      response.destroy();
    });
    request.on('error', reject);
  });
}

describe('signed URLs, stream keys and HTTP-FLV plays', { timeout: 40_000 }, () => {
  it('publishes under the key’s own stream, never under the key, when the stream name is the key', async () => {
    const server = await secureServer();
    await publishWithKey(server);
    expect(server.log.find('rtmp.publish')[0]?.fields.stream).toBe('live/cam');
    expect(server.server.registry.get('live', 'cam')?.isLive).toBe(true);
    expect(server.server.registry.get('live', server.fixture.streamKey)).toBeUndefined();
  });

  it('accepts the key in the stream name’s query (`cam?key=sk_…`), and refuses it for another stream', async () => {
    const server = await secureServer();
    await publishWithKey(server, `cam?key=${server.fixture.streamKey}`);
    const intruder = clients.spawn('intruder', ffmpegPublish(`${server.url()}/other?key=${server.fixture.streamKey}`, 5));
    expect((await intruder.waitForExit(15_000)).code).not.toBe(0);
    expect(server.log.find('rtmp.reject')[0]?.fields).toMatchObject({ action: 'publish', stream: 'other', code: 'PATH_MISMATCH' });
  });

  it('refuses a revoked stream key', async () => {
    const server = await secureServer();
    const [{ id }] = server.fixture.config.settings.streamKeys.list();
    server.fixture.config.settings.streamKeys.revoke(id);
    const publisher = clients.spawn('publisher', ffmpegPublish(`${server.url()}/${server.fixture.streamKey}`, 5));
    expect((await publisher.waitForExit(15_000)).code).not.toBe(0);
    expect(publisher.stderr).toContain('Not authorized to publish');
    expect(server.log.find('rtmp.reject')[0]?.fields).toMatchObject({ action: 'publish', code: 'KEY_REVOKED' });
  });

  it('serves HTTP-FLV to a play token or a signed URL and refuses a play without one', async () => {
    const server = await secureServer();
    await publishWithKey(server);
    const base = `http://127.0.0.1:${server.httpPort}/live/cam.flv`;
    expect(await httpStatus(base)).toBe(403);
    expect(server.log.find('http-flv.reject')[0]?.fields).toMatchObject({ app: 'live', stream: 'cam', code: 'TOKEN_MISSING' });
    const token = buildConnectToken({ ...VIEWER, time: nowSeconds(), permission: 'play' });
    const query = new URLSearchParams({ ntoken: token.ntoken, ptoken: token.ptoken, ttoken: token.ttoken, ftoken: token.ftoken });
    expect(await httpStatus(`${base}?${query}`)).toBe(200);
    expect(await httpStatus(`${base}?${server.sign('live/cam', 'play')}`)).toBe(200);
    // The access log closes each play with who, what, how long and how much.
    const stop = await server.log.waitFor('http-flv.stop');
    expect(stop.fields).toMatchObject({ protocol: 'http-flv', app: 'live', stream: 'cam', peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    expect(stop.fields.durationMs).toEqual(expect.any(Number));
    expect(stop.fields.bytesSent).toEqual(expect.any(Number));
  });

  it('refuses a signed URL for one stream on another, and a publish signature for a play', async () => {
    const server = await secureServer();
    await publishWithKey(server);
    const base = `http://127.0.0.1:${server.httpPort}/live/cam.flv`;
    expect(await httpStatus(`${base}?${server.sign('live/other', 'play')}`)).toBe(403);
    expect(await httpStatus(`${base}?${server.sign('live/cam', 'publish')}`)).toBe(403);
    expect(server.log.find('http-flv.reject').map((line) => line.fields.code)).toEqual(['SIGNATURE_INVALID', 'PERMISSION_DENIED']);
    const player = clients.spawn('player', ffmpegPlay(`${server.url()}/cam?${server.sign('live/other', 'play')}`, 1));
    expect((await player.waitForExit(15_000)).code).not.toBe(0);
    expect(server.log.find('rtmp.reject')[0]?.fields).toMatchObject({ action: 'play', code: 'SIGNATURE_INVALID' });
  });

  it('plays over RTMP with a signed URL, and refuses the same URL once its key is revoked', async () => {
    const server = await secureServer();
    await publishWithKey(server);
    const url = `${server.url()}/cam?${server.sign('live/cam', 'play')}`;
    const player = clients.spawn('player', ffmpegPlay(url, 1));
    expect((await player.waitForExit(15_000)).code, player.report()).toBe(0);
    expect(server.log.find('rtmp.play', { code: 'SIGNED_URL' })).toHaveLength(1);
    const keys = server.fixture.config.settings.signingKeys;
    keys.revoke(keys.active()!.id);
    const refused = clients.spawn('refused', ffmpegPlay(url, 1));
    expect((await refused.waitForExit(15_000)).code).not.toBe(0);
    expect(server.log.find('rtmp.reject')[0]?.fields).toMatchObject({ action: 'play', code: 'KEY_REVOKED' });
  });
});
