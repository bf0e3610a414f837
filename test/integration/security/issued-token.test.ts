// A connect token the studio issued, used by real ffmpeg with -rtmp_conn: it plays its own stream, not another, and
// stops working the moment it is revoked, while the server keeps running the same settings object.
import { describe, expect, it } from 'vitest';
import { buildConnectToken } from '../../../src/server/auth/connect-token-builder';
import { issueBoundConnectToken } from '../../../src/server/auth/issued-token';
import type { Authorizer } from '../../../src/server/session/authorization';
import { ALICE, authorizeWith, ffmpegPlay, ffmpegPublish, nowSeconds, rtmpConn, useSecurityTest, VIEWER } from './fixture';

const { h, clients, fixture: newFixture } = useSecurityTest();

describe('a connect token the studio issued, played by ffmpeg -rtmp_conn', { timeout: 60_000 }, () => {
  it('plays its stream, is refused for another, and is refused once revoked', async () => {
    const fixture = await newFixture();
    const { settings } = fixture.config;
    let authorize: Authorizer = () => ({ allow: false, reason: 'not ready' });
    const server = await h.startServer({ authorize: (request) => authorize(request) });
    authorize = authorizeWith(fixture, server.log);

    const publish = rtmpConn(buildConnectToken({ ...ALICE, time: nowSeconds(), permission: 'publish' }));
    for (const stream of ['cam', 'other']) clients.spawn(`publisher ${stream}`, ffmpegPublish(`${server.url()}/${stream}`, 40, publish));
    await server.log.waitFor('rtmp.publish', { stream: 'live/cam' }, 15_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${clients.report()}`)));
    await server.log.waitFor('rtmp.publish', { stream: 'live/other' }, 15_000);

    const { token, binding } = issueBoundConnectToken(settings, { user: VIEWER.user, permission: 'play', app: 'live', stream: 'cam', ttlSeconds: 120, nowSeconds: nowSeconds() });
    const play = (stream: string) => clients.spawn(`player ${stream}`, ffmpegPlay(`${server.url()}/${stream}`, 1, rtmpConn(token))).waitForExit(15_000);

    expect((await play('cam')).code, clients.report()).toBe(0);
    expect(server.log.find('rtmp.play', { stream: 'live/cam', code: 'CONNECT_TOKEN' })).toHaveLength(1);

    expect((await play('other')).code).not.toBe(0);
    expect(server.log.find('rtmp.reject', { action: 'play', code: 'PATH_MISMATCH' })).toHaveLength(1);

    settings.tokenBindings.revoke(binding.fingerprint);
    expect((await play('cam')).code).not.toBe(0);
    expect(server.log.find('rtmp.reject', { action: 'connect', code: 'TOKEN_REVOKED' })).toHaveLength(1);
    expect(server.log.find('rtmp.play', { stream: 'live/cam' })).toHaveLength(1);
  });
});
