// The exact strings of a share: what OBS's two fields get, the command lines, and the play URLs per listener.
import { describe, expect, it } from 'vitest';
import { credentialShare, FFMPEG_PUBLISH } from '../../../../src/studio/keys/credential-share';

const ENDPOINTS = { rtmp: 'rtmp://127.0.0.1:1935', rtmps: 'rtmps://127.0.0.1:1936/', http: 'http://127.0.0.1:8000' };
const QUERY = 'exp=1700000600&kid=k1&sig=abc_-';
const FIELDS = { ntoken: 'YWxpY2U=', ptoken: 'cHc=', ttoken: 'MTcwMDAwMDAwMA==', ftoken: 'cGxheQ==' };

describe('credentialShare', () => {
  it('gives a stream key to OBS alone (it names its stream) and to ffmpeg as key= on the stream', () => {
    expect(credentialShare({ kind: 'stream-key', app: 'live', stream: 'cam', key: 'sk_0123456789ab_x' }, ENDPOINTS)).toEqual({
      obs: { server: 'rtmp://127.0.0.1:1935/live', streamKey: 'sk_0123456789ab_x' },
      ffmpeg: `${FFMPEG_PUBLISH} "rtmp://127.0.0.1:1935/live/cam?key=sk_0123456789ab_x"`,
      play: null,
      secret: 'sk_0123456789ab_x',
    });
  });

  it('puts a publish link after the stream name in OBS and in the ffmpeg URL', () => {
    expect(credentialShare({ kind: 'signed-link', permission: 'publish', app: 'live', stream: 'cam', query: QUERY }, ENDPOINTS)).toEqual({
      obs: { server: 'rtmp://127.0.0.1:1935/live', streamKey: `cam?${QUERY}` },
      ffmpeg: `${FFMPEG_PUBLISH} "rtmp://127.0.0.1:1935/live/cam?${QUERY}"`,
      play: null,
      secret: QUERY,
    });
  });

  it('gives a play link every listener that is on, the HTTP-FLV path percent-encoded as the server decodes it', () => {
    const share = credentialShare({ kind: 'signed-link', permission: 'play', app: 'live', stream: 'my cam', query: QUERY }, ENDPOINTS);
    expect(share.obs).toBeNull();
    expect(share.ffmpeg).toBe(`ffplay "rtmp://127.0.0.1:1935/live/my cam?${QUERY}"`);
    expect(share.play).toEqual({
      rtmp: `rtmp://127.0.0.1:1935/live/my cam?${QUERY}`,
      rtmps: `rtmps://127.0.0.1:1936/live/my cam?${QUERY}`,
      httpFlv: `http://127.0.0.1:8000/live/my%20cam.flv?${QUERY}`,
    });
    expect(credentialShare({ kind: 'signed-link', permission: 'play', app: 'live', stream: 'cam', query: QUERY }, { ...ENDPOINTS, rtmps: null, http: null }).play).toEqual({
      rtmp: `rtmp://127.0.0.1:1935/live/cam?${QUERY}`,
      rtmps: null,
      httpFlv: null,
    });
  });

  it('sends a connect token with -rtmp_conn in commands, and as a URL-encoded query where only a URL fits', () => {
    const conn = `-rtmp_conn "O:1 NS:ntoken:${FIELDS.ntoken} NS:ptoken:${FIELDS.ptoken} NS:ttoken:${FIELDS.ttoken} NS:ftoken:${FIELDS.ftoken} O:0"`;
    const query = 'ntoken=YWxpY2U%3D&ptoken=cHc%3D&ttoken=MTcwMDAwMDAwMA%3D%3D&ftoken=cGxheQ%3D%3D';
    const play = credentialShare({ kind: 'connect-token', permission: 'play', app: 'live', stream: 'cam', fields: FIELDS }, ENDPOINTS);
    expect(play.ffmpeg).toBe(`ffplay ${conn} "rtmp://127.0.0.1:1935/live/cam"`);
    expect(play.play?.httpFlv).toBe(`http://127.0.0.1:8000/live/cam.flv?${query}`);
    expect(JSON.parse(play.secret)).toEqual(FIELDS);
    const publish = credentialShare({ kind: 'connect-token', permission: 'publish', app: 'live', stream: 'cam', fields: FIELDS }, ENDPOINTS);
    expect(publish.ffmpeg).toBe(`${FFMPEG_PUBLISH} ${conn} "rtmp://127.0.0.1:1935/live/cam"`);
    expect(publish.obs).toEqual({ server: 'rtmp://127.0.0.1:1935/live', streamKey: `cam?${query}` });
  });
});
