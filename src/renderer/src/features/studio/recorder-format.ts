// Which MediaRecorder format to ask for: H.264 in Matroska lets ffmpeg copy the video; WebM VP8/VP9 means x264 re-encodes it.

/** Best first: the video codec ffmpeg can stream-copy into FLV, then what every Chromium records. */
const VIDEO_FORMATS = ['video/x-matroska;codecs=avc1', 'video/webm;codecs=h264', 'video/webm;codecs=vp8', 'video/webm;codecs=vp9'];

/** The first format this recorder supports, with Opus when the capture has a microphone; null when it records none of them. */
export function pickRecorderMimeType(isTypeSupported: (mimeType: string) => boolean, withAudio: boolean): string | null {
  for (const format of VIDEO_FORMATS) {
    const mimeType = withAudio ? `${format},opus` : format;
    if (isTypeSupported(mimeType)) return mimeType;
  }
  return null;
}

/**
 * The videoKeyFrameIntervalDuration to ask for so keyframes are at most `intervalSeconds` apart: Chromium keys the
 * first frame after the interval has passed (2.05 s apart for 2 s at 30 fps, measured), so the request leaves two frames.
 */
export function recorderKeyframeIntervalMs(intervalSeconds: number, frameRate: number): number {
  return Math.max(1, Math.floor(intervalSeconds * 1000 - 2000 / frameRate));
}
