import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFlvHeader } from '../../../src/server/flv/header';
import { FlvTagType, encodeFlvTag, type FlvTag } from '../../../src/server/flv/tag';
import type { PlayRequest } from '../../../src/server/http/http-flv-service';
import { demuxAll, isEndOfSequence, isMetadata, isSequenceHeader, isVideoKeyframe, loadFlvFixture, publishTags } from '../../fixtures/flv/fixtures';
import { exchange, playHttp, playWs, startHarness, waitFor, type Harness, type Received } from './harness';

// The hub takes AVC end of sequence (FrameType key) for a GOP start: leave it out of a live stream.
const tags = demuxAll(loadFlvFixture()).filter((tag) => !isEndOfSequence(tag));
const metadata = tags.find(isMetadata)!;
const videoHeader = tags.find((tag) => tag.type === FlvTagType.VIDEO && isSequenceHeader(tag))!;
const audioHeader = tags.find((tag) => tag.type === FlvTagType.AUDIO && isSequenceHeader(tag))!;
const initTags = [metadata, videoHeader, audioHeader];
/** Indexes in `tags` of the two GOP-starting key frames. */
const gopStarts = tags.flatMap((tag, i) => (isVideoKeyframe(tag) ? [i] : []));
/** Audio and video frames (no headers, no metadata) among tags[from, to). */
const media = (from: number, to?: number): FlvTag[] =>
  tags.slice(from, to).filter((tag) => tag.type !== FlvTagType.SCRIPT_DATA && !isSequenceHeader(tag));
const flv = (list: FlvTag[]): Buffer =>
  Buffer.concat([encodeFlvHeader({ audio: true, video: true }), ...list.map((tag) => encodeFlvTag(tag.type, tag.timestamp, tag.body))]);

async function expectBytes(player: Received, expected: Buffer): Promise<void> {
  await waitFor(() => player.chunks.reduce((n, chunk) => n + chunk.length, 0) >= expected.length, `${expected.length} bytes`);
  expect(player.bytes.equals(expected)).toBe(true);
}

let harness: Harness;
afterEach(async () => harness?.close());

describe('HttpFlvService', { timeout: 10_000 }, () => {
  describe('HTTP-FLV', () => {
    it('sends the FLV header, onMetaData, both sequence headers, then the cached GOP from its key frame', async () => {
      harness = await startHarness();
      publishTags(harness.publish(), tags);
      const player = await playHttp(`${harness.origin}/live/x.flv`);
      expect(player.response.statusCode).toBe(200);
      expect(player.response.headers['content-type']).toBe('video/x-flv');
      expect(player.response.headers['cache-control']).toBe('no-cache');
      expect(player.response.headers['content-length']).toBeUndefined();
      expect(player.response.headers['transfer-encoding']).toBe('chunked');
      await expectBytes(player, flv([...initTags, ...media(gopStarts[1])]));
      expect(isVideoKeyframe(player.tags[3])).toBe(true);
    });

    it('starts a late joiner on the key frame of the GOP in progress, then follows live', async () => {
      harness = await startHarness();
      const stream = harness.publish();
      const joinAt = gopStarts[1] + 4;
      publishTags(stream, tags.slice(0, joinAt));
      const player = await playHttp(`${harness.origin}/live/x.flv`);
      await expectBytes(player, flv([...initTags, ...media(gopStarts[1], joinAt)]));
      publishTags(stream, tags.slice(joinAt));
      await expectBytes(player, flv([...initTags, ...media(gopStarts[1])]));
    });

    it('holds a late joiner back until the next key frame when no GOP is cached', async () => {
      harness = await startHarness({}, { maxGopBytes: 1 });
      const stream = harness.publish();
      publishTags(stream, tags.slice(0, gopStarts[0] + 3));
      const player = await playHttp(`${harness.origin}/live/x.flv`);
      await expectBytes(player, flv(initTags));
      publishTags(stream, tags.slice(gopStarts[0] + 3));
      await expectBytes(player, flv([...initTags, ...media(gopStarts[1])]));
    });

    it('answers 404 with a JSON error for a stream nobody publishes, without creating it', async () => {
      harness = await startHarness();
      harness.registry.open('live', 'idle');
      for (const path of ['/live/nobody.flv', '/live/idle.flv']) {
        const answer = await exchange(harness.origin, path);
        expect(answer.status).toBe(404);
        expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(JSON.parse(answer.body)).toEqual({ error: { code: 'STREAM_NOT_LIVE', message: expect.stringContaining('is not live') } });
      }
      expect(harness.registry.list().map((stream) => stream.path)).toEqual(['live/idle']);
    });

    it('ends the response when the publisher leaves and forgets the stream', async () => {
      harness = await startHarness();
      const stream = harness.publish();
      publishTags(stream, tags);
      const player = await playHttp(`${harness.origin}/live/x.flv`);
      await expectBytes(player, flv([...initTags, ...media(gopStarts[1])]));
      stream.stopPublishing();
      await player.ended;
      expect(player.response.complete).toBe(true);
      expect(harness.registry.list()).toEqual([]);
      await waitFor(() => harness.service.playerCount === 0, 'the player to be forgotten');
    });

    it('removes the reader when the client goes away', async () => {
      harness = await startHarness();
      const stream = harness.publish();
      publishTags(stream, tags);
      const player = await playHttp(`${harness.origin}/live/x.flv`);
      expect(stream.readers.size).toBe(1);
      player.response.destroy();
      await waitFor(() => stream.readers.size === 0 && harness.service.playerCount === 0, 'the reader to be removed');
      expect(harness.registry.get('live', 'x')).toBe(stream);
    });
  });

  describe('WS-FLV', () => {
    it('sends the same FLV byte stream as HTTP-FLV, in binary messages batching many tags', async () => {
      harness = await startHarness();
      const stream = harness.publish();
      publishTags(stream, tags);
      const http = await playHttp(`${harness.origin}/live/x.flv`);
      const ws = await playWs(`${harness.origin.replace('http', 'ws')}/live/x.flv`);
      publishTags(stream, tags, 3000);
      const expected = flv([...initTags, ...media(gopStarts[1]), ...tags.map((tag) => ({ ...tag, timestamp: tag.timestamp + 3000 }))]);
      await expectBytes(http, expected);
      await expectBytes(ws, expected);
      expect(ws.messages).toBeLessThan(ws.tags.length / 4);
    });

    it('closes with 1000 when the publisher leaves', async () => {
      harness = await startHarness();
      const stream = harness.publish();
      publishTags(stream, tags);
      const ws = await playWs(`${harness.origin.replace('http', 'ws')}/live/x.flv`);
      await expectBytes(ws, flv([...initTags, ...media(gopStarts[1])]));
      stream.stopPublishing();
      expect(await ws.closeCode).toBe(1000);
      expect(harness.registry.list()).toEqual([]);
    });

    it('refuses the upgrade with 404 for a stream nobody publishes', async () => {
      harness = await startHarness();
      await expect(playWs(`${harness.origin.replace('http', 'ws')}/live/nobody.flv`)).rejects.toMatchObject({ status: 404 });
      await expect(playWs(`${harness.origin.replace('http', 'ws')}/api/stats`)).rejects.toMatchObject({ status: 404 });
      expect(harness.registry.list()).toEqual([]);
    });
  });

  describe('a slow client', () => {
    const FRAME_BYTES = 64 * 1024;
    const FRAMES = 300;
    const GOP = 10;
    // An AVC NALU VIDEODATA body (FLV spec §E.4.3.1) carrying its frame number.
    const frame = (index: number): Buffer => {
      const body = Buffer.alloc(FRAME_BYTES);
      body[0] = index % GOP === 0 ? 0x17 : 0x27;
      body[1] = 1;
      body.writeUInt32BE(index, 5);
      return body;
    };
    const frameNumbers = (player: Received): number[] =>
      player.tags.filter((tag) => tag.type === FlvTagType.VIDEO && !isSequenceHeader(tag)).map((tag) => tag.body.readUInt32BE(5));

    it('skips to key frames, counted in stats, while a fast client gets every frame', { timeout: 30_000 }, async () => {
      harness = await startHarness({ maxQueueBytes: 256 * 1024 });
      const stream = harness.publish();
      publishTags(stream, [videoHeader, audioHeader]);
      const fast = await playHttp(`${harness.origin}/live/x.flv`);
      const slow = await playHttp(`${harness.origin}/live/x.flv`);
      slow.response.pause();
      for (let i = 0; i < FRAMES; i++) {
        stream.pushVideo(i * 40, frame(i));
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await waitFor(() => frameNumbers(fast).length === FRAMES, 'the fast client to get every frame');
      expect(frameNumbers(fast)).toEqual([...Array(FRAMES).keys()]);

      const [fastReader, slowReader] = [...stream.readers];
      expect(fastReader.queue.stats.packetsDropped).toBe(0);
      expect(slowReader.queue.stats.skips).toBeGreaterThan(0);
      const { body } = await exchange(harness.origin, '/api/streams');
      const { outbound } = JSON.parse(body).streams[0];
      expect(outbound.packetsDropped).toBe(slowReader.queue.stats.packetsDropped);
      expect(outbound.packetsDropped).toBeGreaterThan(0);

      slow.response.resume();
      stream.stopPublishing();
      await slow.ended;
      const got = frameNumbers(slow);
      expect(got.length).toBeLessThan(FRAMES);
      expect(got[0]).toBe(0);
      for (let i = 1; i < got.length; i++) {
        if (got[i] !== got[i - 1] + 1) expect(got[i] % GOP, `frame ${got[i]} after ${got[i - 1]}`).toBe(0);
      }
    });
  });

  describe('CORS', () => {
    it('allows every origin by default and answers preflights', async () => {
      harness = await startHarness();
      const answer = await exchange(harness.origin, '/api/streams', { headers: { Origin: 'https://anywhere.example' } });
      expect(answer.headers['access-control-allow-origin']).toBe('*');
      const preflight = await exchange(harness.origin, '/live/x.flv', {
        method: 'OPTIONS',
        headers: { Origin: 'https://anywhere.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
      expect(preflight.headers['access-control-allow-methods']).toBe('GET, OPTIONS');
      expect(preflight.headers['access-control-allow-headers']).toBe('range');
      const notFound = await exchange(harness.origin, '/live/nobody.flv');
      expect(notFound.headers['access-control-allow-origin']).toBe('*');
    });

    it('serves only the allowed origins when given a list, and refuses the others, WebSockets included', async () => {
      harness = await startHarness({ allowedOrigins: ['https://studio.example'] });
      publishTags(harness.publish(), tags);
      const player = await playHttp(`${harness.origin}/live/x.flv`, { Origin: 'https://studio.example' });
      expect(player.response.statusCode).toBe(200);
      expect(player.response.headers['access-control-allow-origin']).toBe('https://studio.example');
      expect(player.response.headers.vary).toBe('Origin');
      const refused = await exchange(harness.origin, '/live/x.flv', { headers: { Origin: 'https://evil.example' } });
      expect(refused.status).toBe(403);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      const ws = `${harness.origin.replace('http', 'ws')}/live/x.flv`;
      await expect(playWs(ws, { Origin: 'https://evil.example' })).rejects.toMatchObject({ status: 403 });
      expect((await playWs(ws, { Origin: 'https://studio.example' })).ws.readyState).toBe(1);
      expect((await exchange(harness.origin, '/api/stats')).status).toBe(200); // no Origin: not a browser page
    });
  });

  describe('authorization', () => {
    it('asks authorizePlay before revealing whether a stream exists, and refuses with 403', async () => {
      const asked: PlayRequest[] = [];
      harness = await startHarness({
        authorizePlay: async (request) => {
          asked.push(request);
          return { allow: request.query.get('token') === 'secret' };
        },
      });
      publishTags(harness.publish(), tags);
      const ws = `${harness.origin.replace('http', 'ws')}/live/x.flv`;
      expect((await exchange(harness.origin, '/live/x.flv?token=wrong')).status).toBe(403);
      expect((await exchange(harness.origin, '/live/nobody.flv?token=wrong')).status).toBe(403);
      await expect(playWs(`${ws}?token=wrong`)).rejects.toMatchObject({ status: 403 });
      expect((await playHttp(`${harness.origin}/live/x.flv?token=secret`)).response.statusCode).toBe(200);
      expect((await playWs(`${ws}?token=secret`)).ws.readyState).toBe(1);
      expect(asked.map(({ app, name, protocol, remoteAddress }) => [app, name, protocol, remoteAddress])).toEqual([
        ['live', 'x', 'http-flv', '127.0.0.1'],
        ['live', 'nobody', 'http-flv', '127.0.0.1'],
        ['live', 'x', 'ws-flv', '127.0.0.1'],
        ['live', 'x', 'http-flv', '127.0.0.1'],
        ['live', 'x', 'ws-flv', '127.0.0.1'],
      ]);
    });
  });

  describe('JSON API', () => {
    it('serves per-stream stats at /api/streams and the server snapshot at /api/stats', async () => {
      harness = await startHarness();
      const stream = harness.publish();
      publishTags(stream, tags);
      const http = await playHttp(`${harness.origin}/live/x.flv`);
      const ws = await playWs(`${harness.origin.replace('http', 'ws')}/live/x.flv`);
      const expected = flv([...initTags, ...media(gopStarts[1])]);
      await expectBytes(http, expected);
      await expectBytes(ws, expected);

      const streams = await exchange(harness.origin, '/api/streams');
      expect(streams.status).toBe(200);
      expect(streams.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(streams.body)).toEqual({
        streams: [
          {
            app: 'live',
            name: 'x',
            publisher: { id: 1000, protocol: 'rtmp', remoteAddress: '127.0.0.1', since: new Date(stream.publishedAt).toISOString() },
            codecs: { video: 'H264', audio: 'AAC' },
            // The fixture's onMetaData, as ffmpeg wrote it.
            media: { width: 160, height: 120, fps: 10, audioSampleRate: 44_100, audioChannels: 1 },
            inbound: { bitsPerSecond: expect.any(Number), bytes: tags.reduce((n, tag) => n + tag.body.length, 0), packets: tags.length },
            players: { rtmp: 0, rtmps: 0, 'http-flv': 1, 'ws-flv': 1 },
            readers: [
              { id: expect.any(Number), protocol: 'http-flv', remoteAddress: '127.0.0.1', since: expect.any(String) },
              { id: expect.any(Number), protocol: 'ws-flv', remoteAddress: '127.0.0.1', since: expect.any(String) },
            ],
            outbound: { bytes: 2 * expected.length, packets: 2 * (initTags.length + media(gopStarts[1]).length + 1), packetsDropped: 0, skips: 0 },
            uptimeSeconds: expect.any(Number),
          },
        ],
      });
      expect(JSON.parse((await exchange(harness.origin, '/api/stats')).body)).toEqual({ server: 'test', streams: 1 });
    });
  });

  it('answers 500 with a JSON error when the stats snapshot fails, and keeps serving', async () => {
    harness = await startHarness({
      stats: () => {
        throw new Error('snapshot failed');
      },
    });
    const answer = await exchange(harness.origin, '/api/stats');
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body)).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'internal error' } });
    expect((await exchange(harness.origin, '/api/streams')).status).toBe(200);
  });

  describe('malformed requests', () => {
    it.each([
      ['a dot segment', '/live/../x.flv', 404, 'NOT_FOUND'],
      ['another extension', '/live/x.mp4', 404, 'NOT_FOUND'],
      ['three segments', '/a/b/c.flv', 404, 'NOT_FOUND'],
      ['an escaped dot-dot app', '/%2e%2e/x.flv', 400, 'BAD_REQUEST'],
      ['an escaped dot-dot name', '/live/%2e%2e.flv', 400, 'BAD_REQUEST'],
      ['an escaped slash', '/live/a%2Fb.flv', 400, 'BAD_REQUEST'],
      ['an escaped backslash', '/live/a%5Cb.flv', 400, 'BAD_REQUEST'],
      ['an escaped NUL', '/live/a%00b.flv', 400, 'BAD_REQUEST'],
      ['broken percent-encoding', '/live/%E0%A4%A.flv', 400, 'BAD_REQUEST'],
      ['an empty name', '/live/.flv', 400, 'BAD_REQUEST'],
      ['a 300-character name', `/live/${'n'.repeat(300)}.flv`, 400, 'BAD_REQUEST'],
      ['a 3000-character target', `/live/${'n'.repeat(3000)}.flv`, 414, 'URI_TOO_LONG'],
    ])('answers %s with %i %s', async (_, path, status, code) => {
      harness = await startHarness();
      const answer = await exchange(harness.origin, path);
      expect(answer.status).toBe(status);
      expect(JSON.parse(answer.body).error.code).toBe(code);
      expect(harness.registry.list()).toEqual([]);
    });

    it('answers 405 to other methods', async () => {
      harness = await startHarness();
      const answer = await exchange(harness.origin, '/live/x.flv', { method: 'POST' });
      expect(answer.status).toBe(405);
      expect(answer.headers.allow).toBe('GET, OPTIONS');
    });

    it('survives garbage, a relative target and a huge URL on raw sockets', async () => {
      harness = await startHarness();
      const { port } = new URL(harness.origin);
      const raw = (bytes: string) =>
        new Promise<string>((resolve) => {
          const socket = connect(Number(port), '127.0.0.1', () => socket.end(bytes));
          let answer = '';
          socket.on('data', (chunk) => (answer += chunk));
          socket.on('close', () => resolve(answer));
          socket.on('error', () => resolve(answer));
        });
      expect(await raw('GET live/x.flv HTTP/1.1\r\nHost: a\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
      expect(await raw('\x16\x03\x01\x00\xff garbage\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
      expect(await raw(`GET /live/${'x'.repeat(20000)}.flv HTTP/1.1\r\nHost: a\r\n\r\n`)).toMatch(/^HTTP\/1\.1 (431|414)/);
      expect(await raw('GET /live/x.flv HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
      expect((await exchange(harness.origin, '/api/stats')).status).toBe(200);
    });
  });

  it('closeAll ends every HTTP-FLV and WS-FLV player', { timeout: 10_000 }, async () => {
    harness = await startHarness();
    const stream = harness.publish();
    publishTags(stream, tags);
    const http = await playHttp(`${harness.origin}/live/x.flv`);
    const ws = await playWs(`${harness.origin.replace('http', 'ws')}/live/x.flv`);
    harness.service.closeAll();
    await http.ended;
    expect(await ws.closeCode).toBe(1001);
    expect(stream.readers.size).toBe(0);
    await waitFor(() => harness.service.playerCount === 0, 'players to be forgotten');
  });
});
