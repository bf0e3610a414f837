// The access log behind a real PROXY-protocol sender: haproxy (send-proxy-v2) relays clients to the server's PROXY
// listener, and every access line names the client's own address and port, not haproxy's.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TrustedProxies } from '../../../src/server/proxy';
import type { Authorizer } from '../../../src/server/session/authorization';
import type { RawPeer } from '../../support/rtmp-harness';
import { within } from '../../support/wait';
import { authorizeWith, ffmpegPublish, useSecurityTest } from './fixture';
import { freePort } from '../../support/free-port';

const { h, clients, fixture: newFixture } = useSecurityTest();


/** haproxy in TCP mode in front of `backendPort`, sending PROXY v2; stopped with the test. */
async function haproxyTo(backendPort: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-haproxy-'));
  const port = await freePort();
  const config = join(dir, 'haproxy.cfg');
  const lines = ['global', '  maxconn 64', 'defaults', '  mode tcp', '  timeout connect 2s', '  timeout client 10s', '  timeout server 10s'];
  lines.push('frontend rtmp', `  bind 127.0.0.1:${port}`, '  default_backend airlock', 'backend airlock', `  server airlock 127.0.0.1:${backendPort} send-proxy-v2`, '');
  writeFileSync(config, lines.join('\n'));
  const haproxy = spawn('haproxy', ['-f', config, '-db'], { stdio: 'ignore' });
  const exited = new Promise((resolve) => haproxy.once('exit', resolve));
  h.defer(async () => {
    haproxy.kill('SIGTERM');
    await within(exited, 'haproxy to stop', 3000).catch(() => haproxy.kill('SIGKILL'));
    rmSync(dir, { recursive: true, force: true });
  });
  await untilListening(port);
  return port;
}

/** haproxy cannot report readiness: probe its port until it accepts, so no client meets a refused connection. */
async function untilListening(port: number): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const probe = connect(port, '127.0.0.1');
    const listening = await new Promise<boolean>((resolve) => {
      probe.once('connect', () => resolve(true));
      probe.once('error', () => resolve(false));
    });
    probe.destroy();
    if (listening) return;
    if (Date.now() > deadline) throw new Error(`haproxy did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A raw RTMP peer through haproxy. */
const peerThrough = (port: number): Promise<RawPeer> => h.rawPeer(port);

async function proxiedServer(trusted: string[]) {
  const current = await newFixture();
  let authorize: Authorizer = () => ({ allow: false, reason: 'not ready' });
  const server = await h.startServer({ proxy: { port: 0, trusted: new TrustedProxies(trusted) }, authorize: (request) => authorize(request) });
  authorize = authorizeWith(current, server.log);
  const proxyPort = server.server.addresses.proxy!.port;
  return { ...server, fixture: current, haproxyPort: await haproxyTo(proxyPort) };
}

describe('the access log behind haproxy send-proxy-v2', { timeout: 30_000 }, () => {
  it('logs connect, rejection and close with the client’s own address and port', async () => {
    const server = await proxiedServer(['127.0.0.1']);
    const peer = await peerThrough(server.haproxyPort);
    const client = `127.0.0.1:${peer.socket.localPort}`;
    peer.connect('live', 1);
    await server.log.waitFor('rtmp.connect', { peer: client });
    peer.command('createStream', 2, null);
    const created = await peer.inbox.until(() => peer.inbox.commands('_result').find((reply) => reply.transactionId === 2), 'the createStream _result');
    peer.command('publish', 0, null, ['cam', 'live'], created.args[0] as number);
    const reject = await server.log.waitFor('rtmp.reject', { peer: client });
    expect(reject.fields).toMatchObject({ action: 'publish', app: 'live', stream: 'cam', code: 'TOKEN_MISSING' });
    const closed = await server.log.waitFor('rtmp.close', { peer: client });
    expect(closed.fields).toMatchObject({ app: 'live', bytesIn: expect.any(Number), bytesOut: expect.any(Number), durationMs: expect.any(Number) });
    expect(closed.fields.bytesIn as number).toBeGreaterThan(0);
  });

  it('lets ffmpeg publish with a stream key through haproxy', async () => {
    const server = await proxiedServer(['127.0.0.1']);
    const publisher = clients.spawn('publisher', ffmpegPublish(`rtmp://127.0.0.1:${server.haproxyPort}/live/${server.fixture.streamKey}`, 20));
    const published = await server.log.waitFor('rtmp.publish', { stream: 'live/cam' }, 15_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${publisher.report()}`)));
    expect(published.fields).toMatchObject({ code: 'STREAM_KEY', peer: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
  });

  it('refuses haproxy when it is not a trusted proxy, and logs the refusal', async () => {
    const server = await proxiedServer(['10.0.0.0/8']);
    await peerThrough(server.haproxyPort).then((peer) => peer.closed, () => undefined);
    // The readiness probe's own connection may be refused first, reset before it was read (SOCKET_ERROR).
    const refused = await server.log.waitFor('proxy.refuse', { code: 'PROXY_UNTRUSTED_PEER' });
    expect(refused.fields.peer).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(server.log.find('rtmp.connect')).toEqual([]);
  });
});
