import { describe, expect, it } from 'vitest';
import { parseRequestTarget } from '../../../../src/server/http/routes';

describe('parseRequestTarget', () => {
  it('reads app and stream from /APP/STREAM.flv and keeps the query apart', () => {
    const target = parseRequestTarget('/live/cam-1.flv?token=abc&x=1');
    expect(target).toMatchObject({ route: 'play', app: 'live', name: 'cam-1' });
    expect(target.route === 'play' && target.query.get('token')).toBe('abc');
  });

  it('percent-decodes names and keeps dots inside them', () => {
    expect(parseRequestTarget('/my%20app/a.b.flv')).toMatchObject({ route: 'play', app: 'my app', name: 'a.b' });
  });

  it('routes the JSON API with or without a query', () => {
    expect(parseRequestTarget('/api/stats')).toEqual({ route: 'stats' });
    expect(parseRequestTarget('/api/streams?pretty')).toEqual({ route: 'streams' });
  });

  it.each([
    ['a relative target', 'live/x.flv', 400],
    ['an absolute-form target', 'http://host/live/x.flv', 400],
    ['a dot segment', '/live/../x.flv', 404],
    ['a missing app', '/x.flv', 404],
    ['an empty app', '//x.flv', 400],
    ['an escaped dot-dot', '/%2E%2E/x.flv', 400],
    ['a single dot', '/./x.flv', 400],
    ['an escaped slash', '/live/a%2fb.flv', 400],
    ['an escaped control character', '/live/a%0Ab.flv', 400],
    ['a lone percent sign', '/live/100%.flv', 400],
    ['a name of 257 characters', `/live/${'a'.repeat(257)}.flv`, 400],
    ['a target over the limit', `/live/${'a'.repeat(2100)}.flv`, 414],
  ])('refuses %s with %i', (_, url, status) => {
    expect(parseRequestTarget(url)).toMatchObject({ route: 'bad', status });
  });

  it('accepts a name of 256 characters and honours a custom URL limit', () => {
    expect(parseRequestTarget(`/live/${'a'.repeat(256)}.flv`).route).toBe('play');
    expect(parseRequestTarget('/live/x.flv', 10)).toMatchObject({ route: 'bad', status: 414, code: 'URI_TOO_LONG' });
  });
});
