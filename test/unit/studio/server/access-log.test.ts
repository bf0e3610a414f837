import { describe, expect, it } from 'vitest';
import { AccessLog, accessEntryFromLine, addressOf } from '../../../../src/studio/server/access-log';

const TIME = '2026-01-02T03:04:05.000Z';
const line = (event: string, fields: Record<string, unknown>, level = 'info') => JSON.stringify({ time: TIME, level, event, ...fields });

describe('accessEntryFromLine', () => {
  it.each([
    [
      'an RTMPS connect',
      line('rtmp.connect', { session: 4, peer: '10.1.2.3:50000', protocol: 'rtmps', app: 'live', code: 'CONNECT_TOKEN' }),
      { address: '10.1.2.3', protocol: 'rtmps', action: 'connect', path: 'live', outcome: 'allowed', code: 'CONNECT_TOKEN', sessionId: 4 },
    ],
    [
      'a publish',
      line('rtmp.publish', { session: 4, peer: '10.1.2.3:50000', protocol: 'rtmp', stream: 'live/cam', code: 'STREAM_KEY' }),
      { action: 'publish', path: 'live/cam', outcome: 'allowed', code: 'STREAM_KEY' },
    ],
    [
      'a refused play, with its reason code',
      line('rtmp.reject', { session: 9, peer: '[2001:db8::7]:4000', protocol: 'rtmp', action: 'play', app: 'live', stream: 'cam', code: 'TOKEN_MISSING', reason: 'Not authorized' }, 'warn'),
      { address: '2001:db8::7', action: 'play', path: 'live/cam', outcome: 'refused', code: 'TOKEN_MISSING', sessionId: 9 },
    ],
    [
      'a refused connect (no stream yet)',
      line('rtmp.reject', { session: 2, peer: '127.0.0.1:1', protocol: 'rtmps', action: 'connect', app: 'live', stream: '', code: 'TOKEN_EXPIRED' }, 'warn'),
      { protocol: 'rtmps', action: 'connect', path: 'live', outcome: 'refused', code: 'TOKEN_EXPIRED' },
    ],
    ['a close', line('rtmp.close', { session: 4, peer: '10.1.2.3:50000', app: 'live', bytesIn: 10 }), { action: 'close', outcome: 'closed', code: null, protocol: 'rtmp' }],
    [
      'an HTTP-FLV play',
      line('http-flv.play', { id: 12, peer: '127.0.0.1:3000', protocol: 'ws-flv', app: 'live', stream: 'cam' }),
      { protocol: 'ws-flv', action: 'play', path: 'live/cam', outcome: 'allowed', sessionId: 12 },
    ],
    [
      'an HTTP-FLV refusal',
      line('http-flv.reject', { peer: '127.0.0.1:3000', protocol: 'http-flv', action: 'play', app: 'live', stream: 'cam', code: 'SIGNED_URL_EXPIRED' }, 'warn'),
      { protocol: 'http-flv', outcome: 'refused', code: 'SIGNED_URL_EXPIRED', sessionId: null },
    ],
    ['a connection turned away', line('rtmps.refuse', { peer: '10.0.0.1:9', code: 'TOO_MANY_CONNECTIONS' }, 'warn'), { protocol: 'rtmps', action: 'connect', path: null, outcome: 'refused', code: 'TOO_MANY_CONNECTIONS' }],
  ])('reads %s', (_name, text, expected) => {
    expect(accessEntryFromLine(text, 1)).toMatchObject({ id: 1, at: TIME, ...expected });
  });

  it.each([
    ['an operations line', line('server.start', { rtmp: 1935 })],
    ['an unpublish (not an access event)', line('rtmp.unpublish', { stream: 'live/cam' })],
    ['text that is not JSON', 'listen EADDRINUSE'],
    ['JSON that is not an object', '[1,2]'],
    ['a line without an event', JSON.stringify({ time: TIME })],
  ])('ignores %s', (_name, text) => {
    expect(accessEntryFromLine(text, 1)).toBeNull();
  });
});

describe('addressOf', () => {
  it.each([
    ['203.0.113.5:50123', '203.0.113.5'],
    ['[::1]:4000', '::1'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1'],
    [undefined, '?'],
  ])('%s → %s', (peer, address) => expect(addressOf(peer)).toBe(address));
});

describe('AccessLog', () => {
  it('keeps only the newest entries, numbering every one', () => {
    const log = new AccessLog(3);
    for (let i = 1; i <= 5; i++) log.add(line('rtmp.connect', { session: i, peer: `10.0.0.${i}:1`, app: 'live' }));
    expect(log.search({ search: '', limit: 10 }).map(({ id, sessionId }) => [id, sessionId])).toEqual([
      [5, 5],
      [4, 4],
      [3, 3],
    ]);
  });

  it('finds entries by address, path, code or outcome, in any case, newest first, up to the limit', () => {
    const log = new AccessLog();
    log.add(line('rtmp.reject', { session: 1, peer: '10.0.0.1:1', action: 'play', app: 'live', stream: 'cam', code: 'TOKEN_MISSING' }));
    log.add(line('rtmp.play', { session: 2, peer: '10.0.0.2:1', stream: 'live/cam', code: 'SIGNED_URL' }));
    log.add(line('rtmp.reject', { session: 3, peer: '10.0.0.3:1', action: 'publish', app: 'studio', stream: 'main', code: 'STREAM_KEY_WRONG' }));
    expect(log.search({ search: 'token_missing', limit: 10 }).map(({ sessionId }) => sessionId)).toEqual([1]);
    expect(log.search({ search: 'REFUSED', limit: 10 }).map(({ sessionId }) => sessionId)).toEqual([3, 1]);
    expect(log.search({ search: 'live/cam', limit: 10 }).map(({ sessionId }) => sessionId)).toEqual([2, 1]);
    expect(log.search({ search: '10.0.0.3', limit: 10 }).map(({ sessionId }) => sessionId)).toEqual([3]);
    expect(log.search({ search: '', limit: 2 }).map(({ sessionId }) => sessionId)).toEqual([3, 2]);
  });

  it('answers null for a line that is not an access line, and keeps nothing', () => {
    const log = new AccessLog();
    expect(log.add(line('tls.reload', {}))).toBeNull();
    expect(log.search({ search: '', limit: 10 })).toEqual([]);
  });
});
