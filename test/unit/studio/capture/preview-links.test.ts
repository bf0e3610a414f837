import { describe, expect, it } from 'vitest';
import { PREVIEW_TTL_SECONDS, PreviewLinks } from '../../../../src/studio/capture/preview-links';

function links(httpUrl: string | null) {
  const asked: [string, string, number][] = [];
  const previews = new PreviewLinks({
    httpUrl: () => httpUrl,
    playQuery: (app, stream, ttlSeconds) => {
      asked.push([app, stream, ttlSeconds]);
      return { query: 'exp=1700000060&kid=k1&sig=abc', expiresAt: 1_700_000_060 };
    },
  });
  return { previews, asked };
}

describe('PreviewLinks', () => {
  it('gives a WebSocket-FLV URL on the play path with a short-lived signed play query', () => {
    const { previews, asked } = links('http://127.0.0.1:8000');
    expect(previews.url({ app: 'live', stream: 'studio', transport: 'ws-flv' })).toEqual({ url: 'ws://127.0.0.1:8000/live/studio.flv?exp=1700000060&kid=k1&sig=abc', expiresAt: 1_700_000_060 });
    expect(asked).toEqual([['live', 'studio', PREVIEW_TTL_SECONDS]]);
  });

  it('gives an HTTP-FLV URL, and WSS for an HTTPS base', () => {
    expect(links('http://127.0.0.1:8000/').previews.url({ app: 'live', stream: 'studio', transport: 'http-flv' }).url).toBe('http://127.0.0.1:8000/live/studio.flv?exp=1700000060&kid=k1&sig=abc');
    expect(links('https://studio.lan:8443').previews.url({ app: 'live', stream: 'studio', transport: 'ws-flv' }).url).toMatch(/^wss:\/\/studio\.lan:8443\/live\/studio\.flv\?/);
  });

  it('escapes names so each stays one path segment', () => {
    expect(links('http://h:1').previews.url({ app: 'my app', stream: 'cam%1', transport: 'http-flv' }).url).toMatch(/^http:\/\/h:1\/my%20app\/cam%251\.flv\?/);
  });

  it('refuses with SERVER_NOT_RUNNING when the server has no HTTP listener', () => {
    expect(() => links(null).previews.url({ app: 'live', stream: 'studio', transport: 'ws-flv' })).toThrow(expect.objectContaining({ code: 'SERVER_NOT_RUNNING' }));
  });
});
