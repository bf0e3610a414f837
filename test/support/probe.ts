// Reads a live stream back with ffprobe: its codecs and when its video keyframes fall.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ProbedLive {
  /** codec_name per codec_type, e.g. { video: 'h264', audio: 'aac' }. */
  codecs: Record<string, string>;
  /** Presentation times (s) of the video keyframes read. */
  keyframes: number[];
  /** Video frames read. */
  videoFrames: number;
}

interface ProbeJson {
  streams?: { codec_type: string; codec_name: string }[];
  frames?: { media_type: string; key_frame: number; pts_time?: string }[];
}

/** Reads `seconds` of `url` (rtmp://, http://…flv) and reports what it found; ffprobe's own errors reject. */
export async function probeLive(url: string, seconds: number): Promise<ProbedLive> {
  const { stdout } = await run(
    'ffprobe',
    ['-v', 'error', '-rw_timeout', '10000000', '-read_intervals', `%+${seconds}`, '-show_entries', 'stream=codec_type,codec_name:frame=media_type,key_frame,pts_time', '-of', 'json', url],
    { timeout: (seconds + 20) * 1000, maxBuffer: 64 * 1024 * 1024 },
  );
  const { streams = [], frames = [] } = JSON.parse(stdout) as ProbeJson;
  const video = frames.filter((frame) => frame.media_type === 'video');
  return {
    codecs: Object.fromEntries(streams.map((stream) => [stream.codec_type, stream.codec_name])),
    keyframes: video.filter((frame) => frame.key_frame === 1 && frame.pts_time !== undefined).map((frame) => Number(frame.pts_time)),
    videoFrames: video.length,
  };
}
