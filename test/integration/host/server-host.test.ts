// ServerHost against real server processes: forked Node children running the TypeScript entry under tsx.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerChild } from '../../../src/server/host/channel';
import { HostError } from '../../../src/server/host/host-error';
import { forkServerChild } from '../../../src/server/host/node-channel';
import { ServerHost, type HostState, type ServerHostOptions } from '../../../src/server/host/server-host';
import { RtmpClient } from '../../../src/server/session/rtmp-client';
import { publishKeyFrame } from '../../support/rtmp-publish';
import { Watch, timePasses, waitFor, within } from '../../support/wait';
import { freePort } from '../../support/free-port';

const ENTRY = fileURLToPath(new URL('../../../src/server/host/node-entry.ts', import.meta.url));
// Starting node with the TypeScript loader takes a while on a busy 2-core machine.
const STARTUP_MS = 20_000;

interface Started {
  host: ServerHost;
  /** Every process the host spawned, in order. */
  children: ServerChild[];
  states: HostState[];
  lines: string[];
  /** Resolves when the host has gone through `states` (in order, from the start of the record). */
  untilStates(states: HostState[], timeoutMs?: number): Promise<void>;
}

const hosts: Started[] = [];
const clients: RtmpClient[] = [];
const forked: ChildProcess[] = [];
afterEach(async () => {
  for (const child of forked.splice(0)) child.kill('SIGKILL');
  for (const client of clients.splice(0)) client.close();
  for (const { host, children } of hosts.splice(0)) {
    await within(host.stop(), 'the host to stop', 10_000).catch(() => {});
    for (const child of children) child.kill();
  }
});

function makeHost(options: Partial<ServerHostOptions> = {}): Started {
  const fork = forkServerChild(ENTRY, { execArgv: ['--import', 'tsx'] });
  const children: ServerChild[] = [];
  const watch = new Watch();
  const states: HostState[] = [];
  const lines: string[] = [];
  const host = new ServerHost({
    spawnChild: () => {
      const child = fork();
      children.push(child);
      return child;
    },
    startTimeoutMs: STARTUP_MS,
    initialDelayMs: 100,
    ...options,
  });
  host.on('state', ({ state }) => {
    states.push(state);
    watch.notify();
  });
  host.on('log', (line) => lines.push(line));
  const untilStates = (expected: HostState[], timeoutMs = STARTUP_MS) =>
    watch.until(() => (expected.every((state, i) => states[i] === state) ? true : undefined), `states ${expected.join(' -> ')} (have ${states.join(' -> ')})`, timeoutMs).then(() => undefined);
  const started = { host, children, states, lines, untilStates };
  hosts.push(started);
  return started;
}

/** Publishes live/`name` with a key frame through a real RTMP client, closed after the test. */
async function publish(port: number, name: string): Promise<RtmpClient> {
  const client = await publishKeyFrame(`rtmp://127.0.0.1:${port}/live`, name);
  clients.push(client);
  return client;
}


async function untilStream(host: ServerHost, name: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!(await host.stats()).streams.some((stream) => stream.name === name && stream.publisher !== null)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for stream ${name} in stats`);
    await timePasses(20);
  }
}

const exitOf = (child: ServerChild) => new Promise<{ code: number | null; signal: string | null }>((resolve) => child.onExit((code, signal) => resolve({ code, signal })));

describe('ServerHost with forked server processes', () => {
  it('starts a server in its own process, reports its addresses, and serves a publisher seen in stats()', async () => {
    const { host, children, lines } = makeHost();
    const addresses = await host.start({ host: '127.0.0.1', rtmpPort: 0, httpPort: 0 });
    expect(host.state).toBe('running');
    expect(host.pid).toBe(children[0].pid);
    expect(host.pid).not.toBe(process.pid);
    expect(addresses.rtmp?.port).toBeGreaterThan(0);
    expect(addresses.http?.port).toBeGreaterThan(0);

    await publish(addresses.rtmp!.port, 'cam');
    await untilStream(host, 'cam');
    const stats = await host.stats();
    expect(stats.connections.rtmp).toBe(1);
    expect(stats.streams).toEqual([expect.objectContaining({ app: 'live', name: 'cam', codecs: expect.objectContaining({ video: 'H264' }) })]);
    // The server's own log lines arrive as events, one JSON object each.
    await waitFor(() => lines.some((line) => JSON.parse(line).event === 'rtmp.publish'), 'the rtmp.publish log line');
  });

  it('kicks a publisher by its session id', async () => {
    const { host } = makeHost();
    const { rtmp } = await host.start({ rtmpPort: 0, httpPort: null });
    const client = await publish(rtmp!.port, 'cam');
    await untilStream(host, 'cam');
    const [stream] = (await host.stats()).streams;
    expect(await host.kick(stream.publisher!.id)).toBe(true);
    await within(client.closed, 'the kicked client to be closed');
    expect(await host.kick(999_999)).toBe(false);
  });

  it('restarts a process killed with SIGKILL: crashed -> restarting -> running, on a new port, restarts counted', async () => {
    const { host, children, untilStates } = makeHost();
    const first = await host.start({ rtmpPort: 0, httpPort: null });
    await untilStates(['starting', 'running']);
    process.kill(children[0].pid!, 'SIGKILL');
    await untilStates(['starting', 'running', 'crashed', 'restarting', 'running']);
    expect(host.restarts).toBe(1);
    expect(children).toHaveLength(2);
    expect(host.pid).toBe(children[1].pid);
    const second = host.addresses!;
    expect(second.rtmp!.port).not.toBe(first.rtmp!.port);
    await publish(second.rtmp!.port, 'again');
    await untilStream(host, 'again');
  });

  it('brings a configured port back after a crash, with the same options re-applied', async () => {
    const port = await freePort();
    const { host, children, untilStates } = makeHost();
    const ready: number[] = [];
    host.on('ready', (addresses) => ready.push(addresses.rtmp!.port));
    await host.start({ rtmpPort: port, httpPort: null, maxConnections: 1 });
    process.kill(children[0].pid!, 'SIGKILL');
    await untilStates(['starting', 'running', 'crashed', 'restarting', 'running']);
    expect(ready).toEqual([port, port]);
    await publish(port, 'cam');
    await untilStream(host, 'cam');
    // maxConnections: 1 travelled to the new process too: a second connection is refused.
    await expect(RtmpClient.connect(`rtmp://127.0.0.1:${port}/live`, { timeoutMs: 2000 })).rejects.toThrow();
  });

  it('answers a malformed message with an error naming its id, and keeps serving', async () => {
    const { host, children } = makeHost();
    await host.start({ rtmpPort: 0, httpPort: null });
    const replies: unknown[] = [];
    children[0].onMessage((message) => replies.push(message));
    children[0].send({ kind: 'request', id: 7, method: 'explode' });
    children[0].send('not even an object');
    children[0].send({ kind: 'request', id: 8, method: 'start', options: { rtmpPort: 70_000 } });
    children[0].send({ kind: 'request', id: 9, method: 'security', document: { users: {} } });
    children[0].send({ kind: 'request', id: 10, method: 'certificate', certificate: { certPem: 'not PEM', keyPem: 'not PEM' } });
    await waitFor(() => replies.length >= 5, 'five replies');
    expect(replies).toEqual([
      { kind: 'reply', id: 7, ok: false, error: { code: 'HOST_MESSAGE_INVALID', message: expect.stringContaining('explode') } },
      { kind: 'reply', id: null, ok: false, error: { code: 'HOST_MESSAGE_INVALID', message: expect.any(String) } },
      { kind: 'reply', id: 8, ok: false, error: { code: 'HOST_MESSAGE_INVALID', message: 'rtmpPort must be 0-65535 or null' } },
      { kind: 'reply', id: 9, ok: false, error: { code: 'HOST_MESSAGE_INVALID', message: expect.stringMatching(/^security: missing field/) } },
      // The right shape, but no PEM inside: the server process says so.
      { kind: 'reply', id: 10, ok: false, error: { code: 'HOST_MESSAGE_INVALID', message: expect.stringContaining('the certificate holds no PEM certificate') } },
    ]);
    expect(host.state).toBe('running');
    expect((await host.stats()).connections.total).toBe(0);
  });

  it('rejects a request to a dead process with HOST_NOT_RUNNING, in flight or after', async () => {
    const { host, children, untilStates } = makeHost({ initialDelayMs: 60_000 });
    await host.start({ rtmpPort: 0, httpPort: null });
    // A stopped process cannot answer, so the request is surely in flight when the process dies.
    process.kill(children[0].pid!, 'SIGSTOP');
    const inFlight = host.stats();
    children[0].kill();
    await expect(inFlight).rejects.toMatchObject({ name: 'HostError', code: 'HOST_NOT_RUNNING' });
    await untilStates(['starting', 'running', 'crashed', 'restarting']);
    await expect(host.stats()).rejects.toBeInstanceOf(HostError);
    await expect(host.kick(1)).rejects.toMatchObject({ code: 'HOST_NOT_RUNNING' });
  });

  it('stop() ends the process cleanly and no restart follows', async () => {
    const { host, children, states } = makeHost();
    const { rtmp } = await host.start({ rtmpPort: 0, httpPort: null });
    const exited = exitOf(children[0]);
    await host.stop();
    expect(await within(exited, 'the process to exit')).toEqual({ code: 0, signal: null });
    expect(host.state).toBe('stopped');
    expect(host.addresses).toBeNull();
    // Longer than the first backoff delay: a restart would have spawned by now.
    await timePasses(500);
    expect(children).toHaveLength(1);
    expect(states).toEqual(['starting', 'running', 'stopped']);
    await expect(host.stats()).rejects.toMatchObject({ code: 'HOST_NOT_RUNNING' });
    await expect(RtmpClient.connect(`rtmp://127.0.0.1:${rtmp!.port}/live`, { timeoutMs: 2000 })).rejects.toThrow();
  });

  it('a process whose parent goes away stops its server and exits with code 0', async () => {
    const child = fork(ENTRY, [], { execArgv: ['--import', 'tsx'] });
    forked.push(child);
    const replies: Array<{ kind: string; result: { rtmp: AddressInfo } }> = [];
    child.on('message', (message) => replies.push(message as (typeof replies)[number]));
    child.send({ kind: 'request', id: 1, method: 'start', options: { rtmpPort: 0, httpPort: null } });
    await waitFor(() => replies.some(({ kind }) => kind === 'reply'), 'the start reply', STARTUP_MS);
    const { port } = replies.find(({ kind }) => kind === 'reply')!.result.rtmp;
    const exited = once(child, 'exit');
    // Closing the IPC pipe is what the process sees when its parent dies.
    child.disconnect();
    expect(await within(exited, 'the orphaned process to exit')).toEqual([0, null]);
    await expect(RtmpClient.connect(`rtmp://127.0.0.1:${port}/live`, { timeoutMs: 2000 })).rejects.toThrow();
  });

  it('rejects a start on a port already in use with HOST_START_FAILED, and goes back to stopped', async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    try {
      const { host, children } = makeHost();
      const port = (blocker.address() as AddressInfo).port;
      await expect(host.start({ rtmpPort: port, httpPort: null })).rejects.toMatchObject({ code: 'HOST_START_FAILED', message: expect.stringContaining('EADDRINUSE') });
      expect(host.state).toBe('stopped');
      await within(exitOf(children[0]), 'the failed process to end');
    } finally {
      blocker.close();
    }
  });

  it('runs two hosts at once, each with its own process and streams', async () => {
    const a = makeHost();
    const b = makeHost();
    const [addressesA, addressesB] = await Promise.all([a.host.start({ rtmpPort: 0, httpPort: null }), b.host.start({ rtmpPort: 0, httpPort: null })]);
    expect(a.host.pid).not.toBe(b.host.pid);
    await publish(addressesA.rtmp!.port, 'only-a');
    await untilStream(a.host, 'only-a');
    expect((await b.host.stats()).streams).toEqual([]);
    process.kill(a.host.pid!, 'SIGKILL');
    await a.untilStates(['starting', 'running', 'crashed', 'restarting', 'running']);
    expect(b.host.state).toBe('running');
    expect(b.host.restarts).toBe(0);
    await publish(addressesB.rtmp!.port, 'only-b');
    await untilStream(b.host, 'only-b');
  });
});
