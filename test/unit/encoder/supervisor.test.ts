// The supervisor driven by small Node scripts standing in for ffmpeg: exits, stderr, stdin and signals on cue.
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../support/wait';
import { EncoderSupervisor, type EncoderSupervisorOptions } from '../../../src/encoder/supervisor';

const supervisors: EncoderSupervisor[] = [];
afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.stop()));
});

function fake(script: string, options: Partial<EncoderSupervisorOptions> = {}): EncoderSupervisor {
  const supervisor = new EncoderSupervisor({ ffmpegPath: process.execPath, args: ['-e', script], stopGraceMs: 300, ...options });
  supervisors.push(supervisor);
  return supervisor;
}

const REFUSED = `process.stderr.write('[tcp @ 0x1] Connection to tcp://127.0.0.1:1 failed: Connection refused\\n'); process.exit(1)`;

describe('EncoderSupervisor', { timeout: 10_000 }, () => {
  it('restarts a failing ffmpeg with doubling delays capped at maxBackoffMs, then gives up, saying why each run failed', async () => {
    const supervisor = fake(REFUSED, { initialBackoffMs: 20, maxBackoffMs: 50, maxRestarts: 3 });
    const restarts: { attempt: number; delayMs: number; kind: string; code: number | null }[] = [];
    supervisor.on('restart', ({ attempt, delayMs, exit }) => restarts.push({ attempt, delayMs, kind: exit.reason.kind, code: exit.code }));
    supervisor.start();
    const [exit] = await once(supervisor, 'failed');
    expect(restarts).toEqual([
      { attempt: 1, delayMs: 20, kind: 'connection-refused', code: 1 },
      { attempt: 2, delayMs: 40, kind: 'connection-refused', code: 1 },
      { attempt: 3, delayMs: 50, kind: 'connection-refused', code: 1 },
    ]);
    expect(exit.reason).toEqual({ kind: 'connection-refused', line: '[tcp @ 0x1] Connection to tcp://127.0.0.1:1 failed: Connection refused' });
    expect(supervisor.state).toBe('failed');
    await expect(supervisor.write(Buffer.of(1))).rejects.toMatchObject({ code: 'ENCODER_STOPPED' });
  });

  it('starts the backoff over after a healthy run', async () => {
    const supervisor = fake(`setTimeout(() => process.exit(1), 120)`, { initialBackoffMs: 10, healthyAfterMs: 100, maxRestarts: 5 });
    const delays: number[] = [];
    supervisor.on('restart', ({ delayMs }) => delays.push(delayMs));
    supervisor.start();
    while (delays.length < 3) await once(supervisor, 'restart');
    expect(delays.slice(0, 3)).toEqual([10, 10, 10]);
  });

  it('reports a binary that cannot start as spawn-failed', async () => {
    const supervisor = new EncoderSupervisor({ ffmpegPath: '/nonexistent/ffmpeg', args: [], maxRestarts: 0 });
    supervisors.push(supervisor);
    supervisor.start();
    const [exit] = await once(supervisor, 'failed');
    expect(exit.reason.kind).toBe('spawn-failed');
    expect(exit.reason.line).toContain('ENOENT');
  });

  it('keeps only the last stderrLines lines, joined across chunks', async () => {
    const supervisor = fake(`for (let i = 0; i < 80; i++) process.stderr.write('line ' + i + '\\n'); process.stderr.write('last, unterminated', () => process.exit(1))`, { stderrLines: 50, maxRestarts: 0 });
    supervisor.start();
    const [exit] = await once(supervisor, 'failed');
    expect(exit.stderr).toHaveLength(50);
    expect(exit.stderr[0]).toBe('line 31');
    expect(exit.stderr.at(-1)).toBe('last, unterminated');
  });

  it('emits progress snapshots parsed from stdout', async () => {
    const supervisor = fake(`process.stdout.write('frame=12\\nfps=30.0\\nspeed=1.0x\\nprogress=continue\\n'); setInterval(() => {}, 1000)`);
    supervisor.start();
    const [snapshot] = await once(supervisor, 'progress');
    expect(snapshot).toMatchObject({ frame: 12, fps: 30, speed: 1, ended: false });
  });

  it('write() waits for the pipe to drain before resolving, and every byte arrives', async () => {
    // Reads nothing for 300 ms, then counts stdin and reports the total on stderr when stdin ends.
    const script = `process.stdin.pause(); let n = 0; setTimeout(() => { process.stdin.on('data', (c) => n += c.length); process.stdin.on('end', () => { process.stderr.write('bytes ' + n + '\\n'); }); process.stdin.resume(); }, 300); process.on('SIGINT', () => {});`;
    const supervisor = fake(script, { stopGraceMs: 2000 });
    supervisor.start();
    await once(supervisor, 'start');
    const started = Date.now();
    const chunk = Buffer.alloc(4 << 20);
    await supervisor.write(chunk);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await supervisor.write(chunk);
    await supervisor.stop();
    expect(supervisor.stderr).toContain(`bytes ${8 << 20}`);
  });

  it('calls an args function before every run, so a restarted run gets a fresh command line', async () => {
    let runs = 0;
    const fresh = new EncoderSupervisor({
      ffmpegPath: process.execPath,
      args: () => ['-e', `process.stderr.write('credential ${++runs}\\n'); process.exit(1)`],
      initialBackoffMs: 5,
      maxRestarts: 2,
    });
    supervisors.push(fresh);
    const seen: string[] = [];
    fresh.on('restart', ({ exit }) => seen.push(...exit.stderr));
    fresh.start();
    const [last] = await once(fresh, 'failed');
    expect([...seen, ...last.stderr]).toEqual(['credential 1', 'credential 2', 'credential 3']);
  });

  it('fails a run whose args function throws as setup-failed with its message, and retries it', async () => {
    let calls = 0;
    const supervisor = new EncoderSupervisor({
      ffmpegPath: process.execPath,
      args: () => {
        if (++calls === 1) throw new Error('the server is not running');
        return ['-e', 'setInterval(() => {}, 1000)'];
      },
      initialBackoffMs: 5,
      stopGraceMs: 300,
    });
    supervisors.push(supervisor);
    const restarted = once(supervisor, 'restart');
    const started = once(supervisor, 'start');
    supervisor.start();
    const [{ exit, attempt }] = await restarted;
    expect(exit).toMatchObject({ code: null, signal: null, reason: { kind: 'setup-failed', line: 'the server is not running' } });
    expect(attempt).toBe(1);
    const [{ pid }] = await started;
    expect(pid).toBeGreaterThan(0);
    expect(calls).toBe(2);
  });

  it('finish() lets ffmpeg read the rest of stdin and exit by itself, without SIGINT and without a restart', async () => {
    // Exits 3 on SIGINT, so an interrupted run would show in the stderr; reports the bytes it read on end of input.
    const script = `let n = 0; process.on('SIGINT', () => { process.stderr.write('interrupted\\n'); process.exit(3); }); process.stdin.on('data', (c) => n += c.length); process.stdin.on('end', () => setTimeout(() => { process.stderr.write('read ' + n + '\\n'); process.exit(0); }, 100));`;
    const supervisor = fake(script, { stopGraceMs: 2000 });
    let restarts = 0;
    supervisor.on('restart', () => restarts++);
    supervisor.start();
    await once(supervisor, 'start');
    await supervisor.write(Buffer.alloc(100_000));
    await supervisor.finish();
    expect(supervisor.stderr).toEqual(['read 100000']);
    expect(supervisor.state).toBe('stopped');
    expect(restarts).toBe(0);
  });

  it('finish() interrupts an ffmpeg that does not exit within finishGraceMs', async () => {
    const supervisor = fake(`process.on('SIGINT', () => { process.stderr.write('interrupted\\n'); process.exit(0); }); process.stdin.resume(); process.stderr.write('ready\\n'); setInterval(() => {}, 1000)`, { finishGraceMs: 100 });
    supervisor.start();
    await waitFor(() => supervisor.stderr.includes('ready'), 'the script to handle SIGINT');
    await supervisor.finish();
    expect(supervisor.stderr).toEqual(['ready', 'interrupted']);
  });

  it('counts the bytes stdin holds that ffmpeg has not read yet', async () => {
    const supervisor = fake(`process.stdin.pause(); process.stderr.write('paused\\n'); setInterval(() => {}, 1000)`);
    supervisor.start();
    await waitFor(() => supervisor.stderr.includes('paused'), 'the script to stop reading');
    expect(supervisor.bufferedBytes).toBe(0);
    void supervisor.write(Buffer.alloc(1 << 20));
    // Nobody reads: the whole chunk is still owed to the pipe.
    expect(supervisor.bufferedBytes).toBe(1 << 20);
  });

  it('stop() interrupts ffmpeg, kills it after the grace period if it ignores SIGINT, and never restarts it', async () => {
    const supervisor = fake(`process.on('SIGINT', () => {}); process.stderr.write('ready\\n'); setInterval(() => {}, 1000)`, { stopGraceMs: 200, initialBackoffMs: 1 });
    let restarts = 0;
    supervisor.on('restart', () => restarts++);
    supervisor.start();
    await waitFor(() => supervisor.stderr.includes('ready'), 'the script to ignore SIGINT');
    const started = Date.now();
    await supervisor.stop();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(supervisor.state).toBe('stopped');
    expect(supervisor.pid).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(restarts).toBe(0);
    await expect(supervisor.write(Buffer.of(1))).rejects.toMatchObject({ code: 'ENCODER_STOPPED' });
  });
});
