import { describe, expect, it } from 'vitest';
import { captureToRtmpArgs } from '../../../../src/encoder/args/capture-to-rtmp';

const URL = 'rtmp://127.0.0.1:1935/live/cam';
const REPORTING = ['-hide_banner', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1'];
const INPUT = ['-probesize', '32', '-analyzeduration', '0', '-f', 'matroska', '-i', 'pipe:0'];
const AAC = ['-c:a', 'aac', '-b:a', '128k', '-ar', '48000'];

describe('captureToRtmpArgs', () => {
  it('stream-copies H.264 from Matroska on stdin and turns Opus into AAC', () => {
    expect(captureToRtmpArgs({ output: URL, videoCodec: 'h264', audioCodec: 'opus', copyVideo: true, videoBitrateKbps: 2500, fps: 30 })).toEqual([
      ...REPORTING, ...INPUT, '-c:v', 'copy', ...AAC, '-f', 'flv', URL,
    ]);
  });

  it('re-encodes VP8 with x264 at a GOP of fps times the keyframe interval (2 s by default)', () => {
    expect(captureToRtmpArgs({ output: URL, videoCodec: 'vp8', audioCodec: 'opus', copyVideo: false, videoBitrateKbps: 2500, fps: 30 })).toEqual([
      ...REPORTING, ...INPUT,
      '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
      '-b:v', '2500k', '-maxrate', '2500k', '-bufsize', '5000k', '-g', '60', '-keyint_min', '60',
      ...AAC, '-f', 'flv', URL,
    ]);
  });

  it('uses the keyframe interval it is given', () => {
    const args = captureToRtmpArgs({ output: URL, videoCodec: 'h264', audioCodec: 'opus', copyVideo: false, videoBitrateKbps: 1000, fps: 25, keyframeIntervalSeconds: 1 });
    expect(args.slice(args.indexOf('-g'), args.indexOf('-g') + 4)).toEqual(['-g', '25', '-keyint_min', '25']);
  });

  it('never asks ffmpeg to drop its input buffer (-fflags nobuffer loses the first frames)', () => {
    expect(captureToRtmpArgs({ output: URL, videoCodec: 'h264', audioCodec: 'opus', copyVideo: true, videoBitrateKbps: 1, fps: 30 })).not.toContain('-fflags');
  });

  it('drops audio when the capture has none, and reads WebM when told', () => {
    const args = captureToRtmpArgs({ output: URL, container: 'webm', videoCodec: 'vp9', audioCodec: 'none', copyVideo: false, videoBitrateKbps: 800, fps: 30 });
    expect(args).toContain('-an');
    expect(args).not.toContain('aac');
    expect(args.slice(args.indexOf('-f'), args.indexOf('-f') + 4)).toEqual(['-f', 'webm', '-i', 'pipe:0']);
  });

  it('appends the connect token object with -rtmp_conn, one NS field per token, before the URL', () => {
    const connectArgs = { ntoken: 'YWxpY2U=', ptoken: 'cy9jcmV0Kw==', ttoken: 'MTcwMDAwMDAwMA==', ftoken: 'cHVibGlzaA==' };
    const args = captureToRtmpArgs({ output: URL, connectArgs, videoCodec: 'h264', audioCodec: 'opus', copyVideo: true, videoBitrateKbps: 1, fps: 30 });
    expect(args.slice(-5)).toEqual(['-f', 'flv', '-rtmp_conn', 'O:1 NS:ntoken:YWxpY2U= NS:ptoken:cy9jcmV0Kw== NS:ttoken:MTcwMDAwMDAwMA== NS:ftoken:cHVibGlzaA== O:0', URL]);
  });

  it('refuses to stream-copy a codec FLV cannot carry', () => {
    expect(() => captureToRtmpArgs({ output: URL, videoCodec: 'vp8', audioCodec: 'opus', copyVideo: true, videoBitrateKbps: 1, fps: 30 })).toThrow(
      expect.objectContaining({ code: 'ARGUMENT_INVALID' }),
    );
  });
});
