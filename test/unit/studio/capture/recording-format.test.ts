import { describe, expect, it } from 'vitest';
import { parseRecordingFormat } from '../../../../src/studio/capture/recording-format';

describe('parseRecordingFormat', () => {
  it.each([
    ['video/x-matroska;codecs=avc1,opus', { container: 'matroska', video: 'h264', audio: 'opus' }],
    ['video/x-matroska;codecs=avc1.64001F,opus', { container: 'matroska', video: 'h264', audio: 'opus' }],
    ['video/webm;codecs=h264', { container: 'webm', video: 'h264', audio: 'none' }],
    ['video/webm; codecs="vp8, opus"', { container: 'webm', video: 'vp8', audio: 'opus' }],
    ['video/webm;codecs=vp09.00.10.08,opus', { container: 'webm', video: 'vp9', audio: 'opus' }],
    ['video/webm;codecs=av01.0.04M.08', { container: 'webm', video: 'av1', audio: 'none' }],
    ['video/x-matroska;codecs=hvc1.1.6.L93.B0,pcm', { container: 'matroska', video: 'other', audio: 'other' }],
    ['video/x-matroska;codecs=avc3,opus', { container: 'matroska', video: 'other', audio: 'opus' }],
    ['Video/X-Matroska;Codecs=AVC1,OPUS', { container: 'matroska', video: 'h264', audio: 'opus' }],
    ['video/webm', { container: 'webm', video: 'other', audio: 'other' }],
  ])('reads %s', (mimeType, format) => {
    expect(parseRecordingFormat(mimeType)).toEqual(format);
  });

  it.each(['video/mp4;codecs=avc1', 'audio/webm;codecs=opus', '', 'matroska'])('refuses %j: the encoder frames Matroska only', (mimeType) => {
    expect(() => parseRecordingFormat(mimeType)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});
