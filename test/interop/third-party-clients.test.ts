// Clients that share no code with ffmpeg's RTMP: rtmpdump (librtmp) and GStreamer's rtmp2src/rtmp2sink.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectDecodedAudioAndVideo } from './support/decode-check';
import { decodeToFrameMd5, probeFile, publishTestPattern } from './support/ffmpeg';
import { useInteropServer } from './support/interop-server';

const TEST_MS = 25_000;
// About 68 packets a second (25 video, 43 audio): after 50 the stream runs and the GOP cache holds a keyframe.
const RUNNING_PACKETS = 50;
const RECORD_MS = 3000;

const run = useInteropServer();
const { clients, report } = run;
let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'airlock-interop-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function publishWithFfmpeg(path: string): Promise<void> {
  clients.spawn('ffmpeg publisher', publishTestPattern(run.server.rtmpUrl(path)));
  await run.server.waitForMedia(path, RUNNING_PACKETS, 10_000, () => clients.report());
}

/** Each decoded buffer a `fakesink name=NAME silent=false` saw, from gst-launch -v's last-message notifications. */
function buffersAt(sink: string, stdout: string): number {
  return stdout.split('\n').filter((line) => line.includes(`GstFakeSink:${sink}: last-message = chain`)).length;
}

describe('rtmpdump (librtmp) as a player', () => {
  it('records a live stream that ffprobe decodes as H.264 + AAC', { timeout: TEST_MS }, async () => {
    await publishWithFfmpeg('live/s');
    const output = join(directory, 'rtmpdump.flv');
    // librtmp turns --stop into play's duration argument: the server ends the play (NetStream.Play.Stop) by itself.
    const rtmpdump = clients.spawn('rtmpdump', ['rtmpdump', '--live', '--stop', String(RECORD_MS / 1000), '-r', run.server.rtmpUrl('live/s'), '-o', output]);
    const started = performance.now();
    await rtmpdump.waitForExit(RECORD_MS + 5000);
    expect(performance.now() - started, report()).toBeLessThan(RECORD_MS + 4000);
    expect(rtmpdump.stderr, report()).not.toMatch(/ERROR/);

    const { streams, errors } = await probeFile(output);
    expect(errors, report()).toBe('');
    const video = streams.find((stream) => stream.codec_type === 'video');
    const audio = streams.find((stream) => stream.codec_type === 'audio');
    expect(video?.codec_name, report()).toBe('h264');
    expect(audio?.codec_name, report()).toBe('aac');
    // RECORD_MS of 25 fps video and 43 AAC frames a second come on top of the cached GOP; 80% of that leaves room for a busy machine.
    expect(Number(video?.nb_read_frames), report()).toBeGreaterThanOrEqual((RECORD_MS / 1000) * 25 * 0.8);
    expect(Number(audio?.nb_read_frames), report()).toBeGreaterThanOrEqual((RECORD_MS / 1000) * 43 * 0.8);
  });
});

describe('GStreamer rtmp2src as a player', () => {
  // rtmp2src drops media that arrives on message stream 0: decoding anything proves the server uses the createStream id.
  it('decodes H.264 video and AAC audio from a live stream', { timeout: TEST_MS }, async () => {
    await publishWithFfmpeg('live/s');
    const tags = 250; // about 3.5 s of FLV tags, then rtmp2src sends EOS
    const gst = clients.spawn('gst-launch rtmp2src', [
      'gst-launch-1.0', '-v',
      'rtmp2src', `location=${run.server.rtmpUrl('live/s')}`, `num-buffers=${tags}`, '!', 'flvdemux', 'name=demux',
      'demux.video', '!', 'queue', '!', 'h264parse', '!', 'avdec_h264', '!', 'fakesink', 'name=video', 'silent=false', 'sync=false',
      'demux.audio', '!', 'queue', '!', 'aacparse', '!', 'avdec_aac', '!', 'fakesink', 'name=audio', 'silent=false', 'sync=false',
    ]);
    const exit = await gst.waitForExit(15_000);
    expect(exit.code, report()).toBe(0);
    expect(gst.stdout, report()).toContain('Got EOS from element "pipeline0"');
    expect(buffersAt('video', gst.stdout), report()).toBeGreaterThanOrEqual(60);
    expect(buffersAt('audio', gst.stdout), report()).toBeGreaterThanOrEqual(100);
  });
});

describe('GStreamer rtmp2sink as a publisher', () => {
  // No x264enc in Debian's GStreamer: OpenH264 encodes the video, voaacenc the audio.
  it('publishes H.264 + AAC that an ffmpeg player decodes', { timeout: TEST_MS }, async () => {
    const seconds = 8; // enough for the player below to read 2 s after the stream is running
    clients.spawn('gst-launch rtmp2sink', [
      'gst-launch-1.0', '-e',
      'videotestsrc', 'is-live=true', `num-buffers=${seconds * 25}`, '!', 'video/x-raw,width=320,height=240,framerate=25/1', '!',
      'openh264enc', 'gop-size=25', '!', 'h264parse', '!', 'flvmux', 'streamable=true', 'name=mux', '!',
      'rtmp2sink', `location=${run.server.rtmpUrl('live/g')}`,
      'audiotestsrc', 'is-live=true', 'freq=440', '!', 'audio/x-raw,rate=44100,channels=1', '!', 'voaacenc', '!', 'aacparse', '!', 'mux.',
    ]);
    await run.server.waitForMedia('live/g', RUNNING_PACKETS, 10_000, () => clients.report());
    expect(run.server.log.events('rtmp.publish')[0]?.fields.stream, report()).toBe('live/g');
    const player = clients.spawn('ffmpeg player', decodeToFrameMd5(run.server.rtmpUrl('live/g'), 2));
    await expectDecodedAudioAndVideo(player, 2, report);
  });
});
