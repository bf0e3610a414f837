// The one-click test bench: ffmpeg's test pattern with a tone, published through the full authenticated path
// (a signed publish link, over RTMPS when asked), so the user can check server, keys and preview without a camera.
import { testPatternArgs } from '../../encoder';
import type { EncoderStatus } from '../../shared/ipc/capture';
import type { HandlerInput, RequestOutput } from '../../shared/ipc/contract';
import { SerialQueue } from '../serial-queue';
import { idleStatus, type EncoderRun } from './encoder-run';
import { publishingRun, type PublisherDeps } from './publish-target';

/** The stream the test bench publishes, in the capture's app: live/test-bench by default. */
export const TEST_BENCH_STREAM = 'test-bench';

export class TestBench {
  private run: EncoderRun | null = null;
  private readonly starts = new SerialQueue();

  constructor(private readonly deps: PublisherDeps) {}

  /** Starts publishing, replacing a test bench already running (say, to switch between RTMP and RTMPS). */
  start(input: HandlerInput<'testBench.start'>): Promise<RequestOutput<'testBench.start'>> {
    return this.starts.run(() => this.begin(input));
  }

  /** Stops ffmpeg (it closes the stream cleanly); idle when nothing ran. */
  async stop(): Promise<EncoderStatus> {
    return (await this.run?.stop(false)) ?? idleStatus('test-bench');
  }

  /** The test bench's status; idle before any start. */
  status(): EncoderStatus {
    return this.run?.status ?? idleStatus('test-bench');
  }

  private async begin({ secure }: HandlerInput<'testBench.start'>): Promise<RequestOutput<'testBench.start'>> {
    await this.run?.stop(false);
    this.run = null;
    const capture = this.deps.settings().capture;
    const { app } = capture;
    const stream = TEST_BENCH_STREAM;
    this.run = publishingRun(this.deps, {
      source: 'test-bench',
      video: 'x264',
      app,
      stream,
      secure,
      args: (output) =>
        testPatternArgs({
          output,
          width: capture.width,
          height: capture.height,
          fps: capture.frameRate,
          bitrateKbps: capture.videoBitrateKbps,
          keyframeIntervalSeconds: capture.keyframeIntervalSeconds,
          tone: true,
        }),
    });
    return { status: await this.run.start(), app, stream };
  }
}
