import { EncoderError } from '../errors';
import { AAC_ARGS, REPORTING_ARGS, x264Args } from './common';
import { rtmpOutputArgs, type RtmpOutputOptions } from './rtmp-output';

export interface CaptureToRtmpOptions extends RtmpOutputOptions {
  /** Where MediaRecorder's chunks arrive; stdin by default. */
  input?: string;
  /** MediaRecorder's container: Matroska (Chromium's video/x-matroska) or WebM. */
  container?: 'matroska' | 'webm';
  /** What MediaRecorder says it records; 'other' for a codec ffmpeg may decode but the studio does not name. */
  videoCodec: 'h264' | 'vp8' | 'vp9' | 'av1' | 'other';
  /** Opus from Chromium; 'none' when the capture has no microphone. */
  audioCodec: 'opus' | 'aac' | 'other' | 'none';
  /** Only H.264 can be copied into FLV; anything else is re-encoded with x264. */
  copyVideo: boolean;
  videoBitrateKbps: number;
  fps: number;
  keyframeIntervalSeconds?: number;
}

/**
 * ffmpeg reading MediaRecorder output and publishing it: minimal probing so the first frames leave
 * at once (not -fflags nobuffer, which drops them), H.264 copied or x264, audio always AAC.
 */
export function captureToRtmpArgs(options: CaptureToRtmpOptions): string[] {
  const { input = 'pipe:0', container = 'matroska', videoCodec, audioCodec, copyVideo, videoBitrateKbps, fps, keyframeIntervalSeconds = 2 } = options;
  if (copyVideo && videoCodec !== 'h264') throw new EncoderError('ARGUMENT_INVALID', `FLV cannot carry ${videoCodec} by stream copy; re-encode it`);
  const video = copyVideo ? ['-c:v', 'copy'] : x264Args({ bitrateKbps: videoBitrateKbps, fps, keyframeIntervalSeconds });
  return [
    ...REPORTING_ARGS,
    '-probesize', '32', '-analyzeduration', '0', '-f', container, '-i', input,
    ...video,
    ...(audioCodec === 'none' ? ['-an'] : AAC_ARGS),
    ...rtmpOutputArgs(options),
  ];
}
