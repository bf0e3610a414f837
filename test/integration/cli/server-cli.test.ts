import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { useRtmpHarness } from '../../support/rtmp-harness';
import { Watch, within } from '../../support/wait';
import { freePort } from '../../support/free-port';

const h = useRtmpHarness();
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
// Starting node with the TypeScript loader takes a while on a busy 2-core machine.
const STARTUP_MS = 20_000;
const READY = /^Airlock media server ready: /;

/** A port nobody listens on right now: listen on 0, note the port, close. */

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Cli {
  child: ChildProcess;
  stdoutLines: string[];
  stderr(): string;
  exited: Promise<Exit>;
  /** The ready line as soon as it is printed; fails if the process exits first. */
  ready(): Promise<string>;
  /** How the process answered its arguments: it exited, or it printed the ready line. */
  outcome(): Promise<{ exit: Exit } | { ready: string }>;
}

const running: ChildProcess[] = [];
afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function startCli(args: string[]): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/server.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  const watch = new Watch();
  const stdoutLines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => {
    const lines = (partial + text).split('\n');
    partial = lines.pop()!;
    stdoutLines.push(...lines);
    watch.notify();
  });
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  let exit: Exit | undefined;
  const exited = once(child, 'exit').then(([code, signal]): Exit => {
    exit = { code: code as number | null, signal: signal as NodeJS.Signals | null };
    watch.notify();
    return exit;
  });
  const outcome = () =>
    watch.until(
      (): { exit: Exit } | { ready: string } | undefined => {
        if (exit) return { exit };
        const ready = stdoutLines.find((line) => READY.test(line));
        return ready === undefined ? undefined : { ready };
      },
      'the CLI to exit or print its ready line',
      STARTUP_MS,
    );
  return {
    child,
    stdoutLines,
    stderr: () => stderr,
    exited,
    outcome,
    ready: () => outcome().then((result) => ('ready' in result ? result.ready : Promise.reject(new Error(`exited with ${JSON.stringify(result.exit)}: ${stderr}`)))),
  };
}

describe('the headless server CLI', { timeout: 40_000 }, () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('prints one ready line with its URLs, serves RTMP and /api/stats, and exits 0 promptly on %s', async (signal) => {
    const [rtmpPort, httpPort] = [await freePort(), await freePort()];
    const cli = startCli(['--rtmp-port', String(rtmpPort), '--http-port', String(httpPort)]);
    const ready = await cli.ready();

    for (const url of [`rtmp://127.0.0.1:${rtmpPort}/`, `http://127.0.0.1:${httpPort}/`, `ws://127.0.0.1:${httpPort}/`, `http://127.0.0.1:${httpPort}/api/stats`]) expect(ready).toContain(url);
    const { client } = await h.connect(`rtmp://127.0.0.1:${rtmpPort}/live`);
    expect(await client.createStream()).toBe(1);
    const response = await fetch(`http://127.0.0.1:${httpPort}/api/stats`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ connections: { rtmp: 1 }, streams: [] });
    expect(cli.stdoutLines.filter((line) => READY.test(line))).toHaveLength(1);

    const signalledAt = performance.now();
    cli.child.kill(signal);
    expect(await within(cli.exited, `the CLI exiting on ${signal}`, 5000)).toEqual({ code: 0, signal: null });
    expect(performance.now() - signalledAt).toBeLessThan(3000);
    await within(client.closed, 'the server closing its RTMP client');
    expect(cli.stdoutLines).toContain(`${signal}: stopping`);
  });

  it.each([
    { flag: '--rtmp-port', args: ['--rtmp-port', 'abc'] },
    { flag: '--http-port', args: ['--http-port', '70000'] },
    { flag: '--rtmp-port', args: ['--rtmp-port', '', '--http-port', '0'] }, // an unset shell variable must not mean "any port"
    { flag: '--bogus', args: ['--bogus'] },
  ])('exits non-zero with an error line naming $flag for $args', async ({ flag, args }) => {
    const cli = startCli(args);
    const outcome = await cli.outcome();
    expect('ready' in outcome ? `started anyway: ${outcome.ready}` : 'refused').toBe('refused');
    expect('exit' in outcome && outcome.exit.code).not.toBe(0);
    // The error line, not the usage line that lists every flag.
    expect(cli.stderr().split('\n').find((line) => line.startsWith('error:'))).toContain(flag);
  });
});
