// ffmpeg appends the requirement's token object to connect with -rtmp_conn; the server accepts a valid one and
// refuses every kind of bad one before any media flows, with the status the client reads and the code the log keeps.
import { describe, expect, it } from 'vitest';
import { buildConnectToken } from '../../../src/server/auth/connect-token-builder';
import type { Authorizer } from '../../../src/server/session/authorization';
import { ALICE, authorizeWith, ffmpegPlay, ffmpegPublish, nowSeconds, rtmpConn, useSecurityTest, VIEWER } from './fixture';

const { h, clients, fixture: newFixture } = useSecurityTest();

const SIX_MINUTES = 6 * 60;
const base64 = (text: string) => Buffer.from(text).toString('base64');

/** A server applying the fixture's config (tokens required), its authorizer logging where the server logs. */
async function secureServer() {
  const current = await newFixture();
  let authorize: Authorizer = () => ({ allow: false, reason: 'not ready' });
  const server = await h.startServer({ authorize: (request) => authorize(request) });
  authorize = authorizeWith(current, server.log);
  return server;
}

/** Bad tokens, what the peer reads, and the reason code the log keeps. */
const REFUSED = [
  { what: 'a timestamp 6 minutes old', token: () => rtmpConn(buildConnectToken({ ...ALICE, time: nowSeconds() - SIX_MINUTES, permission: 'publish' })), action: 'connect', code: 'TOKEN_EXPIRED' },
  { what: 'a timestamp 6 minutes in the future', token: () => rtmpConn(buildConnectToken({ ...ALICE, time: nowSeconds() + SIX_MINUTES, permission: 'publish' })), action: 'connect', code: 'TOKEN_FROM_FUTURE' },
  { what: 'a wrong password', token: () => rtmpConn(buildConnectToken({ user: ALICE.user, password: 'not her password', time: nowSeconds(), permission: 'publish' })), action: 'connect', code: 'PASSWORD_WRONG' },
  { what: 'an unknown user', token: () => rtmpConn(buildConnectToken({ user: 'mallory', password: ALICE.password, time: nowSeconds(), permission: 'publish' })), action: 'connect', code: 'USER_UNKNOWN' },
  { what: 'a play token used to publish', token: () => rtmpConn(buildConnectToken({ ...VIEWER, time: nowSeconds(), permission: 'play' })), action: 'publish', code: 'PERMISSION_DENIED' },
  {
    what: 'malformed Base64',
    token: () => rtmpConn({ ...buildConnectToken({ ...ALICE, time: nowSeconds(), permission: 'publish' }), ntoken: 'YWxp*2U=' }),
    action: 'connect',
    code: 'TOKEN_MALFORMED',
  },
  {
    what: 'an oversized field',
    token: () => rtmpConn({ ...buildConnectToken({ ...ALICE, time: nowSeconds(), permission: 'publish' }), ptoken: base64('x'.repeat(1100)) }),
    action: 'connect',
    code: 'TOKEN_MALFORMED',
  },
] as const;

describe('connect-object tokens from ffmpeg -rtmp_conn', { timeout: 40_000 }, () => {
  it('accepts a valid publish token and a valid play token, and the player decodes the stream', async () => {
    const server = await secureServer();
    const publisher = clients.spawn('publisher', ffmpegPublish(`${server.url()}/cam`, 20, rtmpConn(buildConnectToken({ ...ALICE, time: nowSeconds(), permission: 'publish' }))));
    await server.log.waitFor('rtmp.publish', { stream: 'live/cam', code: 'CONNECT_TOKEN' }, 15_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${clients.report()}`)));
    const player = clients.spawn('player', ffmpegPlay(`${server.url()}/cam`, 1, rtmpConn(buildConnectToken({ ...VIEWER, time: nowSeconds(), permission: 'bofang' }))));
    const exit = await player.waitForExit(15_000);
    expect(exit.code, clients.report()).toBe(0);
    expect(server.log.find('rtmp.play', { stream: 'live/cam', code: 'CONNECT_TOKEN' })).toHaveLength(1);
    expect(server.log.find('rtmp.connect', { user: 'viewer', code: 'CONNECT_TOKEN' })).toHaveLength(1);
    expect(server.log.find('rtmp.reject')).toEqual([]);
    expect(publisher.running).toBe(true);
  });

  it.each(REFUSED)('refuses a publisher with $what ($code) before any media flows', async ({ token, action, code }) => {
    const server = await secureServer();
    const publisher = clients.spawn('publisher', ffmpegPublish(`${server.url()}/cam`, 10, token()));
    const exit = await publisher.waitForExit(15_000);
    expect(exit.code, publisher.report()).not.toBe(0);
    const [reject] = server.log.find('rtmp.reject');
    expect(reject?.fields, clients.report()).toMatchObject({ action, code });
    // What the peer read: the generic refusal for connect, the publish refusal for publish; never the code.
    expect(publisher.stderr).toContain(action === 'connect' ? 'Authentication failed.' : 'Not authorized to publish live/cam.');
    expect(publisher.stderr).not.toContain(code);
    expect(server.log.find('rtmp.publish')).toEqual([]);
    expect(server.server.registry.get('live', 'cam')?.isLive ?? false).toBe(false);
    // No media message reached the server: what it received is the handshake and a few commands.
    const closed = await server.log.waitFor('rtmp.close');
    expect(closed.fields.bytesIn as number).toBeLessThan(8 * 1024);
  });

  it('refuses a player whose token is 6 minutes old with NetStream.Play.Failed when the connect itself carried none', async () => {
    const server = await secureServer();
    const old = buildConnectToken({ ...VIEWER, time: nowSeconds() - SIX_MINUTES, permission: 'play' });
    const query = new URLSearchParams({ ntoken: old.ntoken, ptoken: old.ptoken, ttoken: old.ttoken, ftoken: old.ftoken });
    const player = clients.spawn('player', ffmpegPlay(`${server.url()}/cam?${query}`, 1));
    expect((await player.waitForExit(15_000)).code).not.toBe(0);
    expect(server.log.find('rtmp.reject')[0]?.fields, player.report()).toMatchObject({ action: 'play', code: 'TOKEN_EXPIRED', stream: 'cam' });
    expect(server.log.find('rtmp.play')).toEqual([]);
  });
});
