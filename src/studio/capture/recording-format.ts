// What a MediaRecorder MIME type says about the recording: its container and codecs, and so whether ffmpeg may copy the video.
import type { CaptureToRtmpOptions } from '../../encoder';
import { StudioError } from '../../shared/ipc/errors';

export interface RecordingFormat {
  container: 'matroska' | 'webm';
  video: CaptureToRtmpOptions['videoCodec'];
  audio: CaptureToRtmpOptions['audioCodec'];
}

const CONTAINERS: Readonly<Record<string, RecordingFormat['container']>> = {
  'video/x-matroska': 'matroska',
  'video/matroska': 'matroska',
  'video/webm': 'webm',
};

// Codec strings as Chromium's isTypeSupported and mimeType spell them (RFC 6381 style, with or without a profile).
const VIDEO_CODECS: readonly (readonly [RegExp, RecordingFormat['video']])[] = [
  // avc1 (and Chromium's "h264") keep SPS/PPS in CodecPrivate, which FLV's AVC sequence header needs; avc3 carries them in-band.
  [/^(avc1|h264)(\.|$)/i, 'h264'],
  [/^vp8(\.|$)/i, 'vp8'],
  [/^(vp9|vp09)(\.|$)/i, 'vp9'],
  [/^(av1|av01)(\.|$)/i, 'av1'],
];
const AUDIO_CODECS: readonly (readonly [RegExp, Exclude<RecordingFormat['audio'], 'none'>])[] = [
  [/^opus$/i, 'opus'],
  [/^(aac|mp4a)(\.|$)/i, 'aac'],
  [/^(pcm|vorbis|flac)/i, 'other'],
];

/**
 * Reads `video/x-matroska;codecs=avc1,opus` and the like. Without a codecs parameter the video codec is
 * unknown (so it is re-encoded) and audio is assumed present; a listed codec the studio does not name is
 * video unless it is a known audio codec. Anything but Matroska or WebM is refused: the capture path frames Matroska.
 */
export function parseRecordingFormat(mimeType: string): RecordingFormat {
  const [essence, ...parameters] = mimeType.split(';').map((part) => part.trim());
  const container = CONTAINERS[essence.toLowerCase()];
  if (container === undefined) {
    throw new StudioError('INVALID_INPUT', `the encoder reads Matroska or WebM recordings, not ${JSON.stringify(essence.slice(0, 64))}`, 'Record as video/x-matroska or video/webm.');
  }
  const codecsParameter = parameters.find((parameter) => /^codecs=/i.test(parameter));
  if (codecsParameter === undefined) return { container, video: 'other', audio: 'other' };
  const codecs = codecsParameter.slice('codecs='.length).replace(/^"|"$/g, '').split(',').map((codec) => codec.trim()).filter(Boolean);
  const audio = codecs.map((codec) => AUDIO_CODECS.find(([pattern]) => pattern.test(codec))?.[1]).find((kind) => kind !== undefined);
  const videoCodec = codecs.find((codec) => !AUDIO_CODECS.some(([pattern]) => pattern.test(codec)));
  const video = videoCodec === undefined ? 'other' : (VIDEO_CODECS.find(([pattern]) => pattern.test(videoCodec))?.[1] ?? 'other');
  return { container, video, audio: audio ?? 'none' };
}
