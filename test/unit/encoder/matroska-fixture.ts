// Small Matroska files made by the real ffmpeg for the capture tests, and the Cluster layout read from their known sizes.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** 3 s of H.264 (a keyframe each second) and Opus, or of Opus alone; live: written to a pipe, so the Segment's size is unknown. */
export async function makeMatroska(dir: string, live: boolean, tracks: 'video+audio' | 'audio' = 'video+audio'): Promise<Buffer> {
  const file = join(dir, `${live ? 'live' : 'file'}-${tracks}.mkv`);
  const output = live ? ['-live', '1', '-f', 'matroska', 'pipe:1'] : ['-f', 'matroska', file];
  const video = tracks === 'audio' ? [] : ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=15'];
  const videoCodec = tracks === 'audio' ? [] : ['-c:v', 'libx264', '-g', '15'];
  const { stdout } = await run(
    '/usr/bin/ffmpeg',
    ['-hide_banner', '-loglevel', 'error', '-y', ...video, '-f', 'lavfi', '-i', 'sine', '-t', '3', ...videoCodec, '-c:a', 'libopus', ...output],
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

/** A block as a reader starting at its Cluster sees it (the scanner's BlockKind, worked out here independently). */
export interface BlockLayout {
  offset: number;
  kind: 'key' | 'delta' | 'other';
}

export interface ClusterLayout {
  offset: number;
  blocks: BlockLayout[];
}

/** What a whole Matroska file holds, read with random access as a check on the push scanner: the video track and each Cluster's blocks. */
export interface MatroskaLayout {
  videoTrack: number | null;
  clusters: ClusterLayout[];
}

// IDs (RFC 8794, RFC 9559) the layout reader needs.
const ID = { segment: 0x18538067, tracks: 0x1654ae6b, trackEntry: 0xae, trackNumber: 0xd7, trackType: 0x83, cluster: 0x1f43b675, simpleBlock: 0xa3, blockGroup: 0xa0, block: 0xa1, referenceBlock: 0xfb };

/** An element header at `at`: its ID (marker kept), its data's start, and its data's end (the buffer's end when unknown-sized). */
function header(bytes: Buffer, at: number): { id: number; data: number; end: number; unknown: boolean } {
  const idWidth = 9 - (32 - Math.clz32(bytes[at]));
  const id = bytes.readUIntBE(at, idWidth);
  const { width, value } = sizeAt(bytes, at + idWidth);
  const data = at + idWidth + width;
  const unknown = value === 2 ** (7 * width) - 1;
  return { id, data, end: unknown ? bytes.length : data + value, unknown };
}

/**
 * The children of the element whose data spans [from, to). An unknown-sized Cluster ends where the next Cluster ID
 * appears (the fixtures hold none inside a frame).
 */
function* children(bytes: Buffer, from: number, to: number): Generator<{ at: number; id: number; data: number; end: number }> {
  for (let at = from; at < to; ) {
    const element = header(bytes, at);
    const end = element.unknown && element.id === ID.cluster ? nextCluster(bytes, element.data) : element.end;
    yield { at, id: element.id, data: element.data, end };
    at = end;
  }
}

export function matroskaLayout(bytes: Buffer): MatroskaLayout {
  const layout: MatroskaLayout = { videoTrack: null, clusters: [] };
  const segment = [...children(bytes, 0, bytes.length)].find((element) => element.id === ID.segment)!;
  for (const element of children(bytes, segment.data, segment.end)) {
    if (element.id === ID.tracks) {
      // Only TrackEntry children: Tracks also holds a CRC-32 (ffmpeg writes one), whose 4 bytes are no elements.
      for (const entry of children(bytes, element.data, element.end)) {
        if (entry.id !== ID.trackEntry) continue;
        const fields = [...children(bytes, entry.data, entry.end)];
        const uint = (id: number) => fields.filter((field) => field.id === id).map((field) => bytes.readUIntBE(field.data, field.end - field.data))[0];
        if (uint(ID.trackType) === 1 && layout.videoTrack === null) layout.videoTrack = uint(ID.trackNumber);
      }
    }
    if (element.id !== ID.cluster) continue;
    const cluster: ClusterLayout = { offset: element.at, blocks: [] };
    for (const child of children(bytes, element.data, element.end)) {
      if (child.id === ID.simpleBlock) cluster.blocks.push({ offset: child.at, kind: blockKind(bytes, child.data, layout.videoTrack, (blockFlags(bytes, child.data) & 0x80) !== 0) });
      if (child.id !== ID.blockGroup) continue;
      const parts = [...children(bytes, child.data, child.end)];
      const block = parts.find((part) => part.id === ID.block)!;
      cluster.blocks.push({ offset: child.at, kind: blockKind(bytes, block.data, layout.videoTrack, !parts.some((part) => part.id === ID.referenceBlock)) });
    }
    layout.clusters.push(cluster);
  }
  return layout;
}

const nextCluster = (bytes: Buffer, from: number): number => {
  const next = bytes.indexOf(Buffer.of(0x1f, 0x43, 0xb6, 0x75), from);
  return next < 0 ? bytes.length : next;
};

const blockFlags = (bytes: Buffer, data: number): number => bytes[data + sizeAt(bytes, data).width + 2];

function blockKind(bytes: Buffer, data: number, videoTrack: number | null, keyframe: boolean): BlockLayout['kind'] {
  if (sizeAt(bytes, data).value !== videoTrack) return 'other';
  return keyframe ? 'key' : 'delta';
}

/** Where a reader may start: the Cluster's first video block is a keyframe (any Cluster without a video track). */
export const isKeyLed = (cluster: ClusterLayout, videoTrack: number | null): boolean =>
  videoTrack === null || cluster.blocks.find((block) => block.kind !== 'other')?.kind === 'key';

/** The bytes a run resuming at `cluster` gets after the header: the stream from there, the blocks ahead of its first video block as Void (0xEC). */
export function resumedMedia(bytes: Buffer, cluster: ClusterLayout): Buffer {
  const media = Buffer.from(bytes.subarray(cluster.offset));
  for (const block of cluster.blocks) {
    if (block.kind !== 'other') break;
    media[block.offset - cluster.offset] = 0xec;
  }
  return media;
}

/** An EBML element (RFC 8794): its ID bytes, its size as an 8-byte VINT (all ones when 'unknown'), then its data. */
export function ebml(id: number, data: Buffer | Buffer[], size: 'known' | 'unknown' = 'known'): Buffer {
  const body = Array.isArray(data) ? Buffer.concat(data) : data;
  const idBytes = Buffer.alloc(4);
  idBytes.writeUInt32BE(id);
  const vint = size === 'unknown' ? Buffer.of(0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff) : Buffer.of(0x01, 0, 0, 0, 0, 0, 0, 0);
  if (size === 'known') vint.writeUIntBE(body.length, 2, 6);
  return Buffer.concat([idBytes.subarray(idBytes.findIndex((byte) => byte !== 0)), vint, body]);
}

/** A SimpleBlock or Block body (RFC 9559 §10): the track number as a VINT, timestamp 0, flags, then `frameBytes` frame bytes. */
export function blockBody(track: number, flags: number, frameBytes = 6): Buffer {
  const number = track < 0x7f ? Buffer.of(0x80 | track) : Buffer.of(0x40 | (track >> 8), track & 0xff);
  return Buffer.concat([number, Buffer.of(0, 0, flags), Buffer.alloc(frameBytes, 0x55)]);
}

/** A Matroska stream from its parts: EBML header, then an unknown-sized Segment holding Tracks (audio 1, video `videoTrack`) and `clusters`. */
export function synthetic(videoTrack: number | null, clusters: Buffer[]): Buffer {
  const uint = (id: number, value: number) => ebml(id, Buffer.of(value));
  const entry = (number: number, type: number) => ebml(ID.trackEntry, [ebml(ID.trackNumber, number > 0xff ? Buffer.of(number >> 8, number & 0xff) : Buffer.of(number)), uint(ID.trackType, type)]);
  const tracks = ebml(ID.tracks, [entry(1, 2), ...(videoTrack === null ? [] : [entry(videoTrack, 1)])]);
  return Buffer.concat([ebml(0x1a45dfa3, ebml(0x4282, Buffer.from('matroska'))), ebml(ID.segment, [tracks, ...clusters], 'unknown')]);
}

/** A Cluster of `blocks` (SimpleBlocks and BlockGroups built with ebml()), known-sized or, as Chromium writes it, not. */
export const cluster = (blocks: Buffer[], size: 'known' | 'unknown' = 'unknown'): Buffer => ebml(ID.cluster, [ebml(0xe7, Buffer.of(0)), ...blocks], size);
export const simpleBlock = (track: number, keyframe: boolean, frameBytes?: number): Buffer => ebml(ID.simpleBlock, blockBody(track, keyframe ? 0x80 : 0, frameBytes));
export const blockGroup = (track: number, referenced: boolean): Buffer =>
  ebml(ID.blockGroup, [ebml(ID.block, blockBody(track, 0)), ...(referenced ? [ebml(ID.referenceBlock, Buffer.of(0xfe))] : [])]);
