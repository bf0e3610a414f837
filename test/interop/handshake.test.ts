// Real clients against a bare TCP server that only runs ServerHandshake: each must get past the handshake,
// which shows as C2 followed by chunk bytes carrying the connect command.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ServerHandshake } from '../../src/server/rtmp/handshake';
import type { HandshakeStyle } from '../../src/server/rtmp/handshake';

const WAIT_MS = 10_000;
const TEST_MS = 15_000;
const CONNECT = Buffer.from('connect', 'latin1');

interface Outcome {
  /** The handshake the server answered with. */
  style: HandshakeStyle | null;
  /** Whether chunk bytes with the connect command arrived after C2. */
  sawConnect: boolean;
  /** The client's stderr, for failure messages. */
  log: string;
}

let children: ChildProcess[] = [];
let servers: Server[] = [];
let sockets: Socket[] = [];

afterEach(() => {
  for (const child of children) child.kill('SIGKILL');
  for (const socket of sockets) socket.destroy();
  for (const server of servers) server.close();
  children = [];
  servers = [];
  sockets = [];
});

/** Runs a client against a server that only does the handshake, until the client sends connect, exits,
 * or WAIT_MS passes. `tamper` may alter S0+S1+S2 before it is sent. */
async function run(command: (url: string) => string[], tamper: (answer: Buffer) => void = () => {}): Promise<Outcome> {
  const server = createServer();
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const handshake = new ServerHandshake();
  const afterHandshake: Buffer[] = [];
  let log = '';
  let timer: NodeJS.Timeout | undefined;
  const sawConnect = await new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), WAIT_MS);
    server.on('connection', (socket) => {
      sockets.push(socket);
      socket.on('error', () => resolve(false));
      socket.on('data', (bytes: Buffer) => {
        const progress = handshake.push(bytes);
        if (progress.output) {
          tamper(progress.output);
          socket.write(progress.output);
        }
        if (!progress.done) return;
        afterHandshake.push(progress.rest);
        if (Buffer.concat(afterHandshake).includes(CONNECT)) resolve(true);
      });
    });
    const [program, ...args] = command(`rtmp://127.0.0.1:${(server.address() as AddressInfo).port}/live/x`);
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    child.stderr!.on('data', (bytes: Buffer) => (log += bytes.toString()));
    child.once('exit', () => resolve(false));
  });
  clearTimeout(timer);
  return { style: handshake.style, sawConnect, log };
}

const ffmpegPublisher = (url: string): string[] => [
  'ffmpeg', '-nostdin', '-loglevel', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc', '-t', '1', '-f', 'flv', url,
];
const ffmpegPlayer = (url: string): string[] => ['ffmpeg', '-nostdin', '-loglevel', 'error', '-i', url, '-f', 'null', '-'];
const rtmpdump = (url: string): string[] => ['rtmpdump', '-r', url, '-o', '/dev/null'];

describe('ServerHandshake with real clients', () => {
  it('gets an ffmpeg publisher past the digest handshake to its connect command', { timeout: TEST_MS }, async () => {
    const outcome = await run(ffmpegPublisher);
    expect(outcome.style).toBe('digest');
    expect(outcome.sawConnect, outcome.log).toBe(true);
  });

  it('gets an ffmpeg player, which verifies S1 and S2, past the digest handshake to its connect command', { timeout: TEST_MS }, async () => {
    const outcome = await run(ffmpegPlayer);
    expect(outcome.style).toBe('digest');
    expect(outcome.sawConnect, outcome.log).toBe(true);
  });

  it('loses an ffmpeg player when the S2 signature is corrupted (so the test above proves verification)', { timeout: TEST_MS }, async () => {
    const outcome = await run(ffmpegPlayer, (answer) => {
      answer[answer.length - 1] ^= 0x01;
    });
    expect(outcome.style).toBe('digest');
    expect(outcome.sawConnect).toBe(false);
    expect(outcome.log).toMatch(/Signature mismatch|Server response validating failed/);
  });

  it('gets rtmpdump (librtmp) past the simple handshake to its connect command', { timeout: TEST_MS }, async () => {
    const outcome = await run(rtmpdump);
    expect(outcome.style).toBe('simple');
    expect(outcome.sawConnect, outcome.log).toBe(true);
  });
});
