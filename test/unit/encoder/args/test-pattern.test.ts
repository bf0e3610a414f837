import { describe, expect, it } from 'vitest';
import { testPatternArgs } from '../../../../src/encoder/args/test-pattern';

const X264_720P = [
  '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
  '-b:v', '2000k', '-maxrate', '2000k', '-bufsize', '4000k', '-g', '60', '-keyint_min', '60',
];

describe('testPatternArgs', () => {
  it('publishes testsrc2 and a sine tone in real time as H.264 + AAC in FLV', () => {
    expect(testPatternArgs({ output: 'rtmp://127.0.0.1:1935/live/test', width: 1280, height: 720, fps: 30, bitrateKbps: 2000, tone: true })).toEqual([
      '-hide_banner', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1', '-nostdin',
      '-re', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30',
      '-re', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000',
      ...X264_720P,
      '-c:a', 'aac', '-b:a', '128k', '-ar', '48000',
      '-f', 'flv', 'rtmp://127.0.0.1:1935/live/test',
    ]);
  });

  it('publishes the picture alone without a tone', () => {
    const args = testPatternArgs({ output: 'rtmp://h/live/t', width: 1280, height: 720, fps: 30, bitrateKbps: 2000, tone: false });
    expect(args.filter((arg) => arg.startsWith('sine'))).toEqual([]);
    expect(args.slice(-4)).toEqual(['-an', '-f', 'flv', 'rtmp://h/live/t']);
  });

  it('publishes over RTMPS with a connect token, verifying the server only when given a CA file', () => {
    const base = { width: 1280, height: 720, fps: 30, bitrateKbps: 2000, tone: true, connectArgs: { ntoken: 'YQ==' } };
    expect(testPatternArgs({ ...base, output: 'rtmps://h/live/t' }).slice(-7)).toEqual(['-f', 'flv', '-rtmp_conn', 'O:1 NS:ntoken:YQ== O:0', '-tls_verify', '0', 'rtmps://h/live/t']);
    expect(testPatternArgs({ ...base, output: 'rtmps://h/live/t', caFile: '/c.pem' }).slice(-6)).toEqual(['O:1 NS:ntoken:YQ== O:0', '-tls_verify', '1', '-ca_file', '/c.pem', 'rtmps://h/live/t']);
  });
});
