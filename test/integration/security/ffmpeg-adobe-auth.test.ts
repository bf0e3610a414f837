// authmod=adobe with a real client: FFmpeg publishing to rtmp://user:password@host/app, in an app whose rule asks
// connects without credentials for Adobe authentication.
import { describe, expect, it } from 'vitest';
import type { Authorizer } from '../../../src/server/session/authorization';
import { authorizeWith, ffmpegPublish, useSecurityTest } from './fixture';

const { h, clients, fixture: newFixture } = useSecurityTest();

const OBS_USER = { user: 'obs', password: 'studio-Pa55' };

async function adobeServer() {
  const current = await newFixture();
  await current.config.settings.users.add(OBS_USER.user, OBS_USER.password, ['publish'], { adobe: true });
  current.config.settings.policy.apps.studio = { publish: 'token', play: 'token', adobe: true };
  let authorize: Authorizer = () => ({ allow: false, reason: 'not ready' });
  const server = await h.startServer({ authorize: (request) => authorize(request) });
  authorize = authorizeWith(current, server.log);
  return server;
}

describe('authmod=adobe with FFmpeg', { timeout: 30_000 }, () => {
  it('publishes after the challenge with the right password', async () => {
    const server = await adobeServer();
    const url = `rtmp://${OBS_USER.user}:${OBS_USER.password}@127.0.0.1:${server.rtmpPort}/studio/cam`;
    const publisher = clients.spawn('publisher', ffmpegPublish(url, 20));
    const published = await server.log.waitFor('rtmp.publish', { stream: 'studio/cam' }, 15_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${publisher.report()}`)));
    expect(published.fields).toMatchObject({ code: 'ADOBE', user: 'obs' });
    // Asked for credentials, then challenged, then accepted: two refusals on the way, each with its code.
    expect(server.log.find('rtmp.reject').map((line) => line.fields.code)).toEqual(['TOKEN_MISSING', 'CHALLENGE_ISSUED']);
  });

  it('refuses a wrong password, and FFmpeg stops retrying', async () => {
    const server = await adobeServer();
    const url = `rtmp://${OBS_USER.user}:wrong-password@127.0.0.1:${server.rtmpPort}/studio/cam`;
    const publisher = clients.spawn('publisher', ffmpegPublish(url, 5));
    expect((await publisher.waitForExit(15_000)).code).not.toBe(0);
    expect(server.log.find('rtmp.reject').map((line) => line.fields.code)).toEqual(['TOKEN_MISSING', 'CHALLENGE_ISSUED', 'PASSWORD_WRONG']);
    expect(server.log.find('rtmp.publish')).toEqual([]);
  });
});
