import { describe, expect, it } from 'vitest';
import { pickRecorderMimeType, recorderKeyframeIntervalMs } from '../../../../src/renderer/src/features/studio/recorder-format';

const supports = (...types: string[]) => (type: string) => types.includes(type);

describe('pickRecorderMimeType', () => {
  it('prefers H.264 in Matroska, which ffmpeg copies', () => {
    expect(pickRecorderMimeType(supports('video/webm;codecs=vp8,opus', 'video/x-matroska;codecs=avc1,opus'), true)).toBe('video/x-matroska;codecs=avc1,opus');
  });

  it('falls back to WebM H.264, then VP8, then VP9', () => {
    expect(pickRecorderMimeType(supports('video/webm;codecs=vp9,opus', 'video/webm;codecs=h264,opus'), true)).toBe('video/webm;codecs=h264,opus');
    expect(pickRecorderMimeType(supports('video/webm;codecs=vp9,opus', 'video/webm;codecs=vp8,opus'), true)).toBe('video/webm;codecs=vp8,opus');
    expect(pickRecorderMimeType(supports('video/webm;codecs=vp9,opus'), true)).toBe('video/webm;codecs=vp9,opus');
  });

  it('leaves Opus out when there is no microphone', () => {
    expect(pickRecorderMimeType(supports('video/x-matroska;codecs=avc1', 'video/x-matroska;codecs=avc1,opus'), false)).toBe('video/x-matroska;codecs=avc1');
  });

  it('answers null when the recorder supports none of them', () => {
    expect(pickRecorderMimeType(supports('video/mp4'), true)).toBeNull();
  });
});

describe('recorderKeyframeIntervalMs', () => {
  it('asks for two frames less than the interval, since Chromium keys the first frame after it', () => {
    expect(recorderKeyframeIntervalMs(2, 30)).toBe(1933);
    expect(recorderKeyframeIntervalMs(2, 60)).toBe(1966);
    expect(recorderKeyframeIntervalMs(0.5, 25)).toBe(420);
  });

  it('never asks for less than a millisecond', () => {
    expect(recorderKeyframeIntervalMs(0.5, 1)).toBe(1);
  });
});
