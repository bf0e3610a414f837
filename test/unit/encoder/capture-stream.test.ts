// CaptureStream against a stand-in supervisor: the header kept at any split, bytes passed through while a run lives,
// and every run, the first like a restarted one, fed the header then media from a Cluster led by a video keyframe, which
// the real ffmpeg, probing as the encoder does, turns into FLV with a whole AVC sequence header.
import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureToRtmpArgs } from '../../../src/encoder/args/capture-to-rtmp';
import { CaptureStream } from '../../../src/encoder/capture-stream';
import { MatroskaScanner } from '../../../src/encoder/matroska-scanner';
import type { EncoderSupervisorEvents } from '../../../src/encoder/supervisor';
import { avcDecoderConfig, demuxAll, isAvcSequenceHeader } from '../../fixtures/flv/fixtures';
import { loadChromiumCapture } from '../../fixtures/matroska/fixtures';
import {
  cluster,
  isKeyLed,
  makeMatroska,
  matroskaLayout,
  resumedMedia,
  simpleBlock,
  sizeAt,
  synthetic,
  withUnknownClusterSizes,
  type ClusterLayout,
  type MatroskaLayout,
} from './matroska-fixture';

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
let audioOnly: Buffer = Buffer.alloc(0);
const chromium = loadChromiumCapture();

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-capture-'));
  const live = await makeMatroska(dir, true);
  const scanner = new MatroskaScanner((offset) => clusters.push(offset));
  scanner.push(live);
  capture = withUnknownClusterSizes(live, clusters);
  audioOnly = await makeMatroska(dir, true, 'audio');
  rmSync(dir, { recursive: true, force: true });
});

function attached(options = {}): { target: FakeSupervisor; stream: CaptureStream } {
  const target = new FakeSupervisor();
  return { target, stream: new CaptureStream(target, options) };
}

async function writeAll(stream: CaptureStream, pieces: Buffer[]): Promise<void> {
  for (const piece of pieces) await stream.write(piece);
}

/** The first Cluster led by a video keyframe whose whole ID arrives at or after `at`: where a run started before byte `at` resumes. */
function resumeFor(layout: MatroskaLayout, at: number): ClusterLayout | undefined {
  return layout.clusters.find((cluster) => cluster.offset + 4 > at && isKeyLed(cluster, layout.videoTrack));
}

/** What a run that restarts while byte `cut` is next gets: the header, then the media from where it resumes. */
function expectedRestart(bytes: Buffer, layout: MatroskaLayout, cut: number): { resume: number; received: Buffer } {
  const header = bytes.subarray(0, layout.clusters[0].offset);
  const cluster = resumeFor(layout, cut);
  return { resume: cluster?.offset ?? bytes.length, received: cluster === undefined ? header : Buffer.concat([header, resumedMedia(bytes, cluster)]) };
}

/**
 * What the first run gets of the stream's first `n` bytes: nothing until the first Cluster's ID ends the header, the
 * header until that Cluster's first video block, then that Cluster on, other tracks' blocks ahead of that block as Void.
 */
function expectedFirstRun(bytes: Buffer, layout: MatroskaLayout, n: number): Buffer {
  const [first] = layout.clusters;
  if (n < first.offset + 4) return Buffer.alloc(0);
  if (n <= first.blocks.find((block) => block.kind !== 'other')!.offset) return bytes.subarray(0, first.offset);
  return Buffer.concat([bytes.subarray(0, first.offset), resumedMedia(bytes, first)]).subarray(0, n);
}

/** Chromium's recording as a live microphone would start it: its first Opus packet (8 bytes of silence) swapped for a later, bigger one. */
function withLoudFirstPacket(bytes: Buffer): Buffer {
  const layout = matroskaLayout(bytes);
  const dataAt = (offset: number) => offset + 1 + sizeAt(bytes, offset + 1).width;
  const endOf = (offset: number) => dataAt(offset) + sizeAt(bytes, offset + 1).value;
  const [quiet] = layout.clusters[0].blocks;
  const loud = layout.clusters.flatMap((c) => c.blocks).find((block) => block.kind === 'other' && endOf(block.offset) - block.offset > 64)!;
  const packet = Buffer.from(bytes.subarray(loud.offset, endOf(loud.offset)));
  // The quiet packet's track, timestamp and flags, so the loud one takes its place in time too.
  bytes.copy(packet, dataAt(loud.offset) - loud.offset, dataAt(quiet.offset), dataAt(quiet.offset) + 4);
  return Buffer.concat([bytes.subarray(0, quiet.offset), packet, bytes.subarray(endOf(quiet.offset))]);
}

/**
 * Run 0 reads up to cut - 200 and dies; 200 bytes arrive between runs; run 1 starts at `cut` and gets the next
 * 2000 bytes in pieces of `piece` bytes (so a Cluster waiting for its first video block spans chunks), then the rest.
 */
async function restartAt(bytes: Buffer, cut: number, piece: number, options = {}): Promise<{ target: FakeSupervisor; stream: CaptureStream }> {
  const { target, stream } = attached(options);
  target.startRun();
  await stream.write(bytes.subarray(0, cut - 200));
  target.endRun();
  await stream.write(bytes.subarray(cut - 200, cut));
  target.startRun();
  let at = cut;
  for (; at < Math.min(cut + 2000, bytes.length); at += piece) await stream.write(bytes.subarray(at, at + piece));
  await stream.write(bytes.subarray(at));
  return { target, stream };
}

/** The first AVC sequence header ffmpeg writes for `matroska`, run with the encoder's own input options (-probesize 32…), FLV to a file. */
async function firstAvcSequenceHeader(matroska: Buffer): Promise<ReturnType<typeof avcDecoderConfig>> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-restart-'));
  try {
    writeFileSync(join(dir, 'in.mkv'), matroska);
    const args = captureToRtmpArgs({ input: join(dir, 'in.mkv'), output: 'rtmp://127.0.0.1/live/unused', videoCodec: 'h264', audioCodec: 'opus', copyVideo: true, videoBitrateKbps: 500, fps: 30 });
    await run('ffmpeg', [...args.slice(0, -1), join(dir, 'out.flv')], { timeout: 20_000 });
    const header = demuxAll(readFileSync(join(dir, 'out.flv'))).find(isAvcSequenceHeader);
    return avcDecoderConfig(header!.body);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What a player needs of the AVC sequence header, and what ffmpeg writes when it probed no keyframe: the 5-byte tag header alone. */
const WHOLE_RECORD = { bodyBytes: expect.any(Number), configurationVersion: 1, spsCount: 1, spsNalType: 7 };
const EMPTY_RECORD = { bodyBytes: 5, configurationVersion: null, spsCount: null, spsNalType: null };

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

  it.each([
    ['ffmpeg’s', () => capture],
    ['Chromium’s', () => chromium],
  ])('feeds a restarted run the header, then %s stream from the next Cluster led by a video keyframe, other tracks’ blocks ahead of it as Void, however chunks cut it', async (_, recording) => {
    const bytes = recording();
    const layout = matroskaLayout(bytes);
    // Every byte around each Cluster start and each block start of a keyframe's Cluster, and points spread over the media.
    const cuts = new Set<number>();
    for (const cluster of layout.clusters.slice(1)) for (let at = cluster.offset - 8; at <= cluster.offset + 8; at++) cuts.add(at);
    for (const cluster of layout.clusters.slice(1).filter((c) => isKeyLed(c, layout.videoTrack))) for (const block of cluster.blocks.slice(0, 3)) for (let at = block.offset - 4; at <= block.offset + 8; at++) cuts.add(at);
    for (let at = layout.clusters[0].offset + 204; at < bytes.length; at += 997) cuts.add(at);
    for (const cut of cuts) {
      for (const piece of [1 + (cut % 29), 4096]) {
        const { target, stream } = await restartAt(bytes, cut, piece);
        const { resume, received } = expectedRestart(bytes, layout, cut);
        if (!target.received(1).equals(received)) expect({ cut, piece, resume, length: target.received(1).length }).toEqual({ cut, piece, resume, length: received.length });
        // Buffer.equals: vitest's deep equality walks a Buffer byte by byte, far too slowly for a thousand restarts.
        const firstRun = expectedFirstRun(bytes, layout, cut - 200);
        expect({ cut, piece, firstRunIntact: target.received(0).equals(firstRun) }).toEqual({ cut, piece, firstRunIntact: true });
        // Run 0 was given the stream up to cut - 200, or only the header's bytes, which every run gets.
        const given = Math.max(layout.clusters[0].offset, firstRun.length);
        expect({ cut, piece, dropped: stream.droppedBytes }).toEqual({ cut, piece, dropped: Math.max(0, resume - given) });
      }
    }
  });

  it('passes by Clusters of Chromium’s recording led by a non-key frame or holding audio alone, and voids audio ahead of a keyframe', () => {
    const layout = matroskaLayout(chromium);
    const [, ...later] = layout.clusters;
    const audioLed = later.find((cluster) => cluster.blocks[0].kind === 'other' && cluster.blocks[1]?.kind === 'key')!;
    const before = layout.clusters[layout.clusters.indexOf(audioLed) - 3];
    expect(resumeFor(layout, before.offset + 4)).toBe(audioLed);
    expect(resumedMedia(chromium, audioLed)[audioLed.blocks[0].offset - audioLed.offset]).toBe(0xec);
    expect(layout.clusters.slice(layout.clusters.indexOf(before) + 1, layout.clusters.indexOf(audioLed)).every((c) => !isKeyLed(c, layout.videoTrack))).toBe(true);
  });

  it('gives each restarted run a stream for which ffmpeg, probing as the encoder does, writes a whole AVC sequence header', async () => {
    const layout = matroskaLayout(chromium);
    const keyLed = layout.clusters.slice(1).filter((cluster) => isKeyLed(cluster, layout.videoTrack));
    expect(keyLed.length).toBeGreaterThanOrEqual(3);
    for (const cluster of keyLed) {
      const { target } = await restartAt(chromium, cluster.offset - 300, 2500);
      expect({ cluster: cluster.offset, header: await firstAvcSequenceHeader(target.received(1)) }).toEqual({ cluster: cluster.offset, header: WHOLE_RECORD });
    }
    // The header then a Cluster led by a non-key frame, or by audio ahead of the keyframe: ffmpeg writes an empty record.
    const header = chromium.subarray(0, layout.clusters[0].offset);
    const deltaLed = layout.clusters.find((cluster) => cluster.blocks.find((block) => block.kind !== 'other')?.kind === 'delta')!;
    const audioLed = keyLed.find((cluster) => cluster.blocks[0].kind === 'other')!;
    expect(await firstAvcSequenceHeader(Buffer.concat([header, chromium.subarray(deltaLed.offset)]))).toEqual(EMPTY_RECORD);
    expect(await firstAvcSequenceHeader(Buffer.concat([header, chromium.subarray(audioLed.offset)]))).toEqual(EMPTY_RECORD);
  });

  it('gives the first run the header once whole, then the first Cluster once its keyframe shows, an audio block bigger than ffmpeg’s 32-byte probe ahead of it as Void, however chunks cut it', async () => {
    const bytes = synthetic(2, [cluster([simpleBlock(1, true, 64), simpleBlock(2, true), simpleBlock(1, true)]), cluster([simpleBlock(2, false), simpleBlock(1, true)])]);
    const layout = matroskaLayout(bytes);
    const [audio, key] = layout.clusters[0].blocks;
    expect([audio.kind, key.kind]).toEqual(['other', 'key']);
    expect(key.offset - audio.offset).toBeGreaterThan(32);
    const expected = Buffer.from(bytes);
    expected[audio.offset] = 0xec;
    for (let piece = 1; piece <= bytes.length; piece++) {
      const { target, stream } = attached();
      target.startRun();
      await stream.write(bytes.subarray(0, layout.clusters[0].offset + 3));
      expect({ piece, beforeHeader: target.runs[0].length }).toEqual({ piece, beforeHeader: 0 });
      await stream.write(bytes.subarray(layout.clusters[0].offset + 3, key.offset));
      expect({ piece, beforeKey: target.received(0).equals(bytes.subarray(0, layout.clusters[0].offset)) }).toEqual({ piece, beforeKey: true });
      for (let at = key.offset; at < bytes.length; at += piece) await stream.write(bytes.subarray(at, at + piece));
      expect({ piece, received: target.received(0).toString('hex') }).toEqual({ piece, received: expected.toString('hex') });
      expect({ piece, dropped: stream.droppedBytes }).toEqual({ piece, dropped: 0 });
    }
  });

  it('gives the first run a stream for which ffmpeg, probing as the encoder does, writes a whole AVC sequence header though the first audio packet outgrows the probe', async () => {
    const bytes = withLoudFirstPacket(chromium);
    const [audio, key] = matroskaLayout(bytes).clusters[0].blocks;
    expect([audio.kind, key.kind]).toEqual(['other', 'key']);
    expect(key.offset - audio.offset).toBeGreaterThan(64);
    const { target, stream } = attached();
    target.startRun();
    for (let at = 0; at < bytes.length; at += 1200) await stream.write(bytes.subarray(at, at + 1200));
    expect(await firstAvcSequenceHeader(target.received(0))).toEqual(WHOLE_RECORD);
    // The stream from byte 0, as the first run had it before: ffmpeg probes the audio packet alone.
    expect(await firstAvcSequenceHeader(bytes)).toEqual(EMPTY_RECORD);
  });

  it('gives a restarted run a stream ffprobe reads as H.264 and Opus without an error', async () => {
    const layout = matroskaLayout(chromium);
    const { target } = await restartAt(chromium, layout.clusters[3].offset, 2500);
    const dir = mkdtempSync(join(tmpdir(), 'airlock-replay-'));
    try {
      const file = join(dir, 'replay.mkv');
      writeFileSync(file, target.received(1));
      const { stdout, stderr } = await run('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_name', '-count_frames', '-of', 'csv=p=0', file], { timeout: 20_000 });
      expect(stderr).toBe('');
      expect(stdout.trim().split('\n').sort()).toEqual(['h264', 'opus']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resumes a capture without a video track at the very next Cluster', async () => {
    const layout = matroskaLayout(audioOnly);
    expect(layout.videoTrack).toBeNull();
    const cut = layout.clusters[2].offset - 50;
    const { target } = await restartAt(audioOnly, cut, 7);
    const next = layout.clusters.find((cluster) => cluster.offset + 4 > cut)!;
    expect(target.received(1)).toEqual(Buffer.concat([audioOnly.subarray(0, layout.clusters[0].offset), audioOnly.subarray(next.offset)]));
  });

  it('gives up a Cluster whose first video block has not come within maxHeldBytes, and resumes at a later one', async () => {
    const layout = matroskaLayout(chromium);
    const audioLed = layout.clusters.slice(1).find((cluster) => cluster.blocks[0].kind === 'other' && cluster.blocks[1]?.kind === 'key')!;
    const keyFirst = layout.clusters.find((cluster) => cluster.offset > audioLed.offset && cluster.blocks[0].kind === 'key')!;
    expect(audioLed.blocks[1].offset - audioLed.offset).toBeGreaterThan(64);
    const { target, stream } = await restartAt(chromium, audioLed.offset - 100, 16, { maxHeldBytes: 64 });
    const header = chromium.subarray(0, layout.clusters[0].offset);
    expect(target.received(1)).toEqual(Buffer.concat([header, chromium.subarray(keyFirst.offset)]));
    expect(stream.droppedBytes).toBe(keyFirst.offset - (audioLed.offset - 300));
  });

  it('starts afresh a run that ends while a Cluster was held for its first video block', async () => {
    const layout = matroskaLayout(chromium);
    const audioLed = layout.clusters.slice(1).find((cluster) => cluster.blocks[0].kind === 'other' && cluster.blocks[1]?.kind === 'key')!;
    const { target, stream } = attached();
    target.startRun();
    await stream.write(chromium.subarray(0, audioLed.offset - 10));
    target.endRun();
    target.startRun();
    await stream.write(chromium.subarray(audioLed.offset - 10, audioLed.offset + 20));
    target.endRun();
    target.startRun();
    await stream.write(chromium.subarray(audioLed.offset + 20));
    const { received } = expectedRestart(chromium, layout, audioLed.offset + 20);
    expect(target.runs[1]).toEqual([chromium.subarray(0, layout.clusters[0].offset)]);
    expect(target.received(2)).toEqual(received);
  });

  it('sends nothing before the first run starts, then the header and the rest of the stream, none of it counted as dropped', async () => {
    const { target, stream } = attached();
    await stream.write(capture.subarray(0, 50));
    target.startRun();
    await stream.write(capture.subarray(50));
    expect(target.received(0)).toEqual(capture);
    expect(stream.droppedBytes).toBe(0);
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
