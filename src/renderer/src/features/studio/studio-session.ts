// The studio's capture session: the camera preview, and Go live / Stop driving server, camera, recorder and encoder in order.
// It lives as long as the window (one per AirlockApi), so leaving the Studio screen does not end a live stream.
import type { AirlockApi, EncoderStatus } from '../../../../shared/ipc';
import { MAX_CHUNK_BYTES } from '../../../../shared/ipc/capture';
import type { CaptureSettings } from '../../../../shared/settings';
import { toErrorBody } from '../../ui/errors';
import { ChunkPump } from './chunk-pump';
import { canGoLive, goLiveReducer, initialGoLive, type GoLiveEvent, type GoLiveState, type Problem, type StepId } from './go-live-machine';
import { mediaProblem } from './media-problems';
import { pickRecorderMimeType, recorderKeyframeIntervalMs } from './recorder-format';
import { ensureServerRunning } from './server-ready';

/** MediaRecorder hands over a chunk this often: small enough for low latency, large enough for few IPC calls. */
const TIMESLICE_MS = 100;
/** A clean stop waits this long for the recorder's last chunk and for the encoder to take what is queued. */
const FLUSH_TIMEOUT_MS = 5000;
const MIB = 1024 * 1024;

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export interface StudioSnapshot {
  goLive: GoLiveState;
  /** Null until settings.get answers. */
  capture: CaptureSettings | null;
  cameras: DeviceOption[];
  microphones: DeviceOption[];
  /** The camera and microphone, shown on a muted <video> and recorded when live. */
  preview: MediaStream | null;
  cameraProblem: Problem | null;
  /** The capture encoder, from capture.start, encoder.status and capture.stop. */
  encoder: EncoderStatus | null;
  /** Recorded bytes the encoder has not taken yet. */
  heldBytes: number;
  mimeType: string | null;
}

/** Chromium's MediaRecorder takes a keyframe interval; without it a keyframe comes only every many seconds. */
interface KeyframedRecorderOptions extends MediaRecorderOptions {
  videoKeyFrameIntervalDuration?: number;
}

/** What one Go live started, so Stop or a failure ends exactly that. */
interface Run {
  cancelled: boolean;
  sessionId: string | null;
  recorder: MediaRecorder | null;
  pump: ChunkPump | null;
}

const stopTracks = (stream: MediaStream | null): void => stream?.getTracks().forEach((track) => track.stop());

/** Resolves when `promise` settles or after `ms`, whichever comes first. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

const overflowProblem = (heldBytes: number): Problem => ({
  code: 'ENCODER_FAILED',
  message: `The encoder stopped taking video: ${(heldBytes / MIB).toFixed(1)} MiB waited for it, so the stream was stopped rather than fill memory.`,
  hint: 'Look at the encoder status and the Server screen for the cause; a lower resolution or frame rate needs less. Then Go live again.',
});

function deviceOptions(devices: MediaDeviceInfo[], kind: MediaDeviceKind, noun: string): DeviceOption[] {
  return devices.filter((device) => device.kind === kind && device.deviceId !== '').map((device, index) => ({ deviceId: device.deviceId, label: device.label || `${noun} ${index + 1}` }));
}

export class StudioSession {
  private snapshot: StudioSnapshot = { goLive: initialGoLive, capture: null, cameras: [], microphones: [], preview: null, cameraProblem: null, encoder: null, heldBytes: 0, mimeType: null };
  private readonly listeners = new Set<() => void>();
  private run: Run | null = null;
  /** Mounted Studio screens: the camera is released when none is left and nothing is live. */
  private viewers = 0;
  private camera: Promise<MediaStream> | null = null;
  /** Bumped on release, so a camera that opens after it is no longer wanted is closed at once. */
  private cameraGeneration = 0;
  private settingsLoad: Promise<CaptureSettings> | null = null;

  constructor(
    private readonly api: AirlockApi,
    private readonly maxHeldBytes = MAX_CHUNK_BYTES,
  ) {
    api.on('encoder.status', (status) => status.source === 'capture' && this.onEncoderStatus(status));
    api.on('settings.changed', (settings) => this.update({ capture: settings.capture }));
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): StudioSnapshot => this.snapshot;

  /** A Studio screen is shown: open the camera preview and follow device changes; the returned function detaches it. */
  attach(): () => void {
    this.viewers += 1;
    void this.ensureCamera().catch(() => undefined);
    const devices = navigator.mediaDevices;
    const onDeviceChange = () => void this.refreshDevices();
    devices?.addEventListener('devicechange', onDeviceChange);
    return () => {
      devices?.removeEventListener('devicechange', onDeviceChange);
      this.viewers -= 1;
      // A remount in the same tick (React StrictMode) keeps the camera.
      queueMicrotask(() => this.viewers === 0 && this.run === null && this.releaseCamera());
    };
  }

  /** Saves capture settings and reopens the camera with them while nothing is live. */
  async updateCapture(patch: Partial<CaptureSettings>): Promise<void> {
    const settings = await this.api.invoke('settings.update', { capture: patch });
    this.update({ capture: settings.capture });
    if (!canGoLive(this.snapshot.goLive) || this.viewers === 0) return;
    this.releaseCamera();
    await this.ensureCamera().catch(() => undefined);
  }

  /** Opens the camera again after it failed. */
  retryCamera(): void {
    this.releaseCamera();
    void this.ensureCamera().catch(() => undefined);
  }

  /** Server → Camera → Encoder → Live: each step waits for the one before, and a failure stops what already runs. */
  async goLive(): Promise<void> {
    if (!canGoLive(this.snapshot.goLive)) return;
    const run: Run = { cancelled: false, sessionId: null, recorder: null, pump: null };
    this.run = run;
    this.dispatch({ type: 'go' });
    let step: StepId = 'server';
    try {
      await ensureServerRunning(this.api);
      if (run.cancelled) return;
      this.dispatch({ type: 'stepDone', step });

      step = 'camera';
      const stream = await this.ensureCamera();
      if (run.cancelled) return;
      const mimeType = pickRecorderMimeType((type) => MediaRecorder.isTypeSupported(type), stream.getAudioTracks().length > 0);
      if (mimeType === null) {
        this.fail(run, {
          code: 'CAPTURE_ENDED',
          message: 'This system cannot record the camera in a format the encoder reads (H.264, VP8 or VP9).',
          hint: 'Run the test bench on the Preview screen to check the server; camera capture needs a newer Chromium.',
        });
        return;
      }
      this.dispatch({ type: 'stepDone', step });

      step = 'encoder';
      const capture = this.snapshot.capture!;
      const actual = stream.getVideoTracks()[0]?.getSettings() ?? {};
      const started = await this.api.invoke('capture.start', {
        mimeType,
        width: actual.width ?? capture.width,
        height: actual.height ?? capture.height,
        // Cameras report rates like 29.97 or 30.00003: the encoder wants the nominal one.
        frameRate: actual.frameRate ? Math.max(1, Math.round(actual.frameRate)) : capture.frameRate,
      });
      run.sessionId = started.sessionId;
      if (run.cancelled) {
        await this.endSession(started.sessionId);
        return;
      }
      this.update({ encoder: started.status, mimeType });
      this.dispatch({ type: 'stepDone', step });

      step = 'live';
      this.record(run, stream, mimeType, capture, started.sessionId);
    } catch (error) {
      this.fail(run, step === 'camera' ? mediaProblem(error) : toErrorBody(error));
    }
  }

  /** Ends the recorder and the encoder cleanly: the last chunks reach the server first. The server keeps running. */
  stop(): void {
    const run = this.run;
    if (run === null || run.cancelled) return;
    run.cancelled = true;
    this.dispatch({ type: 'stop' });
    void this.teardown(run, true);
  }

  /** Starts MediaRecorder and pumps its chunks to the encoder; the first chunk the encoder takes means Live. */
  private record(run: Run, stream: MediaStream, mimeType: string, capture: CaptureSettings, sessionId: string): void {
    const pump = new ChunkPump({
      maxBytes: this.maxHeldBytes,
      send: (sequence, bytes) => this.api.invoke('capture.chunk', { sessionId, sequence, bytes }),
      onAccepted: () => {
        this.update({ heldBytes: pump.heldBytes });
        if (!run.cancelled) this.dispatch({ type: 'stepDone', step: 'live' });
      },
      onOverflow: (heldBytes) => this.fail(run, overflowProblem(heldBytes), 'live'),
      onError: (error) => this.fail(run, toErrorBody(error), 'live'),
    });
    const options: KeyframedRecorderOptions = {
      mimeType,
      videoBitsPerSecond: capture.videoBitrateKbps * 1000,
      videoKeyFrameIntervalDuration: recorderKeyframeIntervalMs(capture.keyframeIntervalSeconds, capture.frameRate),
    };
    const recorder = new MediaRecorder(stream, options);
    recorder.addEventListener('dataavailable', (event) => {
      pump.push(event.data);
      this.update({ heldBytes: pump.heldBytes });
    });
    recorder.addEventListener('error', () => this.fail(run, { code: 'CAPTURE_ENDED', message: 'The camera recorder stopped with an error.', hint: 'Check the camera and microphone, then Go live again.' }));
    run.pump = pump;
    run.recorder = recorder;
    recorder.start(TIMESLICE_MS);
  }

  private fail(run: Run, problem: Problem, step?: StepId): void {
    if (run.cancelled) return;
    run.cancelled = true;
    this.dispatch(step === undefined ? { type: 'fail', problem } : { type: 'fail', problem, step });
    void this.teardown(run, false);
  }

  /** Stops the recorder, flushes (on a clean stop) or drops (on a failure) what is queued, then ends the encoder session. */
  private async teardown(run: Run, clean: boolean): Promise<void> {
    const { recorder, pump } = run;
    if (recorder !== null && recorder.state !== 'inactive') {
      const stopped = new Promise((resolve) => recorder.addEventListener('stop', resolve, { once: true }));
      recorder.stop();
      if (clean) await within(stopped, FLUSH_TIMEOUT_MS);
    }
    if (pump !== null) {
      if (clean) await within(pump.drained(), FLUSH_TIMEOUT_MS);
      pump.close();
    }
    if (run.sessionId !== null) await this.endSession(run.sessionId);
    if (this.run === run) this.run = null;
    this.update({ heldBytes: 0 });
    this.dispatch({ type: 'stopped' });
    if (this.viewers === 0) this.releaseCamera();
  }

  private async endSession(sessionId: string): Promise<void> {
    try {
      this.update({ encoder: await this.api.invoke('capture.stop', { sessionId }) });
    } catch {
      // The session had already ended on main's side; why it ended arrived with encoder.status.
    }
  }

  private onEncoderStatus(status: EncoderStatus): void {
    this.update({ encoder: status });
    const run = this.run;
    if (status.state !== 'failed' || run === null) return;
    const problem: Problem = { code: 'ENCODER_FAILED', message: status.reason ?? 'The encoder stopped and will not restart.', hint: status.hint ?? 'Look at the Server screen, then Go live again.' };
    this.fail(run, problem, 'encoder');
  }

  /** The open camera, or a new one opened with the saved devices, resolution and frame rate. */
  private ensureCamera(): Promise<MediaStream> {
    if (this.camera !== null && this.snapshot.preview?.active !== false) return this.camera;
    const generation = ++this.cameraGeneration;
    const opening = this.openCamera(generation);
    this.camera = opening;
    opening.catch((error: unknown) => {
      if (this.camera !== opening) return;
      this.camera = null;
      this.update({ cameraProblem: mediaProblem(error) });
    });
    return opening;
  }

  private async openCamera(generation: number): Promise<MediaStream> {
    const capture = await this.captureSettings();
    const media = navigator.mediaDevices;
    if (media === undefined) throw new DOMException('This window has no access to cameras.', 'NotSupportedError');
    const devices = await media.enumerateDevices();
    const present = (kind: MediaDeviceKind, id: string | null) => id !== null && devices.some((device) => device.kind === kind && device.deviceId === id);
    const hasMicrophone = devices.some((device) => device.kind === 'audioinput');
    const stream = await media.getUserMedia({
      video: {
        ...(present('videoinput', capture.videoDeviceId) ? { deviceId: { exact: capture.videoDeviceId! } } : {}),
        width: { ideal: capture.width },
        height: { ideal: capture.height },
        frameRate: { ideal: capture.frameRate },
      },
      audio: !hasMicrophone ? false : present('audioinput', capture.audioDeviceId) ? { deviceId: { exact: capture.audioDeviceId! } } : true,
    });
    if (generation !== this.cameraGeneration) {
      stopTracks(stream);
      throw new DOMException('The camera was closed while it opened.', 'AbortError');
    }
    for (const track of stream.getTracks()) track.addEventListener('ended', () => this.onTrackEnded(stream));
    this.update({ preview: stream, cameraProblem: null });
    await this.refreshDevices();
    return stream;
  }

  private onTrackEnded(stream: MediaStream): void {
    if (this.snapshot.preview !== stream) return;
    this.releaseCamera();
    const problem: Problem = { code: 'CAPTURE_ENDED', message: 'The camera or microphone was disconnected.', hint: 'Reconnect it or pick another device, then try again.' };
    this.update({ cameraProblem: problem });
    if (this.run !== null) this.fail(this.run, problem, 'camera');
  }

  private releaseCamera(): void {
    this.cameraGeneration += 1;
    this.camera = null;
    stopTracks(this.snapshot.preview);
    this.update({ preview: null });
  }

  private captureSettings(): Promise<CaptureSettings> {
    if (this.snapshot.capture !== null) return Promise.resolve(this.snapshot.capture);
    this.settingsLoad ??= this.api.invoke('settings.get').then(
      (settings) => {
        this.update({ capture: settings.capture });
        return settings.capture;
      },
      (error: unknown) => {
        this.settingsLoad = null;
        throw error;
      },
    );
    return this.settingsLoad;
  }

  private async refreshDevices(): Promise<void> {
    const devices = (await navigator.mediaDevices?.enumerateDevices()) ?? [];
    this.update({ cameras: deviceOptions(devices, 'videoinput', 'Camera'), microphones: deviceOptions(devices, 'audioinput', 'Microphone') });
  }

  private dispatch(event: GoLiveEvent): void {
    this.update({ goLive: goLiveReducer(this.snapshot.goLive, event) });
  }

  private update(patch: Partial<StudioSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of this.listeners) listener();
  }
}

const sessions = new WeakMap<AirlockApi, StudioSession>();

/** The window's one studio session for this API. */
export function studioSession(api: AirlockApi): StudioSession {
  let session = sessions.get(api);
  if (session === undefined) {
    session = new StudioSession(api);
    sessions.set(api, session);
  }
  return session;
}
