import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../../src/encoder/failure';

// stderr of ffmpeg 5.1 (Debian 12) at -loglevel warning, captured against this repo's MediaServer and a closed port.
const STDERR = {
  connectionRefused: [
    '[tcp @ 0x557fa1362a00] Connection to tcp://127.0.0.1:1?tcp_nodelay=0 failed: Connection refused',
    '[rtmp @ 0x557fa1365b40] Cannot open connection tcp://127.0.0.1:1?tcp_nodelay=0',
    'rtmp://127.0.0.1:1/live/x: Connection refused',
  ],
  rtmpsRefused: [
    '[tcp @ 0x55ef478fda00] Connection to tcp://127.0.0.1:1 failed: Connection refused',
    '[rtmps @ 0x55ef47900280] Cannot open connection tls://127.0.0.1:1',
    'rtmps://127.0.0.1:1/live/x: Connection refused',
  ],
  publishUnauthorized: ['[rtmp @ 0x562cf6ae0b40] Server error: Not authorized to publish live/x.', 'rtmp://127.0.0.1:37945/live/x: Operation not permitted'],
  connectRejected: [
    '[rtmp @ 0x561c6adf9b40] Unknown connect error (unsupported authentication method?)',
    '[rtmp @ 0x561c6adf9b40] Server error: Authentication failed.',
    'rtmp://127.0.0.1:38633/live/x: Unknown error occurred',
  ],
  streamBusy: ['[rtmp @ 0x556e2be6db40] Server error: stream is already being published', 'rtmp://127.0.0.1:44063/live/x: Operation not permitted'],
  invalidInput: [
    '[matroska,webm @ 0x55a3865c2940] File ended prematurely',
    '[matroska,webm @ 0x55a3865c2940] EBML header parsing failed',
    'pipe:0: Invalid data found when processing input',
  ],
  unknownEncoder: ["Unknown encoder 'nope'"],
  otherServerError: ['[rtmp @ 0x55] Server error: something odd', 'rtmp://127.0.0.1:1/live/x: Unknown error occurred'],
};

describe('classifyFailure', () => {
  it.each([
    ['connectionRefused', 'connection-refused', 0],
    ['rtmpsRefused', 'connection-refused', 0],
    ['publishUnauthorized', 'authorization', 0],
    ['connectRejected', 'authorization', 0],
    ['streamBusy', 'stream-busy', 0],
    ['invalidInput', 'invalid-input', 1],
    ['unknownEncoder', 'unknown-encoder', 0],
    ['otherServerError', 'server-rejected', 0],
  ] as const)('reads %s as %s from the line that says so', (name, kind, lineIndex) => {
    const lines = STDERR[name];
    const reason = classifyFailure(lines);
    expect(reason.kind).toBe(kind);
    expect(reason.line).toBe(lines[lineIndex]);
  });

  it.each(['NetStream.Publish.Unauthorized', '[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=authfailed'])('reads %s as authorization', (line) => {
    expect(classifyFailure([`[rtmp @ 0x1] Server error: ${line}`]).kind).toBe('authorization');
  });

  it('reads NetStream.Publish.BadName as a busy stream', () => {
    expect(classifyFailure(['[rtmp @ 0x1] Server error: NetStream.Publish.BadName']).kind).toBe('stream-busy');
  });

  it('says unknown, with no line, when nothing matches (a kill leaves no message)', () => {
    expect(classifyFailure([])).toEqual({ kind: 'unknown', line: null });
    expect(classifyFailure(['[flv @ 0x1] Failed to update header with correct duration.'])).toEqual({ kind: 'unknown', line: null });
  });
});
