import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { demuxAll, isEndOfSequence, isMetadata, loadFlvFixture, publishTags } from '../../fixtures/flv/fixtures';
import { startHarness, type Harness } from './harness';

const tags = demuxAll(loadFlvFixture()).filter((tag) => !isEndOfSequence(tag));
// A publisher sends onMetaData once; later passes of the fixture carry media only.
const mediaTags = tags.filter((tag) => !isMetadata(tag));
const FIXTURE_MS = 2000;

/** Runs a command to its end, killing it after `timeoutMs`. */
function run(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

let harness: Harness;
let pacer: NodeJS.Timeout | undefined;
afterEach(async () => {
  clearInterval(pacer);
  await harness?.close();
});

describe('ffmpeg as an HTTP-FLV player', () => {
  it('reads h264 and aac from /live/x.flv and decodes a second of it', { timeout: 20_000 }, async () => {
    harness = await startHarness();
    const stream = harness.publish();
    let pass = 0;
    publishTags(stream, tags);
    // A live publisher: one more pass of the fixture every half second (faster than real time is fine).
    pacer = setInterval(() => publishTags(stream, mediaTags, ++pass * FIXTURE_MS), 500);
    const { code, stderr } = await run('ffmpeg', ['-hide_banner', '-nostdin', '-i', `${harness.origin}/live/x.flv`, '-t', '1', '-f', 'null', '-'], 15_000);
    expect(stderr).toMatch(/Stream #0:\d+: Video: h264/);
    expect(stderr).toMatch(/Stream #0:\d+: Audio: aac/);
    expect(stderr).not.toMatch(/Stream #0:\d+: (Subtitle|Data)|\berror\b/i);
    expect(code).toBe(0);
  });
});
