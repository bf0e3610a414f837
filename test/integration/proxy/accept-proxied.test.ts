import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket, connect as tlsConnect } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../src/server/errors';
import { TrustedProxies, acceptProxied } from '../../../src/server/proxy';
import type { AcceptProxiedOptions, ProxiedConnection } from '../../../src/server/proxy';
import { within } from '../../support/wait';
import { receive } from './receive';
import { LOCAL, PROXY, TCP4, UNSPEC, ipv4Block, tlv, v1, v2 } from '../../unit/server/proxy/headers';

// An RTMP C0+C1, as a client behind the proxy sends it right after the header.
const C0C1 = Buffer.concat([Buffer.from([3]), Buffer.alloc(1536, 0x5a)]);
const LOOPBACK = new TrustedProxies(['127.0.0.1', '::1']);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

const EVENTS = ['readable', 'data', 'end', 'close', 'error'];

/** A listener that runs acceptProxied on its one connection (after `delayMs`, to let bytes pile up); the client connects to it. */
async function proxiedPair(
  options: Partial<AcceptProxiedOptions> = {},
  delayMs = 0,
): Promise<{ client: Socket; accepted: Promise<ProxiedConnection>; server: Promise<Socket>; listenersBefore: Promise<number[]> }> {
  let counted!: (counts: number[]) => void;
  const listenersBefore = new Promise<number[]>((resolve) => (counted = resolve));
  let serverSocket!: (socket: Socket) => void;
  const server: Promise<Socket> = new Promise((resolve) => (serverSocket = resolve));
  const accepted = new Promise<ProxiedConnection>((resolve, reject) => {
    const listener: Server = createServer((socket) => {
      cleanups.push(() => socket.destroy());
      serverSocket(socket);
      setTimeout(() => {
        counted(EVENTS.map((event) => socket.listenerCount(event)));
        acceptProxied(socket, { trusted: LOOPBACK, ...options }).then(resolve, reject);
      }, delayMs);
    });
    cleanups.push(() => listener.close());
    listener.listen(0, '127.0.0.1', () => {
      const { port } = listener.address() as { port: number };
      const client = connect(port, '127.0.0.1');
      client.on('error', () => {});
      cleanups.push(() => client.destroy());
      clientReady(client);
    });
  });
  accepted.catch(() => {});
  let clientReady!: (client: Socket) => void;
  const client = await new Promise<Socket>((resolve) => (clientReady = resolve));
  await new Promise((resolve) => client.once('connect', resolve));
  return { client, accepted, server, listenersBefore };
}

async function rejection(promise: Promise<unknown>): Promise<ProtocolError> {
  const error = await within(promise.then(() => null, (reason: unknown) => reason), 'acceptProxied to settle');
  expect(error).toBeInstanceOf(ProtocolError);
  return error as ProtocolError;
}

describe('acceptProxied', { timeout: 10_000 }, () => {
  it('gives the v1 source as the remote and delivers the RTMP C0+C1 sent in the same segment', async () => {
    const { client, accepted } = await proxiedPair();
    client.write(Buffer.concat([v1('PROXY TCP4 203.0.113.7 10.0.0.2 51000 1935\r\n'), C0C1]));
    const { socket, remote, header } = await within(accepted, 'the header');
    expect(remote).toEqual({ address: '203.0.113.7', port: 51000 });
    expect(header.version).toBe(1);
    expect(await receive(socket, C0C1.length)).toEqual(C0C1);
  });

  it('gives the v2 source as the remote, with the header written one byte per segment', async () => {
    const { client, accepted } = await proxiedPair();
    client.setNoDelay(true);
    const header = v2(PROXY, TCP4, ipv4Block('198.51.100.20', '10.0.0.2', 40000, 1935), tlv(0x02, 'live.example'));
    for (const byte of header) {
      client.write(Buffer.from([byte]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    client.write(C0C1);
    const proxied = await within(accepted, 'the header');
    expect(proxied.remote).toEqual({ address: '198.51.100.20', port: 40000 });
    expect(proxied.header.tlvs?.authority).toBe('live.example');
    expect(await receive(proxied.socket, C0C1.length)).toEqual(C0C1);
  });

  it('delivers 4 MB written right behind the header intact and in order, and writes go back to the proxy', async () => {
    const { client, accepted } = await proxiedPair();
    const payload = Buffer.alloc(4 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4) payload.writeUInt32BE(i, i);
    client.write(Buffer.concat([v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2)), payload.subarray(0, 1000)]));
    client.write(payload.subarray(1000));
    const { socket } = await within(accepted, 'the header');
    const received = await receive(socket, payload.length);
    expect(received.length).toBe(payload.length);
    expect(createHash('sha256').update(received).digest('hex')).toBe(createHash('sha256').update(payload).digest('hex'));
    const answer = receive(client, 3);
    socket.write('S0!');
    expect((await answer).toString()).toBe('S0!');
  });

  it("uses the socket's own peer for a v2 LOCAL command (a health check)", async () => {
    const { client, accepted } = await proxiedPair();
    client.write(v2(LOCAL, UNSPEC));
    const { remote, header } = await within(accepted, 'the header');
    expect(header.command).toBe('local');
    expect(remote).toEqual({ address: '127.0.0.1', port: client.localPort });
  });

  it("uses the socket's own peer for a v1 UNKNOWN line", async () => {
    const { client, accepted } = await proxiedPair();
    client.write(v1('PROXY UNKNOWN\r\n'));
    const { remote, header } = await within(accepted, 'the header');
    expect(header.family).toBe('unknown');
    expect(remote).toEqual({ address: '127.0.0.1', port: client.localPort });
  });

  it('refuses an untrusted peer even with a perfect header, and reads none of its bytes', async () => {
    const { client, accepted, server } = await proxiedPair({ trusted: new TrustedProxies(['10.0.0.0/8', '::1']) });
    const header = v1('PROXY TCP4 10.1.1.1 10.0.0.2 1234 1935\r\n');
    client.write(header);
    const error = await rejection(accepted);
    expect(error.code).toBe('PROXY_UNTRUSTED_PEER');
    expect(error.message).toContain('127.0.0.1');
    expect(await receive(await server, header.length)).toEqual(header);
  });

  it('rejects a socket reset before it was accepted, which has no peer address left, as SOCKET_ERROR', async () => {
    const gone = { remoteAddress: undefined } as unknown as Socket;
    expect((await rejection(acceptProxied(gone, { trusted: LOOPBACK }))).code).toBe('SOCKET_ERROR');
  });

  it('rejects a malformed header with PROXY_HEADER_INVALID', async () => {
    const { client, accepted } = await proxiedPair();
    client.write(v1('PROXY TCP4 1.2.3.4 5.6.7.8 99999 1935\r\n'));
    expect((await rejection(accepted)).code).toBe('PROXY_HEADER_INVALID');
  });

  it('rejects a connection that starts with RTMP instead of a header', async () => {
    const { client, accepted } = await proxiedPair();
    client.write(C0C1);
    expect((await rejection(accepted)).code).toBe('PROXY_HEADER_INVALID');
  });

  it('times out an incomplete header after timeoutMs', async () => {
    const { client, accepted } = await proxiedPair({ timeoutMs: 300 });
    const started = performance.now();
    client.write(v1('PROXY TCP4 1.2.3.4 '));
    const error = await rejection(accepted);
    expect(error.code).toBe('TIMEOUT_PROXY_HEADER');
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('times out a silent trusted peer', async () => {
    const { accepted } = await proxiedPair({ timeoutMs: 200 });
    expect((await rejection(accepted)).code).toBe('TIMEOUT_PROXY_HEADER');
  });

  it('rejects a header cut short by the end of the stream as invalid', async () => {
    const { client, accepted } = await proxiedPair();
    client.end(v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2)).subarray(0, 20));
    expect((await rejection(accepted)).code).toBe('PROXY_HEADER_INVALID');
  });

  it('rejects a connection reset before the header with SOCKET_ERROR', async () => {
    const { client, accepted } = await proxiedPair();
    client.write(v1('PROXY '));
    await new Promise((resolve) => setTimeout(resolve, 20));
    client.resetAndDestroy();
    expect((await rejection(accepted)).code).toBe('SOCKET_ERROR');
  });

  it('delivers the bytes and then the end of a peer that half-closes right after them', async () => {
    const { client, accepted } = await proxiedPair();
    client.end(Buffer.concat([v1('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n'), Buffer.from('last words')]));
    const { socket } = await within(accepted, 'the header');
    const ended = new Promise((resolve) => socket.once('end', resolve));
    expect((await receive(socket, 10)).toString()).toBe('last words');
    await within(ended, "the socket's end");
  });

  it('leaves no listener of its own on the socket, so a timer or late error cannot fire into the session', async () => {
    const { client, accepted, listenersBefore } = await proxiedPair({ timeoutMs: 100 });
    client.write(v1('PROXY UNKNOWN\r\n'));
    const { socket } = await within(accepted, 'the header');
    expect(EVENTS.map((event) => socket.listenerCount(event))).toEqual(await listenersBefore);
    await new Promise((resolve) => setTimeout(resolve, 200)); // past timeoutMs: nothing fires, the socket stays open
    expect(socket.destroyed).toBe(false);
    expect(socket.readableFlowing).toBeNull();
  });

  it('reads a header and data already buffered when it is called', async () => {
    const { client, accepted } = await proxiedPair({}, 100);
    client.write(v1('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n'));
    client.write(C0C1);
    const { socket, remote } = await within(accepted, 'the header');
    expect(remote.address).toBe('1.2.3.4');
    expect(await receive(socket, C0C1.length)).toEqual(C0C1);
  });

  describe('with TLS behind the header (RTMPS through a TCP proxy)', () => {
    let dir: string;
    let key: Buffer;
    let cert: Buffer;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'airlock-proxy-tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore', timeout: 10_000 });
      key = readFileSync(join(dir, 'key.pem'));
      cert = readFileSync(join(dir, 'cert.pem'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('hands TLSSocket a socket whose ClientHello, sent with the header, is not lost', async () => {
      // The ClientHello is in by the time the header is read, as when haproxy relays both in one go.
      const { client, accepted } = await proxiedPair({}, 100);
      client.write(v1('PROXY TCP4 192.0.2.50 10.0.0.2 50000 1936\r\n'));
      const secure = tlsConnect({ socket: client, servername: 'localhost', ca: cert });
      secure.on('error', () => {});
      cleanups.push(() => secure.destroy());
      const { socket, remote } = await within(accepted, 'the header');
      expect(remote.address).toBe('192.0.2.50');
      expect(socket.readableLength).toBeGreaterThan(0); // the ClientHello went back into the socket's buffer
      const server = new TLSSocket(socket, { isServer: true, key, cert });
      cleanups.push(() => server.destroy());
      const heard = receive(server, 5);
      await within(new Promise((resolve) => secure.once('secureConnect', resolve)), 'the TLS handshake');
      secure.write('hello');
      expect((await heard).toString()).toBe('hello');
    });
  });
});
