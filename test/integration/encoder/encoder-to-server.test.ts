// The encoder against the real MediaServer with real ffmpeg: the test pattern, MediaRecorder-like Matroska fed
// through write(), a killed ffmpeg restarted (publishing a whole AVC sequence header again from Chromium's own
// recording), and a refused publish reported as an authorization failure.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { captureToRtmpArgs } from '../../../src/encoder/args/capture-to-rtmp';
import { CaptureStream } from '../../../src/encoder/capture-stream';
import { testPatternArgs } from '../../../src/encoder/args/test-pattern';
import { resolveFfmpegPath } from '../../../src/encoder/ffmpeg-path';
import { EncoderSupervisor, type EncoderExit, type EncoderSupervisorOptions } from '../../../src/encoder/supervisor';
import type { MediaServerOptions } from '../../../src/server/media-server';
import { avcDecoderConfig } from '../../fixtures/flv/fixtures';
import { loadChromiumCapture } from '../../fixtures/matroska/fixtures';
import { InteropServer } from '../../interop/support/interop-server';
import { useRtmpHarness, type Player } from '../../support/rtmp-harness';
import { timePasses, waitFor } from '../../support/wait';

const run = promisify(execFile);
const CHUNK = 16 * 1024;

let ffmpegPath = '';
let dir = '';
let matroska = Buffer.alloc(0);
const servers: InteropServer[] = [];
const supervisors: EncoderSupervisor[] = [];
const rtmp = useRtmpHarness();

beforeAll(async () => {
  // Debian's ffmpeg unless FFMPEG_BIN says otherwise: ffmpeg-static's download is not on this machine.
  ffmpegPath = await resolveFfmpegPath(process.env, '/usr/bin/ffmpeg');
  dir = mkdtempSync(join(tmpdir(), 'airlock-encoder-'));
  // What Chromium's MediaRecorder makes: H.264 and Opus in Matroska, a keyframe every second at 30 fps.
  const file = join(dir, 'capture.mkv');
  await run(ffmpegPath, [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', '4', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-g', '30', '-c:a', 'libopus', '-f', 'matroska', file,
  ]);
  matroska = readFileSync(file);
  return () => rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.stop()));
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** A supervisor that publishes a Matroska H.264 + Opus capture to live/cam, video copied, quick to restart. */
function copyingCapture(server: InteropServer): EncoderSupervisor {
  const supervisor = new EncoderSupervisor({
    ffmpegPath,
    args: captureToRtmpArgs({ output: server.rtmpUrl('live/cam'), videoCodec: 'h264', audioCodec: 'opus', copyVideo: true, videoBitrateKbps: 500, fps: 30 }),
    initialBackoffMs: 100,
    stopGraceMs: 2000,
  });
  supervisors.push(supervisor);
  return supervisor;
}

async function startServer(options: MediaServerOptions = {}): Promise<InteropServer> {
  const server = await new InteropServer(options).start();
  servers.push(server);
  return server;
}

function supervise(args: string[], options: Partial<EncoderSupervisorOptions> = {}): EncoderSupervisor {
  const supervisor = new EncoderSupervisor({ ffmpegPath, args, initialBackoffMs: 100, stopGraceMs: 2000, ...options });
  supervisors.push(supervisor);
  supervisor.start();
  return supervisor;
}

const report = (supervisor: EncoderSupervisor) => () => `--- ffmpeg stderr\n${supervisor.stderr.join('\n')}`;

/** What the player got as AVC sequence headers (FLV VideoTagHeader CodecID 7, AVCPacketType 0), read as a decoder would. */
const avcSequenceHeaders = (player: Player) =>
  player.inbox.packets.filter(({ kind, payload }) => kind === 'video' && (payload[0] & 0x0f) === 7 && payload[1] === 0).map(({ payload }) => avcDecoderConfig(payload));

/** Feeds the Matroska file in 16 KB chunks through write(), as IPC chunks from the renderer would arrive. */
async function feed(supervisor: EncoderSupervisor): Promise<void> {
  for (let at = 0; at < matroska.length; at += CHUNK) await supervisor.write(matroska.subarray(at, at + CHUNK));
}

describe('encoder publishing to the media server', { timeout: 40_000 }, () => {
  it('publishes the test pattern as H.264 + AAC with keyframes at most 2 s apart', async () => {
    const server = await startServer();
    const url = server.rtmpUrl('live/test');
    const supervisor = supervise(testPatternArgs({ output: url, width: 320, height: 240, fps: 30, bitrateKbps: 500, tone: true }));
    const progress = once(supervisor, 'progress');
    await server.waitForMedia('live/test', 20, 15_000, report(supervisor));
    const stream = server.server.registry.get('live', 'test')!;
    expect(stream.codecs).toEqual({ video: 'H264', audio: 'AAC' });
    const { stdout } = await run('ffprobe', [
      '-v', 'error', '-rw_timeout', '10000000', '-show_frames', '-select_streams', 'v', '-read_intervals', '%+6',
      '-show_entries', 'frame=key_frame,pts_time', '-of', 'csv=p=0', url,
    ], { timeout: 20_000 });
    const keyframes = stdout.trim().split('\n').map((line) => line.split(',')).filter(([key]) => key === '1').map(([, pts]) => Number(pts));
    expect(keyframes.length, stdout).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < keyframes.length; i++) expect(keyframes[i] - keyframes[i - 1]).toBeLessThanOrEqual(2.001);
    const [snapshot] = await progress;
    expect(snapshot.frame).toBeGreaterThan(0);
  });

  it.each([
    ['stream-copies', true],
    ['re-encodes', false],
  ])('%s H.264 from MediaRecorder-like Matroska written in 16 KB chunks, Opus arriving as AAC', async (_, copyVideo) => {
    const server = await startServer();
    const supervisor = supervise(captureToRtmpArgs({ output: server.rtmpUrl('live/cam'), videoCodec: 'h264', audioCodec: 'opus', copyVideo, videoBitrateKbps: 500, fps: 30 }));
    await once(supervisor, 'start');
    const fed = feed(supervisor);
    await server.waitForMedia('live/cam', 20, 15_000, report(supervisor));
    expect(server.server.registry.get('live', 'cam')!.codecs).toEqual({ video: 'H264', audio: 'AAC' });
    await fed;
    expect(supervisor.droppedChunks).toBe(0);
  });

  it('restarts ffmpeg after it is killed and says how it died', async () => {
    const server = await startServer();
    const supervisor = supervise(testPatternArgs({ output: server.rtmpUrl('live/test'), width: 160, height: 120, fps: 15, bitrateKbps: 200, tone: true }));
    const [{ pid }] = await once(supervisor, 'start');
    await server.waitForMedia('live/test', 5, 15_000, report(supervisor));
    const restarted = once(supervisor, 'restart');
    process.kill(pid, 'SIGKILL');
    const [{ exit, attempt }] = (await restarted) as [{ exit: EncoderExit; attempt: number }];
    expect(exit).toMatchObject({ code: null, signal: 'SIGKILL', reason: { kind: 'unknown' } });
    expect(attempt).toBe(1);
    const [next] = await once(supervisor, 'start');
    expect(next.pid).not.toBe(pid);
    await server.waitForEvent('rtmp.publish', 2, 15_000, report(supervisor));
  });

  it('publishes again from the middle of a capture after ffmpeg is killed: header replayed, resumed at a cluster', async () => {
    const server = await startServer();
    const supervisor = copyingCapture(server);
    const capture = new CaptureStream(supervisor);
    const exits: EncoderExit[] = [];
    supervisor.on('restart', ({ exit }) => exits.push(exit));
    supervisor.start();
    const [{ pid }] = await once(supervisor, 'start');
    // Chunks at a pace the renderer might send them; ffmpeg is killed a third of the way in.
    const chunks = Math.ceil(matroska.length / CHUNK);
    const killAt = Math.floor(chunks / 3);
    for (let i = 0; i < chunks; i++) {
      if (i === killAt) {
        await server.waitForEvent('rtmp.publish', 1, 15_000, report(supervisor));
        process.kill(pid, 'SIGKILL');
        await once(supervisor, 'start');
      }
      await capture.write(matroska.subarray(i * CHUNK, (i + 1) * CHUNK));
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    await server.waitForEvent('rtmp.publish', 2, 15_000, report(supervisor));
    await server.waitForMedia('live/cam', 20, 15_000, report(supervisor));
    expect(server.server.registry.get('live', 'cam')!.codecs).toEqual({ video: 'H264', audio: 'AAC' });
    // Only the kill ended a run: the restarted ffmpeg read the replayed header and the clusters after it.
    expect(exits.map((exit) => exit.signal ?? exit.reason.kind)).toEqual(['SIGKILL']);
    expect(capture.droppedBytes).toBeGreaterThan(0);
  });

  it('publishes a whole AVC sequence header again after ffmpeg is killed in the middle of Chromium’s recording, whose Clusters are mostly not led by a keyframe', async () => {
    const recording = loadChromiumCapture();
    const server = await startServer();
    const supervisor = copyingCapture(server);
    const capture = new CaptureStream(supervisor);
    supervisor.start();
    const [{ pid }] = await once(supervisor, 'start');
    // About 100 ms of this recording a chunk, as MediaRecorder hands them over; ffmpeg is killed a third of the way in,
    // with an RTMP player on the stream that stays through the restart and sees each run's sequence header in turn.
    const chunk = 1200;
    const chunks = Math.ceil(recording.length / chunk);
    const killAt = Math.floor(chunks / 3);
    let player: Player | null = null;
    for (let i = 0; i < chunks; i++) {
      if (i === killAt) {
        await server.waitForMedia('live/cam', 10, 15_000, report(supervisor));
        player = await rtmp.player(server.rtmpUrl('live'), 'cam');
        const joined = player;
        await waitFor(() => avcSequenceHeaders(joined).length === 1, 'the first run’s AVC sequence header', 10_000);
        process.kill(pid, 'SIGKILL');
        await once(supervisor, 'start');
      }
      await capture.write(recording.subarray(i * chunk, (i + 1) * chunk));
      await timePasses(10);
    }
    await server.waitForEvent('rtmp.publish', 2, 15_000, report(supervisor));
    const played = player!;
    await waitFor(() => avcSequenceHeaders(played).length >= 2, `the restarted run’s AVC sequence header\n${server.report()}\n${report(supervisor)()}`, 15_000);
    // Before the fix the restarted run's record was empty: a 5-byte tag body, which mpegts.js cannot start a decoder on.
    const whole = { bodyBytes: expect.any(Number), configurationVersion: 1, spsCount: 1, spsNalType: 7 };
    expect(avcSequenceHeaders(played)).toEqual([whole, whole]);
    expect(avcSequenceHeaders(played)[1].bodyBytes).toBeGreaterThan(5);
    expect(capture.droppedBytes).toBeGreaterThan(0);
  });

  it('reports a publish the server refuses as an authorization failure', async () => {
    const server = await startServer({ authorize: (request) => (request.action === 'publish' ? { allow: false, reason: 'Not authorized to publish live/test.' } : { allow: true }) });
    const supervisor = supervise(testPatternArgs({ output: server.rtmpUrl('live/test'), width: 160, height: 120, fps: 15, bitrateKbps: 200, tone: false }), { maxRestarts: 0 });
    const [exit] = (await once(supervisor, 'failed')) as [EncoderExit];
    expect(exit.reason, exit.stderr.join('\n')).toEqual({ kind: 'authorization', line: expect.stringContaining('Not authorized to publish live/test.') });
    expect(exit.code).not.toBe(0);
  });
});
