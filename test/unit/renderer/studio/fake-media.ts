// Fake camera, microphone and MediaRecorder for the Studio's component tests (happy-dom has none of them).
import { vi } from 'vitest';

export class FakeTrack extends EventTarget {
  readyState: MediaStreamTrackState = 'live';

  constructor(readonly kind: 'video' | 'audio') {
    super();
  }

  stop(): void {
    this.readyState = 'ended';
  }

  /** The camera unplugged: the browser ends the track. */
  end(): void {
    this.readyState = 'ended';
    this.dispatchEvent(new Event('ended'));
  }

  getSettings(): MediaTrackSettings {
    return this.kind === 'video' ? { width: 1280, height: 720, frameRate: 30 } : {};
  }
}

/** A MediaStream (so a <video> takes it as srcObject) whose tracks are FakeTracks. */
export class FakeStream extends MediaStream {
  constructor(readonly tracks: FakeTrack[]) {
    super();
    Object.defineProperty(this, 'active', { get: () => tracks.some((track) => track.readyState === 'live') });
  }

  override getTracks(): MediaStreamTrack[] {
    return this.tracks as unknown as MediaStreamTrack[];
  }

  override getVideoTracks(): MediaStreamTrack[] {
    return this.tracks.filter((track) => track.kind === 'video') as unknown as MediaStreamTrack[];
  }

  override getAudioTracks(): MediaStreamTrack[] {
    return this.tracks.filter((track) => track.kind === 'audio') as unknown as MediaStreamTrack[];
  }
}

export class FakeRecorder extends EventTarget {
  static instances: FakeRecorder[] = [];
  static supported = new Set(['video/x-matroska;codecs=avc1,opus', 'video/webm;codecs=vp8,opus']);
  static isTypeSupported = (type: string): boolean => FakeRecorder.supported.has(type);

  state: RecordingState = 'inactive';
  timeslice: number | undefined;

  constructor(
    readonly stream: FakeStream,
    readonly options: MediaRecorderOptions & { videoKeyFrameIntervalDuration?: number },
  ) {
    super();
    FakeRecorder.instances.push(this);
  }

  start(timeslice?: number): void {
    this.state = 'recording';
    this.timeslice = timeslice;
  }

  /** Like Chromium: the last chunk, then 'stop'. */
  stop(): void {
    this.state = 'inactive';
    this.chunk(new Uint8Array([0xff]));
    this.dispatchEvent(new Event('stop'));
  }

  /** One timeslice's worth of recording. */
  chunk(bytes: Uint8Array<ArrayBuffer>): void {
    this.dispatchEvent(Object.assign(new Event('dataavailable'), { data: new Blob([bytes]) }));
  }
}

export interface FakeMedia {
  getUserMedia: ReturnType<typeof vi.fn>;
  devices: MediaDeviceInfo[];
  /** The streams getUserMedia handed out, newest last. */
  streams: FakeStream[];
}

const device = (kind: MediaDeviceKind, deviceId: string, label: string) => ({ kind, deviceId, label, groupId: 'g' }) as MediaDeviceInfo;

/** Installs a camera, a microphone and MediaRecorder on the page; undo with vi.unstubAllGlobals(). */
export function installFakeMedia(): FakeMedia {
  FakeRecorder.instances = [];
  const streams: FakeStream[] = [];
  const media: FakeMedia = {
    devices: [device('videoinput', 'cam-1', 'Desk camera'), device('videoinput', 'cam-2', 'USB camera'), device('audioinput', 'mic-1', 'Headset')],
    streams,
    getUserMedia: vi.fn(async (constraints: MediaStreamConstraints) => {
      const stream = new FakeStream([new FakeTrack('video'), ...(constraints.audio ? [new FakeTrack('audio')] : [])]);
      streams.push(stream);
      return stream;
    }),
  };
  const mediaDevices = Object.assign(new EventTarget(), { getUserMedia: media.getUserMedia, enumerateDevices: async () => media.devices });
  vi.stubGlobal('navigator', Object.assign(Object.create(navigator) as Navigator, { mediaDevices }));
  vi.stubGlobal('MediaRecorder', FakeRecorder);
  return media;
}
