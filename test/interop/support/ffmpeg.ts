// ffmpeg and ffprobe command lines for interop tests, and parsers for what they print.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const FRAME_RATE = 25;

export interface PublishOptions {
  /** Frames between keyframes (x264 scene cuts off, so the GOP is exactly this). */
  gopFrames?: number;
  /** Stops after this many seconds; runs until killed when absent. */
  seconds?: number;
}

/** A live test pattern with a 440 Hz tone, H.264 + AAC in FLV over RTMP, paced in real time like an encoder. */
export function publishTestPattern(url: string, { gopFrames = FRAME_RATE, seconds }: PublishOptions = {}): string[] {
  return [
    'ffmpeg', '-nostdin', '-hide_banner', '-loglevel', 'level+warning',
    '-re', '-f', 'lavfi', '-i', `testsrc=size=320x240:rate=${FRAME_RATE}`,
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
    ...(seconds === undefined ? [] : ['-t', String(seconds)]),
    '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency',
    '-g', String(gopFrames), '-keyint_min', String(gopFrames), '-sc_threshold', '0',
    '-c:a', 'aac', '-b:a', '64k',
    '-f', 'flv', url,
  ];
}

/**
 * Plays `input` (any URL ffmpeg reads, or `pipe:0`), decodes `seconds` of it and prints one framemd5
 * line per decoded frame on stdout; stderr names the input streams and tags every line with its level.
 */
export function decodeToFrameMd5(input: string, seconds: number): string[] {
  return [
    'ffmpeg', '-nostdin', '-hide_banner', '-loglevel', 'level+info',
    '-i', input, '-t', String(seconds),
    '-f', 'framemd5', '-',
  ];
}

export interface InputStream {
  type: 'Video' | 'Audio' | 'Data';
  codec: string;
}

/** The input streams ffmpeg found, from its `Stream #0:N: Video: h264 (High) ...` lines before the output section. */
export function inputStreams(stderr: string): InputStream[] {
  const inputSection = stderr.split(/^\[info\] Output #0/m)[0];
  return [...inputSection.matchAll(/Stream #0:\d+[^:]*: (Video|Audio|Data): (\w+)/g)].map(([, type, codec]) => ({
    type: type as InputStream['type'],
    codec,
  }));
}

/** Decoded frames per output stream index, from framemd5 lines `index, dts, pts, duration, size, hash`. */
export function frameCounts(framemd5: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const [, index] of framemd5.matchAll(/^(\d+),/gm)) counts.set(Number(index), (counts.get(Number(index)) ?? 0) + 1);
  return counts;
}

/** Lines ffmpeg logged at error or fatal level (decode errors, corrupt data, I/O failures). */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /\[(error|fatal|panic)\]/.test(line));
}

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  nb_read_frames: string;
}

/** Decodes a whole file with ffprobe and reports each stream's codec and decoded frame count. */
export async function probeFile(path: string): Promise<{ streams: ProbedStream[]; errors: string }> {
  const { stdout, stderr } = await run(
    'ffprobe',
    ['-hide_banner', '-loglevel', 'error', '-count_frames', '-show_entries', 'stream=codec_type,codec_name,nb_read_frames', '-of', 'json', path],
    { timeout: 15_000 },
  );
  return { streams: (JSON.parse(stdout) as { streams: ProbedStream[] }).streams, errors: stderr };
}
