// Test media for the bench: 720p30 H.264 + AAC at about 4 Mbit/s, generated once with ffmpeg and cached.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const TEST_MEDIA_SECONDS = 30;

/** ffmpeg arguments: a fixed 2 s GOP (keyint 60, no scene cut) so first-frame waits are comparable. */
function ffmpegArgs(output: string): string[] {
  return [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30',
    '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000',
    '-t', String(TEST_MEDIA_SECONDS),
    '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p',
    '-b:v', '3800k', '-maxrate', '4000k', '-bufsize', '2000k',
    '-g', '60', '-x264-params', 'keyint=60:min-keyint=60:scenecut=0',
    '-c:a', 'aac', '-b:a', '128k',
    '-f', 'flv', output,
  ];
}

/** Path of the cached test FLV, generating it first if needed. */
export async function ensureTestMedia(cacheDir: string): Promise<string> {
  const file = join(cacheDir, `testsrc2-720p30-4M-${TEST_MEDIA_SECONDS}s.flv`);
  if (existsSync(file)) return file;
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${file}.partial`;
  console.log(`generating test media ${file} with ffmpeg…`);
  await run('ffmpeg', ffmpegArgs(partial));
  renameSync(partial, file);
  return file;
}
