// An ffmpeg publisher feeds the server; ffmpeg players read it back over RTMP, HTTP-FLV and WS-FLV and decode it.
import { beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { expectDecodedAudioAndVideo } from './support/decode-check';
import { decodeToFrameMd5, publishTestPattern } from './support/ffmpeg';
import { useInteropServer } from './support/interop-server';

const STREAM = 'live/s';
const PLAY_SECONDS = 3;
const TEST_MS = 20_000;
// The publisher sends about 68 packets a second (25 video, 43 audio): after 50 it runs and the GOP cache holds a keyframe.
const RUNNING_PACKETS = 50;

const run = useInteropServer();
const { clients, report } = run;

beforeEach(async () => {
  clients.spawn('publisher', publishTestPattern(run.server.rtmpUrl(STREAM)));
  await run.server.waitForMedia(STREAM, RUNNING_PACKETS, 10_000, () => clients.report());
});

describe('ffmpeg publishes H.264 + AAC and ffmpeg plays it back', () => {
  it('decodes the stream played over RTMP', { timeout: TEST_MS }, async () => {
    const player = clients.spawn('rtmp player', decodeToFrameMd5(run.server.rtmpUrl(STREAM), PLAY_SECONDS));
    await expectDecodedAudioAndVideo(player, PLAY_SECONDS, report);
    expect(run.server.log.events('rtmp.play'), report()).toHaveLength(1);
  });

  it('decodes the stream played over HTTP-FLV', { timeout: TEST_MS }, async () => {
    const player = clients.spawn('http-flv player', decodeToFrameMd5(run.server.httpFlvUrl(STREAM), PLAY_SECONDS));
    await expectDecodedAudioAndVideo(player, PLAY_SECONDS, report);
  });

  // ffmpeg 5.1 has no ws:// protocol: the ws client receives the WS-FLV messages and ffmpeg decodes their bytes from stdin.
  it('decodes the FLV bytes of the stream played over WS-FLV', { timeout: TEST_MS }, async () => {
    const player = clients.spawn('ws-flv decoder', decodeToFrameMd5('pipe:0', PLAY_SECONDS), { stdin: 'pipe' });
    const stdin = player.stdin!;
    const socket = new WebSocket(run.server.wsFlvUrl(STREAM));
    socket.binaryType = 'nodebuffer';
    socket.on('message', (bytes: Buffer) => stdin.write(bytes));
    // A refused or dropped WebSocket ends ffmpeg's input, so the player fails at once with the reason in its log.
    socket.on('error', (error) => {
      player.note(`websocket error: ${error.message}`);
      stdin.end();
    });
    socket.on('close', () => stdin.end());
    stdin.on('error', () => socket.terminate()); // ffmpeg stops reading after PLAY_SECONDS
    try {
      await expectDecodedAudioAndVideo(player, PLAY_SECONDS, report);
    } finally {
      socket.terminate();
    }
  });
});
