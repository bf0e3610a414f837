import { describe, expect, it } from 'vitest';
import { rtmpConnArgs, rtmpOutputArgs } from '../../../../src/encoder/args/rtmp-output';

describe('rtmpConnArgs', () => {
  it('writes one NS:name:value item per field inside O:1 … O:0, Base64 padding and / + kept as they are', () => {
    expect(rtmpConnArgs({ ntoken: 'YWxpY2U=', ptoken: 'a/b+c==' })).toEqual(['-rtmp_conn', 'O:1 NS:ntoken:YWxpY2U= NS:ptoken:a/b+c== O:0']);
  });

  it('writes an empty object when there are no fields', () => {
    expect(rtmpConnArgs({})).toEqual(['-rtmp_conn', 'O:1 O:0']);
  });

  it.each([
    ['a value with a space, which ffmpeg would split into two items', { ntoken: 'YW xp' }],
    ['a value that is not Base64', { ntoken: 'alice:secret' }],
    ['a name with a colon, which ffmpeg would split at', { 'n:token': 'YQ==' }],
    ['an empty name', { '': 'YQ==' }],
  ])('refuses %s', (_, fields) => {
    expect(() => rtmpConnArgs(fields)).toThrow(expect.objectContaining({ name: 'EncoderError', code: 'ARGUMENT_INVALID' }));
  });
});

describe('rtmpOutputArgs', () => {
  it('publishes FLV to an rtmp:// URL with no TLS options', () => {
    expect(rtmpOutputArgs({ output: 'rtmp://h/live/s' })).toEqual(['-f', 'flv', 'rtmp://h/live/s']);
  });

  it('does not verify an rtmps:// server without a CA file (ffmpeg does not by default either)', () => {
    expect(rtmpOutputArgs({ output: 'rtmps://h/live/s' })).toEqual(['-f', 'flv', '-tls_verify', '0', 'rtmps://h/live/s']);
  });

  it('verifies an rtmps:// server against the given CA file', () => {
    expect(rtmpOutputArgs({ output: 'rtmps://h/live/s', caFile: '/ca.pem' })).toEqual(['-f', 'flv', '-tls_verify', '1', '-ca_file', '/ca.pem', 'rtmps://h/live/s']);
  });

  it.each(['http://h/live/s', 'rtmpt://h/live/s', '/tmp/out.flv'])('refuses the output %s', (output) => {
    expect(() => rtmpOutputArgs({ output })).toThrow(expect.objectContaining({ code: 'ARGUMENT_INVALID' }));
  });

  it('refuses a CA file for plain rtmp://, where it would silently mean nothing', () => {
    expect(() => rtmpOutputArgs({ output: 'rtmp://h/live/s', caFile: '/ca.pem' })).toThrow(expect.objectContaining({ code: 'ARGUMENT_INVALID' }));
  });
});
