// The one-click test bench: ffmpeg's test pattern with a tone, published through the full authenticated path
// (a signed publish link, over RTMPS when asked), so the user can check server, keys and preview without a camera.
import { testPatternArgs } from '../../encoder';
import type { EncoderStatus } from '../../shared/ipc/capture';
import type { HandlerInput, RequestOutput } from '../../shared/ipc/contract';
import type { Settings } from '../../shared/settings';
import type { Emit } from '../ports';
import { SerialQueue } from '../serial-queue';
import { EncoderRun, idleStatus, type EncoderTuning } from './encoder-run';
import { checkStreamPath, publishBase, signedStreamUrl, streamUrl, type PublishQuery, type ServerTarget } from './publish-target';

export interface TestBenchDeps {
  ffmpegPath: string;
  target: () => ServerTarget;
  publishQuery: PublishQuery;
  /** The capture section gives the app, picture size, frame rate, bitrate and keyframe interval. */
  settings: () => Settings;
  emit: Emit;
  tuning?: EncoderTuning;
}

/** The stream the test bench publishes, in the capture's app: live/test-bench by default. */
export const TEST_BENCH_STREAM = 'test-bench';

export class TestBench {
  private run: EncoderRun | null = null;
  private readonly starts = new SerialQueue();

  constructor(private readonly deps: TestBenchDeps) {}

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
    checkStreamPath(app, stream);
    const base = publishBase(this.deps.target(), secure);
    this.run = new EncoderRun({
      source: 'test-bench',
      ffmpegPath: this.deps.ffmpegPath,
      args: () =>
        testPatternArgs({
          output: signedStreamUrl(publishBase(this.deps.target(), secure), app, stream, this.deps.publishQuery(app, stream)),
          width: capture.width,
          height: capture.height,
          fps: capture.frameRate,
          bitrateKbps: capture.videoBitrateKbps,
          keyframeIntervalSeconds: capture.keyframeIntervalSeconds,
          tone: true,
        }),
      video: 'x264',
      target: streamUrl(base, app, stream),
      emit: this.deps.emit,
      tuning: this.deps.tuning,
    });
    return { status: await this.run.start(), app, stream };
  }
}
