// Camera to server: MediaRecorder chunks from the renderer go through a CaptureStream to an ffmpeg that publishes
// to the embedded server with a fresh signed link on every run; capture.start/chunk/stop.
import { randomUUID } from 'node:crypto';
import { captureToRtmpArgs, CaptureStream, EncoderError } from '../../encoder';
import type { EncoderStatus } from '../../shared/ipc/capture';
import type { HandlerInput, RequestOutput } from '../../shared/ipc/contract';
import { StudioError } from '../../shared/ipc/errors';
import { SerialQueue } from '../serial-queue';
import { idleStatus, type EncoderRun } from './encoder-run';
import { publishingRun, type PublisherDeps } from './publish-target';
import { parseRecordingFormat } from './recording-format';

interface CaptureSession {
  id: string;
  run: EncoderRun;
  input: CaptureStream;
  /** The sequence number the next chunk must carry. */
  nextSequence: number;
  /** A chunk is being handed to ffmpeg: the next waits for its answer. */
  busy: boolean;
}

const ENDED_HINT = 'Start the capture again.';

/** One capture at a time: a new start() replaces the last session (a reloaded renderer starts over). */
export class CaptureService {
  private session: CaptureSession | null = null;
  private readonly starts = new SerialQueue();

  constructor(private readonly deps: PublisherDeps) {}

  /** Decides copy or x264 from the recording's format, and starts ffmpeg waiting for chunks on stdin. */
  start(input: HandlerInput<'capture.start'>): Promise<RequestOutput<'capture.start'>> {
    return this.starts.run(() => this.startSession(input));
  }

  /** Resolves once ffmpeg's stdin took the chunk (after 'drain' when it is full): the renderer sends the next one then. */
  async chunk({ sessionId, sequence, bytes }: HandlerInput<'capture.chunk'>): Promise<RequestOutput<'capture.chunk'>> {
    const session = this.live(sessionId);
    if (session.busy) throw new StudioError('INVALID_INPUT', `chunk ${sequence} arrived before chunk ${session.nextSequence - 1} was taken`, 'Send one chunk at a time and wait for each answer.');
    if (sequence !== session.nextSequence) {
      const what = sequence < session.nextSequence ? 'a repeated' : 'an out-of-order';
      throw new StudioError('INVALID_INPUT', `chunk ${sequence} is ${what} chunk: the encoder expects chunk ${session.nextSequence}`, 'Send the chunks once each, in recording order.');
    }
    session.nextSequence++;
    session.busy = true;
    try {
      await session.input.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (error) {
      throw await this.chunkFailed(session, error);
    } finally {
      session.busy = false;
    }
    return { bufferedBytes: session.run.supervisor.bufferedBytes };
  }

  /** Ends stdin so ffmpeg flushes what it has and closes the stream, then stops it. */
  async stop({ sessionId }: HandlerInput<'capture.stop'>): Promise<EncoderStatus> {
    return this.find(sessionId).run.stop(true);
  }

  /** The capture's status; idle before any start. */
  status(): EncoderStatus {
    return this.session?.run.status ?? idleStatus('capture');
  }

  /** Stops ffmpeg at once, for the app's quit. */
  async close(): Promise<void> {
    await this.session?.run.stop(false);
  }

  private async startSession({ mimeType, frameRate }: HandlerInput<'capture.start'>): Promise<RequestOutput<'capture.start'>> {
    await this.session?.run.stop(false);
    this.session = null;
    const format = parseRecordingFormat(mimeType);
    const capture = this.deps.settings().capture;
    const copyVideo = capture.preferCopy && format.video === 'h264';
    const run = publishingRun(this.deps, {
      source: 'capture',
      video: copyVideo ? 'copy' : 'x264',
      app: capture.app,
      stream: capture.stream,
      secure: false,
      args: (output) =>
        captureToRtmpArgs({
          output,
          container: format.container,
          videoCodec: format.video,
          audioCodec: format.audio,
          copyVideo,
          videoBitrateKbps: capture.videoBitrateKbps,
          fps: frameRate,
          keyframeIntervalSeconds: capture.keyframeIntervalSeconds,
        }),
    });
    // Attached before the first run starts: that run reads the recording from its first byte.
    const input = new CaptureStream(run.supervisor);
    this.session = { id: randomUUID(), run, input, nextSequence: 0, busy: false };
    return { sessionId: this.session.id, status: await run.start() };
  }

  /** The current session if it is `sessionId`: a replaced or unknown one is over. */
  private find(sessionId: string): CaptureSession {
    const session = this.session;
    if (session === null || session.id !== sessionId) throw new StudioError('CAPTURE_ENDED', 'No capture is running with this session', ENDED_HINT);
    return session;
  }

  /** The session if it still takes chunks. */
  private live(sessionId: string): CaptureSession {
    const session = this.find(sessionId);
    if (session.run.ended) throw endedError(session.run.status);
    return session;
  }

  // Bytes that are not Matroska end the capture; a write the stopped encoder refused means it ended meanwhile.
  private async chunkFailed(session: CaptureSession, error: unknown): Promise<StudioError> {
    if (error instanceof EncoderError && (error.code === 'CAPTURE_INVALID' || error.code === 'CAPTURE_HEADER_TOO_LARGE')) {
      await session.run.fail({ reason: 'The recording is not a Matroska or WebM stream the encoder can read', hint: ENDED_HINT });
      return new StudioError('INVALID_INPUT', `chunk ${session.nextSequence - 1}: ${error.message}`, ENDED_HINT);
    }
    if (error instanceof EncoderError && error.code === 'ENCODER_STOPPED') return endedError(session.run.status);
    return new StudioError('ENCODER_FAILED', error instanceof Error ? error.message : String(error), ENDED_HINT);
  }
}

/** The capture ended: said with the failure's own words when it failed. */
function endedError(status: EncoderStatus): StudioError {
  if (status.state === 'failed') return new StudioError('CAPTURE_ENDED', `The capture ended: ${status.reason ?? 'the encoder failed'}`, status.hint ?? ENDED_HINT);
  return new StudioError('CAPTURE_ENDED', 'The capture was stopped', ENDED_HINT);
}
