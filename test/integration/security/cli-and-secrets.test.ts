// The whole product from the command line: tokens made by the spawned token CLI, served by the spawned server CLI
// over RTMP, RTMPS and HTTP-FLV to real ffmpeg; then every byte the server logged is searched for every secret used.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openConfig } from '../../../src/server/auth/config-file';
import { ClientPool } from '../../interop/support/client-process';
import { waitFor, Watch } from '../../support/wait';
import { ffmpegPlay, ffmpegPublish } from './fixture';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CONFIG_KEY = randomBytes(32).toString('base64');
const ENV = { ...process.env, AIRLOCK_CONFIG_KEY: CONFIG_KEY };
const PUBLISHER = { user: 'alice', password: 'alice-S3cret-pass' };
const VIEWER = { user: 'viewer', password: 'viewer-S3cret-pass' };
// sk_ + 12 hex digits + _: what precedes a stream key's secret.
const STREAM_KEY_ID_LENGTH = 16;

const clients = new ClientPool();
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await clients.killAll();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Runs `npm run token -- …args` (as node + tsx, without npm's own output) and returns its stdout. */
function token(args: string[], stdin = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/token.ts', ...args], { cwd: ROOT, env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.stdin.end(stdin);
    child.once('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`token ${args.join(' ')} exited ${code}: ${stderr}`))));
  });
}

/** The server CLI with all its output kept; resolves once it printed its ready line. */
async function startServer(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/server.ts', ...args], { cwd: ROOT, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => child.kill('SIGKILL'));
  const watch = new Watch();
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (text: string) => ((output.stdout += text), watch.notify()));
  child.stderr.setEncoding('utf8').on('data', (text: string) => ((output.stderr += text), watch.notify()));
  const exited = new Promise((resolve) => child.once('close', resolve));
  const ready = await watch.until(() => /^Airlock media server ready: .*$/m.exec(output.stdout)?.[0], `the ready line (${output.stderr})`, 30_000);
  const port = (scheme: string) => Number(new RegExp(`${scheme}://127\\.0\\.0\\.1:(\\d+)/`).exec(ready)?.[1]);
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
  };
  return { output, ready, rtmp: port('rtmp'), rtmps: port('rtmps'), http: port('http'), stop };
}

/** The inner value of a printed `ffmpeg: -rtmp_conn "…"` line. */
const rtmpConnFrom = (printed: string): string[] => ['-rtmp_conn', /^ffmpeg: -rtmp_conn "(.*)"$/m.exec(printed)![1]];
const field = (printed: string, name: string): string => new RegExp(`^${name}=(.*)$`, 'm').exec(printed)![1];

describe('the token and server CLIs with real ffmpeg', { timeout: 120_000 }, () => {
  it('serves tokens the token CLI made, over RTMP, RTMPS and HTTP-FLV, and no secret reaches any log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'airlock-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = join(dir, 'airlock.json');
    const accessLog = join(dir, 'access.log');

    await token(['user', 'add', PUBLISHER.user, '--perm', 'publish,play', '--config', config], `${PUBLISHER.password}\n`);
    await token(['user', 'add', VIEWER.user, '--perm', 'bofang', '--config', config], `${VIEWER.password}\n`);
    expect(await token(['user', 'list', '--config', config])).toBe('alice\tpublish,play\nviewer\tplay\n');
    const streamKey = /^key (sk_\S+)$/m.exec(await token(['stream-key', 'create', 'live/cam', '--config', config]))![1];
    const signed = (await token(['sign', '--path', 'live/cam', '--perm', 'play', '--ttl', '600', '--config', config])).trim();
    const plain = await token(['connect-args', '--user', VIEWER.user, '--password', VIEWER.password, '--perm', 'play']);
    const hmac = await token(['connect-args', '--user', VIEWER.user, '--perm', 'play', '--hmac', '--config', config]);
    const wrong = await token(['connect-args', '--user', PUBLISHER.user, '--password', 'not-the-password', '--perm', 'publish']);

    const server = await startServer(['--config', config, '--rtmp-port', '0', '--rtmps-port', '0', '--http-port', '0', '--access-log', accessLog]);
    const [, certFile, fingerprint] = /^RTMPS certificate: (\S+) SHA-256 ([0-9A-F:]+)$/m.exec(server.output.stdout) ?? [];
    expect(certFile).toBe(join(dir, 'airlock-tls', 'cert.pem'));
    const stats = (await (await fetch(`http://127.0.0.1:${server.http}/api/stats`)).json()) as { tls: { fingerprint256: string } };
    expect(stats.tls.fingerprint256).toBe(fingerprint);

    // Publish over RTMPS with the stream key (ffmpeg does not verify the self-signed certificate unless told).
    const publisher = clients.spawn('publisher', ffmpegPublish(`rtmps://127.0.0.1:${server.rtmps}/live/${streamKey}`, 60));
    const published = () => readFileSync(accessLog, 'utf8').includes('"event":"rtmp.publish"');
    await waitFor(published, 'the publish', 20_000).catch((error: Error) => Promise.reject(new Error(`${error.message}\n${publisher.report()}`)));
    for (const [name, command] of [
      ['plain token player', ffmpegPlay(`rtmp://127.0.0.1:${server.rtmp}/live/cam`, 1, rtmpConnFrom(plain))],
      ['hmac token player', ffmpegPlay(`rtmp://127.0.0.1:${server.rtmp}/live/cam`, 1, rtmpConnFrom(hmac))],
      ['signed HTTP-FLV player', ffmpegPlay(`http://127.0.0.1:${server.http}/live/cam.flv?${signed}`, 1)],
    ] as const) {
      const player = clients.spawn(name, command);
      expect((await player.waitForExit(20_000)).code, clients.report()).toBe(0);
    }
    const refused = clients.spawn('wrong password', ffmpegPublish(`rtmp://127.0.0.1:${server.rtmp}/live/cam`, 5, rtmpConnFrom(wrong)));
    expect((await refused.waitForExit(20_000)).code).not.toBe(0);
    // A guessed key as the stream name: the rejection names the stream, which is the (wrong) key itself.
    const guessedKey = `${streamKey.slice(0, STREAM_KEY_ID_LENGTH)}${'A'.repeat(32)}`;
    const guesser = clients.spawn('guessed key', ffmpegPublish(`rtmp://127.0.0.1:${server.rtmp}/live/${guessedKey}`, 5));
    expect((await guesser.waitForExit(20_000)).code).not.toBe(0);
    expect(publisher.running, publisher.report()).toBe(true);
    await server.stop();

    const access = readFileSync(accessLog, 'utf8');
    const events = access.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.filter((line) => line.event === 'rtmp.publish')).toMatchObject([{ stream: 'live/cam', code: 'STREAM_KEY' }]);
    expect(events.filter((line) => line.event === 'rtmp.play').map((line) => line.code)).toEqual(['CONNECT_TOKEN', 'CONNECT_TOKEN']);
    expect(events.filter((line) => line.event === 'http-flv.play')).toHaveLength(1);
    expect(events.filter((line) => line.event === 'rtmp.reject')).toMatchObject([
      { action: 'connect', code: 'PASSWORD_WRONG' },
      { action: 'publish', code: 'KEY_INVALID' },
    ]);
    expect(server.output.stderr).toContain('auth.plain-password');

    // Every secret the run used, in every form it travelled in.
    const { settings } = await openConfig(config, { env: ENV });
    const secrets = [
      PUBLISHER.password,
      VIEWER.password,
      'not-the-password',
      ...[plain, hmac, wrong].flatMap((printed) => [field(printed, 'ptoken'), Buffer.from(field(printed, 'ptoken'), 'base64').toString()]),
      new URLSearchParams(signed).get('sig')!,
      streamKey,
      guessedKey,
      streamKey.slice(STREAM_KEY_ID_LENGTH),
      settings.signingKeys.active()!.secret.toString('base64'),
      settings.users.secretKey(VIEWER.user)!.toString('base64'),
      CONFIG_KEY,
    ];
    const everything = `${server.output.stdout}\n${server.output.stderr}\n${access}`;
    expect(everything).toContain('rtmp.close');
    expect(secrets.filter((secret) => everything.includes(secret))).toEqual([]);
    // The config file itself keeps no secret in plain text either.
    const onDisk = readFileSync(config, 'utf8');
    expect(secrets.filter((secret) => onDisk.includes(secret))).toEqual([]);
  });
});
