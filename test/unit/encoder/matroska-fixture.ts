// Small Matroska files made by the real ffmpeg for the capture tests, and the Cluster layout read from their known sizes.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** 3 s of H.264 (a keyframe each second) and Opus; live: written to a pipe, so the Segment's size is unknown. */
export async function makeMatroska(dir: string, live: boolean): Promise<Buffer> {
  const file = join(dir, live ? 'live.mkv' : 'file.mkv');
  const output = live ? ['-live', '1', '-f', 'matroska', 'pipe:1'] : ['-f', 'matroska', file];
  const { stdout } = await run(
    '/usr/bin/ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=15', '-f', 'lavfi', '-i', 'sine', '-t', '3', '-c:v', 'libx264', '-g', '15', '-c:a', 'libopus', ...output],
    { encoding: 'buffer', maxBuffer: 8 * 1024 * 1024, timeout: 20_000 },
  );
  return live ? stdout : readFileSync(file);
}

/** A Cluster's Element Data Size VINT (RFC 8794 §4) at `at`: its width and value. */
export function sizeAt(bytes: Buffer, at: number): { width: number; value: number } {
  const width = 9 - (32 - Math.clz32(bytes[at]));
  let value = bytes[at] & (0xff >> width);
  for (let i = 1; i < width; i++) value = value * 256 + bytes[at + i];
  return { width, value };
}

/** The same stream with every Cluster's size set to unknown (all ones, same width), as Chromium's MediaRecorder writes them. */
export function withUnknownClusterSizes(bytes: Buffer, clusters: readonly number[]): Buffer {
  const copy = Buffer.from(bytes);
  for (const offset of clusters) {
    const { width } = sizeAt(copy, offset + 4);
    copy[offset + 4] = 0xff >> (width - 1);
    copy.fill(0xff, offset + 5, offset + 4 + width);
  }
  return copy;
}
