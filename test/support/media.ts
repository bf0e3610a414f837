// Synthetic audio, video and metadata bodies as a publisher sends them (FLV spec v10.1 §E.4.2, §E.4.3,
// §E.4.4; Enhanced RTMP v2). Every frame body carries a serial number, so equal bytes mean the same frame.
import { createHash } from 'node:crypto';
import { encodeAmf0, type AmfObject } from '../../src/server/rtmp/amf';

export type PacketKind = 'audio' | 'video' | 'data';

/** One message as a publisher sends it and a player should receive it. */
export interface Packet {
  kind: PacketKind;
  timestamp: number;
  payload: Buffer;
}

let serial = 0;

/** `header`, then a 4-byte serial number, then filler up to `size` bytes. */
function frameBody(header: number[], size: number): Buffer {
  const body = Buffer.alloc(Math.max(size, header.length + 4), ++serial & 0xff);
  body.set(header);
  body.writeUInt32BE(serial, header.length);
  return body;
}

const ascii = (text: string): number[] => [...Buffer.from(text, 'latin1')];

/** `@setDataFrame onMetaData {…}` (FLV spec §E.4.4.2), the way ffmpeg and OBS send metadata. */
export const setDataFrame = (properties: AmfObject): Buffer => encodeAmf0(['@setDataFrame', 'onMetaData', properties]);

/** §E.4.3.1 VideoTagHeader: FrameType 1 (key) or 2 (inter), CodecID 7 (AVC). */
export const avc = {
  /** AVCPacketType 0: an AVCDecoderConfigurationRecord (ISO 14496-15 §5.2.4.1), SPS and PPS abridged. */
  sequenceHeader: (): Buffer => Buffer.from([0x17, 0x00, 0, 0, 0, 0x01, 0x64, 0x00, 0x1f, 0xff, 0xe1, 0x00, 0x04, 0x67, 0x64, 0x00, 0x1f, 0x01, 0x00, 0x02, 0x68, 0xee]),
  /** AVCPacketType 1: NALUs, composition time 0. */
  frame: (keyframe: boolean, size = 200): Buffer => frameBody([keyframe ? 0x17 : 0x27, 0x01, 0, 0, 0], size),
};

/** §E.4.2.1 AudioTagHeader: SoundFormat 10 (AAC), 44 kHz, 16-bit, stereo (0xAF). */
export const aac = {
  /** AACPacketType 0: AudioSpecificConfig for AAC-LC 44.1 kHz stereo. */
  sequenceHeader: (): Buffer => Buffer.from([0xaf, 0x00, 0x12, 0x10]),
  /** AACPacketType 1: a raw AAC frame. */
  frame: (size = 60): Buffer => frameBody([0xaf, 0x01], size),
};

/** Enhanced RTMP VideoPacketType (the low nibble after IsExHeader). */
export const ExVideoPacketType = { SequenceStart: 0, CodedFrames: 1, SequenceEnd: 2, CodedFramesX: 3 } as const;

/**
 * Enhanced RTMP video: IsExHeader (0x80), FrameType in bits 4-6 (1 key, 2 inter), VideoPacketType in
 * bits 0-3, then the FourCC; hvc1 CodedFrames carry a 3-byte composition time offset.
 */
export function exVideo(fourcc: 'hvc1' | 'av01', packetType: number, keyframe: boolean, size = 200): Buffer {
  const header = [0x80 | ((keyframe ? 1 : 2) << 4) | packetType, ...ascii(fourcc)];
  if (fourcc === 'hvc1' && packetType === ExVideoPacketType.CodedFrames) header.push(0, 0, 0);
  return frameBody(header, size);
}

/** Enhanced RTMP audio: SoundFormat 9 (ExHeader) with AudioPacketType 0 (SequenceStart) or 1 (CodedFrames), then 'Opus'. */
export const opus = {
  sequenceHeader: (): Buffer => frameBody([0x90, ...ascii('Opus')], 24),
  frame: (size = 80): Buffer => frameBody([0x91, ...ascii('Opus')], size),
};

export interface GopOptions {
  /** Number of groups of pictures, each opened by a key frame. */
  gops: number;
  framesPerGop?: number;
  /** Timestamp of the first frame, modulo 2^32. */
  start?: number;
  frameMs?: number;
  /** Body of one video frame; H.264 by default. */
  video?: (keyframe: boolean) => Buffer;
  /** Body of the audio frame that follows each video frame (same timestamp); AAC by default, null for none. */
  audio?: (() => Buffer) | null;
}

/** Interleaved video and audio frames, GOP by GOP. */
export function gops(options: GopOptions): Packet[] {
  const { framesPerGop = 5, start = 0, frameMs = 40, video = (keyframe: boolean) => avc.frame(keyframe), audio = () => aac.frame() } = options;
  const packets: Packet[] = [];
  for (let i = 0; i < options.gops * framesPerGop; i++) {
    const timestamp = (start + i * frameMs) >>> 0;
    packets.push({ kind: 'video', timestamp, payload: video(i % framesPerGop === 0) });
    if (audio) packets.push({ kind: 'audio', timestamp, payload: audio() });
  }
  return packets;
}

const H264_AAC_METADATA: AmfObject = { width: 320, height: 240, videocodecid: 7, audiocodecid: 10, framerate: 25 };

/** The decoder state a publisher sends first: metadata, then the AVC and AAC sequence headers. */
export const h264AacHeaders = (timestamp = 0): Packet[] => [
  { kind: 'data', timestamp, payload: setDataFrame(H264_AAC_METADATA) },
  { kind: 'video', timestamp, payload: avc.sequenceHeader() },
  { kind: 'audio', timestamp, payload: aac.sequenceHeader() },
];

/** h264AacHeaders as a player receives them: the server sends `onMetaData {…}` without `@setDataFrame`. */
export const playedH264AacHeaders = (timestamp = 0): Packet[] =>
  h264AacHeaders(timestamp).map((packet) => (packet.kind === 'data' ? { ...packet, payload: encodeAmf0(['onMetaData', H264_AAC_METADATA]) } : packet));

/** True for a video body that is a key frame, legacy or Enhanced (FrameType 1). */
export const isKeyframe = (payload: Buffer): boolean => ((payload[0] >> 4) & 0x07) === 1;

/** True if no timestamp is before the one preceding it, comparing modulo 2^32 (RTMP 1.0 §5.3.1.3). */
export const isMonotonic = (packets: Packet[]): boolean => packets.every((packet, i) => i === 0 || ((packet.timestamp - packets[i - 1].timestamp) | 0) >= 0);

/**
 * One short line per packet (kind, timestamp, length, payload digest): comparing these is as strict as
 * comparing the packets and much faster than a deep equality over hundreds of large Buffers.
 */
export const fingerprints = (packets: Packet[]): string[] =>
  packets.map(({ kind, timestamp, payload }) => `${kind}@${timestamp} ${payload.length}B ${createHash('sha1').update(payload).digest('hex')}`);
