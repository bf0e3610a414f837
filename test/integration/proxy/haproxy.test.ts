// A real PROXY protocol sender: Debian's haproxy in TCP mode relays a Node client to acceptProxied, which must see
// the client's own address and port, not haproxy's. Needs `haproxy` on the PATH (apt-get install haproxy).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProtocolError } from '../../../src/server/errors';
import { TrustedProxies, acceptProxied } from '../../../src/server/proxy';
import type { ProxiedConnection } from '../../../src/server/proxy';
import { Watch, within } from '../../support/wait';
import { receive } from './receive';
import { freePort } from '../../support/free-port';

const C0C1 = Buffer.concat([Buffer.from([3]), Buffer.alloc(1536, 0x5a)]);
const PP2_TYPE_CRC32C = 0x03;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The backend: a listener that takes every connection through acceptProxied, keeps the outcome and greets the accepted. */
async function proxyListener(trusted: string[], greeting?: string): Promise<{ port: number; accepted: ProxiedConnection[]; refused: ProtocolError[]; changed: Watch }> {
  const accepted: ProxiedConnection[] = [];
  const refused: ProtocolError[] = [];
  const changed = new Watch();
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    acceptProxied(socket, { trusted: new TrustedProxies(trusted), timeoutMs: 3000 }).then(
      (connection) => {
        if (greeting !== undefined) connection.socket.write(greeting);
        accepted.push(connection);
        changed.notify();
      },
      (error: ProtocolError) => {
        socket.destroy();
        refused.push(error);
        changed.notify();
      },
    );
  });
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, accepted, refused, changed };
}

/** A port free right now, for haproxy's frontend (haproxy cannot report a port 0 bind back to us). */

interface Haproxy {
  /** The frontend's port, where clients connect. */
  port: number;
  /** What haproxy printed so far, for failure messages. */
  output: () => string;
}

/** Runs haproxy in the foreground with one TCP frontend relaying to our backend with `serverOptions`; stopped after the test. */
async function startHaproxy(backendPort: number, serverOptions: string, backendLines: string[] = []): Promise<Haproxy> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-haproxy-'));
  const port = await freePort();
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(
    config,
    [
      'global',
      '  maxconn 64',
      'defaults',
      '  mode tcp',
      '  timeout connect 2s',
      '  timeout client 10s',
      '  timeout server 10s',
      '  timeout check 2s',
      'frontend rtmp',
      `  bind 127.0.0.1:${port}`,
      // The client's port, in hex, in the unique id: a TLV the test can trace back to its own socket.
      '  unique-id-format %{+X}o\\ %ci:%cp',
      '  default_backend airlock',
      'backend airlock',
      ...backendLines.map((line) => `  ${line}`),
      `  server airlock 127.0.0.1:${backendPort} ${serverOptions}`,
      '',
    ].join('\n'),
  );
  const haproxy: ChildProcess = spawn('haproxy', ['-f', config, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  haproxy.stdout?.on('data', (bytes: Buffer) => (output += bytes.toString()));
  haproxy.stderr?.on('data', (bytes: Buffer) => (output += bytes.toString()));
  const exited = new Promise<void>((resolve) => haproxy.once('exit', () => resolve()));
  haproxy.once('error', (error) => (output += `spawn failed: ${error.message}`));
  cleanups.push(async () => {
    if (haproxy.exitCode === null && haproxy.signalCode === null) {
      haproxy.kill('SIGTERM');
      const stopped = await within(exited, 'haproxy to stop', 3000).then(() => true, () => false);
      if (!stopped) haproxy.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  });
  exited.then(() => (output += `\n[haproxy exited with ${haproxy.exitCode ?? haproxy.signalCode}]`));
  return { port, output: () => output };
}

/** Connects to haproxy's frontend, retrying while it is still starting (connection refused). */
async function connectWhenReady(haproxy: Haproxy, timeoutMs = 5000): Promise<Socket> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const socket = connect(haproxy.port, '127.0.0.1');
    const outcome = await new Promise<Error | null>((resolve) => {
      socket.once('connect', () => resolve(null));
      socket.once('error', resolve);
    });
    if (outcome === null) {
      socket.on('error', () => {});
      cleanups.push(() => void socket.destroy());
      return socket;
    }
    socket.destroy();
    if (Date.now() > deadline) throw new Error(`haproxy did not listen on ${haproxy.port} within ${timeoutMs} ms (${outcome.message}): ${haproxy.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('acceptProxied behind haproxy', { timeout: 15_000 }, () => {
  it('sees the Node client’s own port through `send-proxy` (v1), and relays bytes both ways from the first one', async () => {
    const backend = await proxyListener(['127.0.0.1']);
    const haproxy = await startHaproxy(backend.port, 'send-proxy');
    const client = await connectWhenReady(haproxy);
    client.write(C0C1);
    const [connection] = await backend.changed.until(() => (backend.accepted.length > 0 ? backend.accepted : undefined), 'the relayed connection');
    expect(backend.refused).toEqual([]);
    expect(connection.header).toMatchObject({ version: 1, command: 'proxy', family: 'tcp4', destination: { address: '127.0.0.1', port: haproxy.port } });
    expect(connection.remote).toEqual({ address: '127.0.0.1', port: client.localPort });
    expect(connection.socket.remotePort).not.toBe(client.localPort); // the socket's own peer is haproxy
    expect(await receive(connection.socket, C0C1.length, 'C0+C1 through haproxy')).toEqual(C0C1);
    const answer = receive(client, 4, 'the answer through haproxy');
    connection.socket.write('S0S1');
    expect((await answer).toString()).toBe('S0S1');
  });

  it('sees the Node client’s own port through `send-proxy-v2`, with haproxy’s CRC32C and unique-id TLVs', async () => {
    const backend = await proxyListener(['127.0.0.1']);
    const haproxy = await startHaproxy(backend.port, 'send-proxy-v2 proxy-v2-options crc32c,unique-id');
    const client = await connectWhenReady(haproxy);
    client.write(C0C1);
    const [connection] = await backend.changed.until(() => (backend.accepted.length > 0 ? backend.accepted : undefined), 'the relayed connection');
    expect(backend.refused).toEqual([]);
    expect(connection.header).toMatchObject({ version: 2, command: 'proxy', family: 'tcp4' });
    expect(connection.remote).toEqual({ address: '127.0.0.1', port: client.localPort });
    expect(connection.header.tlvs?.raw.map((tlv) => tlv.type)).toContain(PP2_TYPE_CRC32C);
    expect(connection.header.tlvs?.uniqueId?.toString()).toBe(`7F000001:${client.localPort!.toString(16).toUpperCase()}`);
    expect(await receive(connection.socket, C0C1.length, 'C0+C1 through haproxy')).toEqual(C0C1);
  });

  it("reads haproxy's v2 health checks as LOCAL, with haproxy's own address as the remote", async () => {
    // A tcp-check that waits for our "ok", so haproxy does not reset the check before its header is read.
    const backend = await proxyListener(['127.0.0.1'], 'ok');
    await startHaproxy(backend.port, 'send-proxy-v2 check inter 200 check-send-proxy', ['option tcp-check', 'tcp-check connect default', 'tcp-check expect string ok']);
    const [check] = await backend.changed.until(() => (backend.accepted.length > 0 ? backend.accepted : undefined), 'a health check');
    expect(check.header).toMatchObject({ version: 2, command: 'local' });
    expect(check.remote).toEqual({ address: '127.0.0.1', port: check.socket.remotePort });
  });

  it('refuses haproxy when it is not in the trusted list, whatever address its header carries', async () => {
    const backend = await proxyListener(['10.0.0.0/8']);
    const haproxy = await startHaproxy(backend.port, 'send-proxy-v2');
    const client = await connectWhenReady(haproxy);
    const closed = new Promise((resolve) => client.once('close', resolve));
    client.write(C0C1);
    const [error] = await backend.changed.until(() => (backend.refused.length > 0 ? backend.refused : undefined), 'the refusal');
    expect(error.code).toBe('PROXY_UNTRUSTED_PEER');
    expect(backend.accepted).toEqual([]);
    await within(closed, 'the client to see the connection close');
  });
});
