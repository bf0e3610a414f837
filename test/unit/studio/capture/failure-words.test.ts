import { describe, expect, it } from 'vitest';
import type { FailureKind } from '../../../../src/encoder/failure';
import { describeFailure } from '../../../../src/studio/capture/failure-words';

describe('describeFailure', () => {
  it('quotes what the server said when refusing the publish', () => {
    expect(describeFailure({ kind: 'authorization', line: '[rtmp @ 0x562cf6ae0b40] Server error: Not authorized to publish live/studio.' })).toEqual({
      reason: 'The server refused the publish token: Not authorized to publish live/studio.',
      hint: expect.stringContaining('signing key'),
    });
  });

  it('says to check the server when nothing listens', () => {
    expect(describeFailure({ kind: 'connection-refused', line: 'rtmp://127.0.0.1:1/live/x?exp=1&kid=k&sig=SECRET: Connection refused' })).toEqual({
      reason: 'The server is not accepting connections',
      hint: 'Check that the server is running.',
    });
  });

  it('never repeats a secret the server echoed', () => {
    const words = describeFailure({ kind: 'server-rejected', line: '[rtmp @ 0x1] Server error: bad stream live/x?exp=1&kid=k&sig=SECRET key=sk_abc' });
    expect(words.reason).not.toContain('SECRET');
    expect(words.reason).not.toContain('sk_abc');
  });

  it('gives the studio’s own message for a run that could not be set up', () => {
    expect(describeFailure({ kind: 'setup-failed', line: 'The server is not running' }).reason).toBe('The server is not running');
  });

  it.each<FailureKind>(['stream-busy', 'connection-lost', 'timeout', 'tls', 'invalid-input', 'unknown-encoder', 'spawn-failed', 'unknown'])('has words and a hint for %s', (kind) => {
    const words = describeFailure({ kind, line: null });
    expect(words.reason.length).toBeGreaterThan(10);
    expect(words.hint.length).toBeGreaterThan(10);
  });
});
