import { describe, expect, it } from 'vitest';
import { buildConnectToken } from '../../../../src/server/auth/connect-token-builder';
import { redact, redactQuery } from '../../../../src/server/auth/redact';
import { jsonLogger } from '../../../../src/server/log';

/** Log lines exactly as the server's JSON logger writes them. */
function logLine(event: string, fields: Record<string, unknown>): string {
  let line = '';
  jsonLogger((text) => (line = text)).warn(event, fields);
  return line;
}

const STREAM_KEY = 'sk_3fa9c2d1e0b4_Qm9ndXMtc2VjcmV0LXN0cmVhbS1rZXktMTIz';

describe('redact', () => {
  it('masks connect-token query parameters in a tcUrl on a JSON log line', () => {
    const line = logLine('rtmp.connect', { tcUrl: 'rtmp://127.0.0.1:1935/live?ntoken=YWxpY2U=&ptoken=cGE1NXdvcmQ=&ttoken=MTcwMDAwMDAwMA==&ftoken=cGxheQ==' });
    const safe = redact(line);
    expect(safe).toContain('"tcUrl":"rtmp://127.0.0.1:1935/live?ntoken=…&ptoken=…&ttoken=…&ftoken=…"');
    expect(JSON.parse(safe)).toMatchObject({ event: 'rtmp.connect' });
  });

  it('masks salt, challenge and opaque in an authmod=adobe rejection, keeping the user', () => {
    const reason = '[ AccessManager.Reject ] : [ authmod=adobe ] : ?reason=needauth&user=obs&salt=INFXRvZflEOya-9q&challenge=2kFoCjXF3bRm9L6t&opaque=2kFoCjXF3bRm9L6t';
    const safe = redact(logLine('rtmp.reject', { session: 7, peer: '127.0.0.1:50512', action: 'connect', app: 'live', reason }));
    expect(safe).toContain('?reason=needauth&user=obs&salt=…&challenge=…&opaque=…"');
    expect(safe).not.toMatch(/INFXRvZflEOya|2kFoCjXF3bRm9L6t/);
  });

  it("masks a step-3 adobe app string and FFmpeg's user:password URL", () => {
    const app = 'live?authmod=adobe&user=ffuser&challenge=0aa8e5c4&response=/T+hleuzMb2etoljouP/3A==&opaque=icrkuEH2hzrOCtZh';
    expect(redact(app)).toBe('live?authmod=adobe&user=ffuser&challenge=…&response=…&opaque=…');
    expect(redact('ffmpeg -re -i in.flv -f flv rtmp://ffuser:plain+pw=1@127.0.0.1:1935/live/cam1')).toBe('ffmpeg -re -i in.flv -f flv rtmp://ffuser:…@127.0.0.1:1935/live/cam1');
  });

  it('masks signed-URL signatures and stream keys in stream names', () => {
    expect(redact('play live/cam1?exp=1700000600&kid=k1&sig=q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA')).toBe('play live/cam1?exp=1700000600&kid=k1&sig=…');
    expect(redact(`publish mystream?key=${STREAM_KEY}`)).toBe('publish mystream?key=…');
    expect(redact(logLine('rtmp.publish', { stream: STREAM_KEY }))).toContain('"stream":"sk_…"');
  });

  it('masks the ffmpeg -rtmp_conn and rtmpdump --conn strings the token tool prints', () => {
    const token = buildConnectToken({ user: 'alice', password: 'pa55word', time: 1_700_000_000, permission: 'play' });
    expect(redact(`ffmpeg -i in ${token.ffmpeg} -f flv rtmp://h/live/s`)).toBe('ffmpeg -i in -rtmp_conn "O:1 NS:ntoken:… NS:ptoken:… NS:ttoken:… NS:ftoken:… O:0" -f flv rtmp://h/live/s');
    expect(redact(token.rtmpdump)).toBe('--conn O:1 --conn NS:ntoken:… --conn NS:ptoken:… --conn NS:ttoken:… --conn NS:ftoken:… --conn O:0');
  });

  it('masks JSON fields named like secrets, including escaped quotes in the value', () => {
    const safe = redact(logLine('auth.config', { user: 'alice', password: 'pa"55', key: 'c2VjcmV0', kid: 'k1' }));
    expect(JSON.parse(safe)).toMatchObject({ user: 'alice', password: '…', key: '…', kid: 'k1' });
  });

  it('leaves ordinary text and look-alike names alone', () => {
    const text = 'rtmp://127.0.0.1/live/cam1?kid=k1&user=alice&keyframes=1 risk_factor=3 monkey=1';
    expect(redact(text)).toBe(text);
  });
});

describe('redactQuery', () => {
  it('masks secret parameters and stream keys in other values', () => {
    const query = new URLSearchParams({ exp: '1700000600', kid: 'k1', sig: 'abc', Password: 'x', name: STREAM_KEY });
    expect(redactQuery(query).toString()).toBe(new URLSearchParams({ exp: '1700000600', kid: 'k1', sig: '…', Password: '…', name: 'sk_…' }).toString());
    expect(query.get('sig')).toBe('abc');
  });
});
