// TestBench with stand-in ffmpeg executables: where it publishes, over which transport, and when it refuses.
import { afterEach, describe, expect, it } from 'vitest';
import type { EncoderStatus } from '../../../../src/shared/ipc/capture';
import { defaultSettings } from '../../../../src/shared/settings';
import type { ServerTarget } from '../../../../src/studio/capture/publish-target';
import { TestBench } from '../../../../src/studio/capture/test-bench';
import { waitFor } from '../../../support/wait';
import { FakeFfmpeg } from './fake-ffmpeg';

let fake: FakeFfmpeg;
const benches: TestBench[] = [];

afterEach(async () => {
  await Promise.all(benches.splice(0).map((bench) => bench.stop()));
  fake?.remove();
});

function bench(target: ServerTarget) {
  fake = new FakeFfmpeg();
  const statuses: EncoderStatus[] = [];
  const testBench = new TestBench({
    ffmpegPath: fake.path('stuck'),
    target: () => target,
    publishQuery: (app, stream) => `exp=1&kid=k1&sig=${app}-${stream}`,
    settings: defaultSettings,
    emit: (name, payload) => {
      if (name === 'encoder.status') statuses.push(payload as EncoderStatus);
    },
    tuning: { stopGraceMs: 1000 },
  });
  benches.push(testBench);
  return { testBench, statuses };
}

const BOTH: ServerTarget = { rtmpUrl: 'rtmp://127.0.0.1:1935', rtmpsUrl: 'rtmps://127.0.0.1:1936' };

describe('TestBench', { timeout: 10_000 }, () => {
  it('publishes the test pattern with a tone to live/test-bench with a signed link', async () => {
    const { testBench, statuses } = bench(BOTH);
    const { status, app, stream } = await testBench.start({ secure: false });
    expect({ app, stream }).toEqual({ app: 'live', stream: 'test-bench' });
    expect(status).toMatchObject({ source: 'test-bench', state: 'starting', video: 'x264', target: 'rtmp://127.0.0.1:1935/live/test-bench' });
    await waitFor(() => statuses.some((each) => each.state === 'running'), 'the first progress report');
    const [args] = fake.runs();
    expect(args).toContain('testsrc2=size=1280x720:rate=30');
    expect(args).toContain('sine=frequency=1000:sample_rate=48000');
    expect(args.at(-1)).toBe('rtmp://127.0.0.1:1935/live/test-bench?exp=1&kid=k1&sig=live-test-bench');
    expect(await testBench.stop()).toMatchObject({ source: 'test-bench', state: 'stopped' });
  });

  it('publishes over RTMPS when asked, without verifying the loopback certificate', async () => {
    const { testBench } = bench(BOTH);
    const { status } = await testBench.start({ secure: true });
    expect(status.target).toBe('rtmps://127.0.0.1:1936/live/test-bench');
    await waitFor(() => fake.runs().length === 1, 'ffmpeg to start');
    expect(fake.runs()[0].slice(-3)).toEqual(['-tls_verify', '0', 'rtmps://127.0.0.1:1936/live/test-bench?exp=1&kid=k1&sig=live-test-bench']);
  });

  it('refuses with SERVER_NOT_RUNNING when the server is down', async () => {
    const { testBench } = bench({ rtmpUrl: null, rtmpsUrl: null });
    await expect(testBench.start({ secure: false })).rejects.toMatchObject({ code: 'SERVER_NOT_RUNNING' });
    expect(fake.runs()).toEqual([]);
  });

  it('refuses RTMPS when it is off, saying where to turn it on', async () => {
    const { testBench } = bench({ rtmpUrl: 'rtmp://127.0.0.1:1935', rtmpsUrl: null });
    await expect(testBench.start({ secure: true })).rejects.toMatchObject({ code: 'CONFLICT', message: 'RTMPS is off', hint: expect.stringContaining('Turn RTMPS on') });
  });

  it('answers stop() with an idle status when it never ran', async () => {
    const { testBench } = bench(BOTH);
    expect(await testBench.stop()).toEqual({ source: 'test-bench', state: 'idle', video: null, target: null, restarts: 0, progress: null });
  });

  it('replaces a running test bench when started again', async () => {
    const { testBench, statuses } = bench(BOTH);
    await testBench.start({ secure: false });
    await testBench.start({ secure: true });
    expect(statuses.map((status) => status.state)).toContain('stopped');
    expect(testBench.status()).toMatchObject({ target: 'rtmps://127.0.0.1:1936/live/test-bench' });
  });
});
