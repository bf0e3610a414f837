// Audio and video message bodies as encoders send them: FLV AUDIODATA / VIDEODATA (FLV spec E.4.2, E.4.3)
// and the Enhanced RTMP forms (ExHeader, FourCC, multitrack), with every field's edge values.
import type { Rng } from '../random';

const VIDEO_FOURCC = ['avc1', 'hvc1', 'vp08', 'vp09', 'av01', '\0\0\0\0'];
const AUDIO_FOURCC = ['Opus', 'mp4a', '.mp3', 'fLaC', 'ac-3', 'ec-3'];

function fourCC(rng: Rng, known: readonly string[]): Buffer {
  return rng.chance(0.9) ? Buffer.from(rng.pick(known), 'latin1') : rng.bytes(4);
}

/** A body cut anywhere: empty, one byte, just the header, or with a payload. */
function withTail(rng: Rng, head: Buffer): Buffer {
  const body = Buffer.concat([head, rng.bytes(rng.size(48))]);
  return rng.chance(0.2) ? body.subarray(0, rng.below(body.length + 1)) : body;
}

export function videoBody(rng: Rng): Buffer {
  if (rng.chance(0.5)) {
    // Legacy: FrameType (4 bits) | CodecID (4 bits), then AVCPacketType and CompositionTime for AVC/HEVC.
    const frameType = rng.chance(0.8) ? rng.range(1, 5) : rng.below(16);
    const codec = rng.chance(0.7) ? rng.pick([7, 12]) : rng.below(16);
    return withTail(rng, Buffer.of((frameType << 4) | codec, rng.below(4), rng.below(256), 0, 0));
  }
  // Enhanced RTMP: IsExHeader | FrameType (3 bits) | VideoPacketType (4 bits), then FourCC (or multitrack first).
  const frameType = rng.range(0, 7);
  const packetType = rng.below(16);
  const head: Buffer[] = [Buffer.of(0x80 | (frameType << 4) | packetType)];
  if (packetType === 6) head.push(Buffer.of((rng.below(3) << 4) | rng.below(8)));
  head.push(fourCC(rng, VIDEO_FOURCC));
  if (packetType === 6) head.push(Buffer.of(rng.below(256)));
  return withTail(rng, Buffer.concat(head));
}

export function audioBody(rng: Rng): Buffer {
  if (rng.chance(0.5)) {
    // Legacy: SoundFormat (4) | SoundRate (2) | SoundSize (1) | SoundType (1), then AACPacketType for AAC.
    const format = rng.chance(0.6) ? 10 : rng.below(16);
    return withTail(rng, Buffer.of((format << 4) | rng.below(16), rng.below(3)));
  }
  // Enhanced RTMP: SoundFormat 9 (ExHeader) | AudioPacketType, then FourCC (or multitrack first).
  const packetType = rng.below(16);
  const head: Buffer[] = [Buffer.of(0x90 | packetType)];
  if (packetType === 5) head.push(Buffer.of((rng.below(3) << 4) | rng.below(6)));
  head.push(fourCC(rng, AUDIO_FOURCC));
  if (packetType === 5) head.push(Buffer.of(rng.below(256)));
  return withTail(rng, Buffer.concat(head));
}

/** Either kind; the media-info target runs both classifiers on every body anyway. */
export function mediaBody(rng: Rng): Buffer {
  return rng.chance(0.5) ? videoBody(rng) : audioBody(rng);
}
