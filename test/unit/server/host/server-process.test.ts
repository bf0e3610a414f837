import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defaultSecurityDocument, type SecurityDocument } from '../../../../src/server/auth/security-document';
import type { ParentChannel } from '../../../../src/server/host/channel';
import { ServerProcess } from '../../../../src/server/host/server-process';
import { MediaServer } from '../../../../src/server/media-server';
import { RtmpClient, StatusError } from '../../../../src/server/session/rtmp-client';
import { generateSelfSigned, type SelfSignedPem } from '../../../../src/server/tls/generate-self-signed';
import { waitFor } from '../../../support/wait';

/** The parent's view of an in-memory channel: what the process sent, and a way to send to it or vanish. */
class FakeParent implements ParentChannel {
  readonly received: Array<Record<string, unknown>> = [];
  closed = false;
  private listener: (message: unknown) => void = () => {};
  private gone: () => void = () => {};

  send(message: unknown): void {
    this.received.push(message as Record<string, unknown>);
  }
  onMessage(listener: (message: unknown) => void): void {
    this.listener = listener;
  }
  onParentGone(listener: () => void): void {
    this.gone = listener;
  }
  close(): void {
    this.closed = true;
  }

  request(message: unknown): void {
    this.listener(message);
  }
  vanish(): void {
    this.gone();
  }
  get replies() {
    return this.received.filter(({ kind }) => kind === 'reply');
  }
  async reply(id: number | null): Promise<Record<string, unknown>> {
    await waitFor(() => this.replies.some((reply) => reply.id === id), `the reply to ${id}`);
    return this.replies.find((reply) => reply.id === id)!;
  }
}

const servers: MediaServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

function serve(): FakeParent {
  const parent = new FakeParent();
  new ServerProcess(parent, (options) => {
    const server = new MediaServer(options);
    servers.push(server);
    return server;
  });
  return parent;
}

const START = { kind: 'request', id: 1, method: 'start', options: { rtmpPort: 0, httpPort: null } };

/** A document whose default rule is `rule` for both publish and play. */
const securityWith = (rule: 'token' | 'open'): SecurityDocument => ({ ...defaultSecurityDocument(), policy: { default: { publish: rule, play: rule }, apps: {} } });

/** Plays live/cam on the first server with a fresh client: resolves on Play.Start, rejects with the refusal. */
async function play(): Promise<void> {
  const client = await RtmpClient.connect(`rtmp://127.0.0.1:${servers[0].addresses.rtmp!.port}/live`, { timeoutMs: 5000 });
  try {
    await client.play(await client.createStream(), 'cam');
  } finally {
    client.close();
  }
}

const pem = ({ cert, key }: SelfSignedPem) => ({ certPem: cert, keyPem: key });
let first: SelfSignedPem;
let second: SelfSignedPem;
beforeAll(async () => {
  [first, second] = await Promise.all([generateSelfSigned(['DNS:localhost'], new Date()), generateSelfSigned(['DNS:localhost'], new Date())]);
});

describe('ServerProcess', () => {
  it('answers start with the addresses and announces them as ready', async () => {
    const parent = serve();
    parent.request(START);
    const reply = await parent.reply(1);
    expect(reply).toMatchObject({ ok: true, result: { rtmp: { address: '127.0.0.1', port: expect.any(Number) }, http: null } });
    expect(parent.received).toContainEqual({ kind: 'event', event: 'ready', addresses: reply.result });
  });

  it('answers stats and kick before start with HOST_STATE', async () => {
    const parent = serve();
    parent.request({ kind: 'request', id: 1, method: 'stats' });
    parent.request({ kind: 'request', id: 2, method: 'kick', sessionId: 1 });
    expect(await parent.reply(1)).toEqual({ kind: 'reply', id: 1, ok: false, error: { code: 'HOST_STATE', message: 'the server is not started' } });
    expect(await parent.reply(2)).toMatchObject({ ok: false, error: { code: 'HOST_STATE' } });
  });

  it('refuses a second start with HOST_STATE and keeps the first server', async () => {
    const parent = serve();
    parent.request(START);
    parent.request({ ...START, id: 2 });
    expect(await parent.reply(1)).toMatchObject({ ok: true });
    expect(await parent.reply(2)).toMatchObject({ ok: false, error: { code: 'HOST_STATE', message: 'the server is already started' } });
    expect(servers).toHaveLength(1);
  });

  it('answers a malformed request with HOST_MESSAGE_INVALID and its id, then still serves', async () => {
    const parent = serve();
    parent.request({ kind: 'request', id: 5, method: 'start', options: { rtmpPort: 'any' } });
    parent.request(42);
    expect(await parent.reply(5)).toEqual({ kind: 'reply', id: 5, ok: false, error: { code: 'HOST_MESSAGE_INVALID', message: 'rtmpPort must be 0-65535 or null' } });
    expect(await parent.reply(null)).toMatchObject({ ok: false, error: { code: 'HOST_MESSAGE_INVALID' } });
    parent.request(START);
    expect(await parent.reply(1)).toMatchObject({ ok: true });
  });

  it('answers a start on a taken port with HOST_START_FAILED, and may start again', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    try {
      const parent = serve();
      parent.request({ ...START, options: { rtmpPort: (blocker.address() as AddressInfo).port, httpPort: null } });
      expect(await parent.reply(1)).toMatchObject({ ok: false, error: { code: 'HOST_START_FAILED', message: expect.stringContaining('EADDRINUSE') } });
      parent.request({ ...START, id: 2 });
      expect(await parent.reply(2)).toMatchObject({ ok: true });
    } finally {
      blocker.close();
    }
  });

  it('stops the server, answers, then closes the channel', async () => {
    const parent = serve();
    parent.request(START);
    const { result } = await parent.reply(1);
    parent.request({ kind: 'request', id: 2, method: 'stop' });
    expect(await parent.reply(2)).toEqual({ kind: 'reply', id: 2, ok: true, result: null });
    expect(parent.closed).toBe(true);
    const port = (result as { rtmp: AddressInfo }).rtmp.port;
    const socket = net.connect(port, '127.0.0.1');
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('stops the server and closes when the parent is gone', async () => {
    const parent = serve();
    parent.request(START);
    await parent.reply(1);
    parent.vanish();
    await waitFor(() => parent.closed, 'the channel to close');
    expect(servers[0].addresses.rtmp).not.toBeNull();
    const socket = net.connect(servers[0].addresses.rtmp!.port, '127.0.0.1');
    const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
    expect(error.code).toBe('ECONNREFUSED');
  });

  it('decides by the security document it started with, and by a replacement from the next play on', async () => {
    const parent = serve();
    parent.request({ ...START, options: { ...START.options, security: securityWith('token') } });
    await parent.reply(1);
    await expect(play()).rejects.toMatchObject({ name: 'StatusError', code: 'NetStream.Play.Failed' });
    parent.request({ kind: 'request', id: 2, method: 'security', document: securityWith('open') });
    expect(await parent.reply(2)).toEqual({ kind: 'reply', id: 2, ok: true, result: null });
    await play();
    parent.request({ kind: 'request', id: 3, method: 'security', document: securityWith('token') });
    await parent.reply(3);
    await expect(play()).rejects.toBeInstanceOf(StatusError);
  });

  it('answers a security update before start with HOST_STATE', async () => {
    const parent = serve();
    parent.request({ kind: 'request', id: 1, method: 'security', document: securityWith('open') });
    expect(await parent.reply(1)).toMatchObject({ ok: false, error: { code: 'HOST_STATE', message: 'the server is not started' } });
  });

  it('listens for RTMPS with the certificate it started with, and serves a replacement to new connections', async () => {
    const parent = serve();
    parent.request({ ...START, options: { ...START.options, rtmpsPort: 0, certificate: pem(first) } });
    const { result } = await parent.reply(1);
    expect(result).toMatchObject({ rtmps: { port: expect.any(Number) } });
    expect(servers[0].stats().tls?.fingerprint256).toBe(new X509Certificate(first.cert).fingerprint256);
    parent.request({ kind: 'request', id: 2, method: 'certificate', certificate: pem(second) });
    expect(await parent.reply(2)).toEqual({ kind: 'reply', id: 2, ok: true, result: null });
    expect(servers[0].stats().tls?.fingerprint256).toBe(new X509Certificate(second.cert).fingerprint256);
  });

  it('refuses a certificate whose key does not belong to it, at start and as a replacement, keeping the one it has', async () => {
    const parent = serve();
    const mismatched = { certPem: first.cert, keyPem: second.key };
    parent.request({ ...START, options: { ...START.options, rtmpsPort: 0, certificate: mismatched } });
    expect(await parent.reply(1)).toMatchObject({ ok: false, error: { code: 'HOST_MESSAGE_INVALID', message: 'the key does not belong to the certificate' } });
    parent.request({ ...START, id: 2, options: { ...START.options, rtmpsPort: 0, certificate: pem(first) } });
    await parent.reply(2);
    parent.request({ kind: 'request', id: 3, method: 'certificate', certificate: mismatched });
    const reply = await parent.reply(3);
    expect(reply).toMatchObject({ ok: false, error: { code: 'HOST_MESSAGE_INVALID' } });
    // The reason never carries key material.
    expect(JSON.stringify(reply)).not.toContain(second.key.split('\n')[1]);
    expect(servers.at(-1)!.stats().tls?.fingerprint256).toBe(new X509Certificate(first.cert).fingerprint256);
  });

  it('answers a certificate for a server started without TLS with HOST_STATE', async () => {
    const parent = serve();
    parent.request(START);
    await parent.reply(1);
    parent.request({ kind: 'request', id: 2, method: 'certificate', certificate: pem(first) });
    expect(await parent.reply(2)).toMatchObject({ ok: false, error: { code: 'HOST_STATE', message: 'the server was started without TLS' } });
  });

  it('sends the server log as redacted JSON lines', async () => {
    const parent = serve();
    parent.request(START);
    await parent.reply(1);
    servers[0].log.warn('test.secret', { url: 'rtmp://127.0.0.1/live/cam?ptoken=hunter2' });
    const lines = parent.received.filter(({ event }) => event === 'log').map(({ line }) => JSON.parse(line as string));
    expect(lines.map(({ event }) => event)).toEqual(['server.start', 'test.secret']);
    expect(lines[1].url).toBe('rtmp://127.0.0.1/live/cam?ptoken=…');
  });
});
