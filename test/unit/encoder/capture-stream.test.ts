// CaptureStream against a stand-in supervisor: the header kept at any split, bytes passed through while a run lives,
// and a restarted run fed the header then media from a Cluster start, which the real ffprobe reads.
import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { CaptureStream } from '../../../src/encoder/capture-stream';
import { MatroskaScanner } from '../../../src/encoder/matroska-scanner';
import type { EncoderSupervisorEvents } from '../../../src/encoder/supervisor';
import { makeMatroska, withUnknownClusterSizes } from './matroska-fixture';

const run = promisify(execFile);

/** Records what each run was given, as the supervisor's write() would hand it to one ffmpeg's stdin. */
class FakeSupervisor extends EventEmitter<EncoderSupervisorEvents> {
  readonly runs: Buffer[][] = [];
  private attempt = 0;

  startRun(): void {
    this.runs.push([]);
    this.emit('start', { pid: 1000 + this.attempt, attempt: this.attempt });
  }

  endRun(): void {
    this.attempt++;
    this.emit('restart', { exit: { code: null, signal: 'SIGKILL', reason: { kind: 'unknown', line: null }, ranMs: 1, stderr: [] }, attempt: this.attempt, delayMs: 1 });
  }

  write(chunk: Buffer): Promise<void> {
    this.runs.at(-1)!.push(Buffer.from(chunk));
    return Promise.resolve();
  }

  received(run: number): Buffer {
    return Buffer.concat(this.runs[run]);
  }
}

let capture: Buffer = Buffer.alloc(0);
let clusters: number[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-capture-'));
  capture = withUnknownClusterSizes(await makeMatroska(dir, true), []);
  const scanner = new MatroskaScanner((offset) => clusters.push(offset));
  scanner.push(capture);
  rmSync(dir, { recursive: true, force: true });
});

function attached(options = {}): { target: FakeSupervisor; stream: CaptureStream } {
  const target = new FakeSupervisor();
  return { target, stream: new CaptureStream(target, options) };
}

async function writeAll(stream: CaptureStream, pieces: Buffer[]): Promise<void> {
  for (const piece of pieces) await stream.write(piece);
}

/** The first Cluster whose whole ID arrives at or after `at`: where a run started before byte `at` resumes (the end when none does). */
const resumeFor = (at: number) => clusters.find((offset) => offset + 4 > at) ?? capture.length;

describe('CaptureStream', { timeout: 60_000 }, () => {
  it('keeps every byte before the first Cluster as the header and passes the stream through unchanged, split at every byte', async () => {
    for (let cut = 0; cut <= capture.length; cut++) {
      const { target, stream } = attached();
      target.startRun();
      await writeAll(stream, [capture.subarray(0, cut), capture.subarray(cut)]);
      if (!stream.header!.equals(capture.subarray(0, clusters[0])) || !target.received(0).equals(capture)) expect({ cut, ok: false }).toEqual({ cut, ok: true });
    }
    expect(clusters[0]).toBeGreaterThan(100);
  });

  it('feeds a restarted run the header, then the stream from the next Cluster start, even when a chunk cut the Cluster ID', async () => {
    // Every byte around each Cluster start (the ID cut at each of its bytes), and points spread over the media.
    const cuts = new Set<number>();
    for (const offset of clusters.slice(1)) for (let at = offset - 8; at <= offset + 8; at++) cuts.add(at);
    for (let at = clusters[0] + 204; at < capture.length; at += 997) cuts.add(at);
    for (const cut of cuts) {
      const { target, stream } = attached();
      target.startRun();
      await stream.write(capture.subarray(0, cut - 200));
      target.endRun();
      await stream.write(capture.subarray(cut - 200, cut));
      target.startRun();
      await writeAll(stream, [capture.subarray(cut, cut + 1), capture.subarray(cut + 1)]);
      const resume = resumeFor(cut);
      const expected = Buffer.concat([capture.subarray(0, clusters[0]), capture.subarray(resume)]);
      if (!target.received(1).equals(expected)) expect({ cut, resume, length: target.received(1).length }).toEqual({ cut, resume, length: expected.length });
      expect(target.received(0)).toEqual(capture.subarray(0, cut - 200));
      expect({ cut, resume, dropped: stream.droppedBytes }).toEqual({ cut, resume, dropped: Math.max(0, resume - (cut - 200)) });
    }
  });

  it('gives a restarted run a stream ffprobe reads as H.264 and Opus without an error', async () => {
    const { target, stream } = attached();
    target.startRun();
    const middle = Math.floor((clusters[1] + clusters[2]) / 2);
    await stream.write(capture.subarray(0, middle));
    target.endRun();
    target.startRun();
    await stream.write(capture.subarray(middle));
    const dir = mkdtempSync(join(tmpdir(), 'airlock-replay-'));
    try {
      const file = join(dir, 'replay.mkv');
      await import('node:fs/promises').then(({ writeFile }) => writeFile(file, target.received(1)));
      const { stdout, stderr } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-count_frames', '-of', 'csv=p=0', file], { timeout: 20_000 });
      expect(stderr).toBe('');
      expect(stdout.trim().split('\n')).toEqual(['h264', 'opus']);
      expect(target.received(1).subarray(clusters[0], clusters[0] + 4)).toEqual(capture.subarray(clusters[2], clusters[2] + 4));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends nothing before the first run starts, then the header seen so far and the rest of the stream', async () => {
    const { target, stream } = attached();
    await stream.write(capture.subarray(0, 50));
    target.startRun();
    await stream.write(capture.subarray(50));
    expect(target.received(0)).toEqual(capture);
    expect(stream.droppedBytes).toBe(50);
  });

  it('drops what arrives between runs', async () => {
    const { target, stream } = attached();
    target.startRun();
    await stream.write(capture.subarray(0, clusters[1]));
    target.endRun();
    await stream.write(capture.subarray(clusters[1], clusters[2]));
    expect(target.runs).toHaveLength(1);
    expect(stream.droppedBytes).toBe(clusters[2] - clusters[1]);
  });

  it('rejects a header longer than maxHeaderBytes with CAPTURE_HEADER_TOO_LARGE, and every write after it', async () => {
    const { target, stream } = attached({ maxHeaderBytes: clusters[0] - 1 });
    target.startRun();
    await expect(stream.write(capture)).rejects.toMatchObject({ code: 'CAPTURE_HEADER_TOO_LARGE' });
    await expect(stream.write(capture.subarray(0, 1))).rejects.toMatchObject({ code: 'CAPTURE_HEADER_TOO_LARGE' });
    expect(target.runs[0]).toEqual([]);
  });

  it('accepts a header of exactly maxHeaderBytes', async () => {
    const { target, stream } = attached({ maxHeaderBytes: clusters[0] });
    target.startRun();
    await stream.write(capture);
    expect(stream.header).toEqual(capture.subarray(0, clusters[0]));
  });

  it('rejects bytes that are not Matroska with CAPTURE_INVALID and sends none of them', async () => {
    const { target, stream } = attached();
    target.startRun();
    await expect(stream.write(capture.subarray(clusters[1]))).rejects.toMatchObject({ code: 'CAPTURE_INVALID' });
    expect(target.runs[0]).toEqual([]);
  });
});
