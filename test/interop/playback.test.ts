// An ffmpeg publisher feeds the server; ffmpeg players read it back over RTMP, HTTP-FLV and WS-FLV and decode it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ClientPool } from './support/client-process';
import type { ClientProcess } from './support/client-process';
import { FRAME_RATE, decodeToFrameMd5, errorLines, frameCounts, inputStreams, publishTestPattern } from './support/ffmpeg';
import { InteropServer } from './support/interop-server';

const STREAM = 'live/s';
const PLAY_SECONDS = 3;
const TEST_MS = 20_000;
// A publisher at 25 fps sends about 2 packets per 40 ms: 50 packets means it runs and the GOP cache holds a keyframe.
const RUNNING_PACKETS = 50;

let server: InteropServer;
const clients = new ClientPool();

beforeEach(async () => {
  server = await new InteropServer().start();
  clients.spawn('publisher', publishTestPattern(server.rtmpUrl(STREAM)));
  await server.waitForMedia(STREAM, RUNNING_PACKETS, 10_000, () => clients.report());
});

afterEach(async () => {
  await clients.killAll();
  await server.stop();
});

const report = (): string => `${clients.report()}\n${server.report()}`;

/** Asserts the player decoded PLAY_SECONDS of H.264 video and AAC audio without a single error. */
async function expectDecodedAudioAndVideo(player: ClientProcess): Promise<void> {
  const exit = await player.waitForExit(PLAY_SECONDS * 1000 + 8000);
  expect(exit.code, report()).toBe(0);
  expect(inputStreams(player.stderr).filter((stream) => stream.type !== 'Data'), report()).toEqual([
    { type: 'Video', codec: 'h264' },
    { type: 'Audio', codec: 'aac' },
  ]);
  expect(errorLines(player.stderr), report()).toEqual([]);
  const counts = frameCounts(player.stdout);
  // -t cuts the output at PLAY_SECONDS: 75 video frames, give or take the first and last.
  expect(counts.get(0), report()).toBeGreaterThanOrEqual(PLAY_SECONDS * FRAME_RATE - 3);
  expect(counts.get(0), report()).toBeLessThanOrEqual(PLAY_SECONDS * FRAME_RATE + 1);
  // AAC frames carry 1024 samples at 44.1 kHz: about 43 a second.
  expect(counts.get(1), report()).toBeGreaterThanOrEqual(PLAY_SECONDS * 40);
}

describe('ffmpeg publishes H.264 + AAC and ffmpeg plays it back', () => {
  it('decodes the stream played over RTMP', { timeout: TEST_MS }, async () => {
    const player = clients.spawn('rtmp player', decodeToFrameMd5(server.rtmpUrl(STREAM), PLAY_SECONDS));
    await expectDecodedAudioAndVideo(player);
    expect(server.log.events('rtmp.play'), report()).toHaveLength(1);
  });

  it('decodes the stream played over HTTP-FLV', { timeout: TEST_MS }, async () => {
    const player = clients.spawn('http-flv player', decodeToFrameMd5(server.httpFlvUrl(STREAM), PLAY_SECONDS));
    await expectDecodedAudioAndVideo(player);
  });

  // ffmpeg 5.1 has no ws:// protocol: the ws client receives the WS-FLV messages and ffmpeg decodes their bytes from stdin.
  it('decodes the FLV bytes of the stream played over WS-FLV', { timeout: TEST_MS }, async () => {
    const player = clients.spawn('ws-flv decoder', decodeToFrameMd5('pipe:0', PLAY_SECONDS), { stdin: 'pipe' });
    const stdin = player.stdin!;
    const socket = new WebSocket(server.wsFlvUrl(STREAM));
    socket.binaryType = 'nodebuffer';
    socket.on('message', (bytes: Buffer) => stdin.write(bytes));
    stdin.on('error', () => socket.terminate()); // ffmpeg stops reading after PLAY_SECONDS
    try {
      await expectDecodedAudioAndVideo(player);
    } finally {
      socket.terminate();
    }
  });
});
