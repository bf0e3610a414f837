// EncoderRun over scripts standing in for ffmpeg: the states the renderer sees and how often progress reaches it.
import { afterEach, describe, expect, it } from 'vitest';
import type { EncoderStatus } from '../../../../src/shared/ipc/capture';
import { EncoderRun, type EncoderTuning } from '../../../../src/studio/capture/encoder-run';
import { waitFor } from '../../../support/wait';

const runs: EncoderRun[] = [];
afterEach(async () => {
  await Promise.all(runs.splice(0).map((run) => run.stop(false)));
});

function encoder(script: string, tuning: EncoderTuning = {}) {
  const statuses: EncoderStatus[] = [];
  const run = new EncoderRun({
    source: 'capture',
    ffmpegPath: process.execPath,
    args: () => ['-e', script],
    video: 'copy',
    target: 'rtmp://127.0.0.1:1935/live/studio',
    emit: (name, payload) => {
      if (name === 'encoder.status') statuses.push(payload as EncoderStatus);
    },
    tuning: { stopGraceMs: 1000, ...tuning },
  });
  runs.push(run);
  return { run, statuses };
}

const block = (frame: number) => `frame=${frame}\\nfps=30\\nprogress=continue\\n`;

describe('EncoderRun', { timeout: 10_000 }, () => {
  it('passes at most one progress report per interval, then the last one as ffmpeg ends', async () => {
    // Twenty reports at once, then the last block when stdin ends.
    const script = `process.stdout.write('${Array.from({ length: 20 }, (_, i) => block(i + 1)).join('')}'); process.stdin.on('end', () => process.stdout.write('frame=99\\nout_time_us=3300000\\nprogress=end\\n', () => process.exit(0))); process.stdin.resume();`;
    const { run, statuses } = encoder(script, { progressIntervalMs: 60_000 });
    await run.start();
    await waitFor(() => statuses.some((status) => status.state === 'running'), 'the first report');
    const final = await run.stop(true);
    expect(statuses.map((status) => status.state)).toEqual(['starting', 'running', 'stopping', 'stopping', 'stopped']);
    expect(final).toMatchObject({ state: 'stopped', progress: { outTimeMs: 3300 } });
  });

  it('reports a run that could not be set up, and the restart that follows', async () => {
    const statuses: EncoderStatus[] = [];
    let calls = 0;
    const run = new EncoderRun({
      source: 'test-bench',
      ffmpegPath: process.execPath,
      args: () => {
        if (++calls === 1) throw new Error('The server is not running');
        return ['-e', 'setInterval(() => {}, 1000)'];
      },
      video: 'x264',
      target: 'rtmp://127.0.0.1:1935/live/test-bench',
      emit: (name, payload) => {
        if (name === 'encoder.status') statuses.push(payload as EncoderStatus);
      },
      tuning: { initialBackoffMs: 5, stopGraceMs: 1000 },
    });
    runs.push(run);
    await run.start();
    await waitFor(() => statuses.length >= 3, 'the restarted run');
    expect(statuses.slice(0, 3)).toEqual([
      { source: 'test-bench', state: 'starting', video: 'x264', target: 'rtmp://127.0.0.1:1935/live/test-bench', restarts: 0, progress: null },
      expect.objectContaining({ state: 'restarting', restarts: 1, attempt: 1, retryInMs: 5, reason: 'The server is not running', hint: expect.any(String) }),
      expect.objectContaining({ state: 'starting', restarts: 1, reason: 'The server is not running' }),
    ]);
    expect(statuses[2]).not.toHaveProperty('attempt');
  });

  it('stays failed when stopped after its restarts ran out', async () => {
    const { run, statuses } = encoder(`process.stderr.write('[rtmp @ 0x1] Server error: Not authorized to publish live/studio.\\n', () => process.exit(1))`, { maxRestarts: 0 });
    await run.start();
    await waitFor(() => statuses.some((status) => status.state === 'failed'), 'the run to fail');
    expect(run.ended).toBe(true);
    expect(await run.stop(true)).toMatchObject({ state: 'failed', reason: 'The server refused the publish token: Not authorized to publish live/studio.' });
  });
});
