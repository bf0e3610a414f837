// Reads what the hub must know from an RTMP audio/video body, which is an FLV AUDIODATA /
// VIDEODATA tag body (FLV spec v10.1 §E.4.2, §E.4.3) or its Enhanced RTMP form (Veovera v2).

export interface MediaInfo {
  /** Decoder configuration: AVC/HEVC/AV1 sequence header, AAC AudioSpecificConfig, Opus channel config… */
  sequenceHeader: boolean;
  /** Which configuration a sequence header is, per track: a newer one replaces only its own slot. */
  headerSlot: number;
  /** A random access point: a coded video key frame (audio frames are all sync points). */
  keyframe: boolean;
  /** Codec name for stats: 'H264', 'AAC', or the Enhanced RTMP FourCC ('hvc1', 'Opus', …). */
  codec: string;
  /** Track id in an Enhanced RTMP multitrack packet, 0 otherwise. */
  track: number;
}

const VIDEO_CODECS: Record<number, string> = { 2: 'H263', 3: 'ScreenVideo', 4: 'VP6', 5: 'VP6A', 6: 'ScreenVideo2', 7: 'H264', 12: 'HEVC' };
const AUDIO_CODECS: Record<number, string> = { 0: 'PCM', 1: 'ADPCM', 2: 'MP3', 3: 'PCM-LE', 4: 'Nellymoser16', 5: 'Nellymoser8', 6: 'Nellymoser', 7: 'G711A', 8: 'G711U', 10: 'AAC', 11: 'Speex', 14: 'MP3-8k', 15: 'Device' };

// §E.4.3.1 VideoTagHeader FrameType; Enhanced RTMP keeps 3 bits of it after IsExHeader.
const FRAME_TYPE_KEY = 1;
const FRAME_TYPE_COMMAND = 5; // video info/command frame: a VideoCommand byte, no picture, no configuration
const AVC_SEQUENCE_HEADER = 0; // §E.4.3.1 AVCPacketType
const AVC_NALU = 1; // §E.4.3.1: 2 is end of sequence, which carries FrameType 1 but no picture
const AAC_SEQUENCE_HEADER = 0; // §E.4.2.1 AACPacketType
const SOUND_FORMAT_AAC = 10;
const SOUND_FORMAT_EX_HEADER = 9; // Enhanced RTMP: audio FourCC follows
// Enhanced RTMP VideoPacketType / AudioPacketType values.
const EX_SEQUENCE_START = 0;
const EX_VIDEO_CODED_FRAMES = 1;
const EX_VIDEO_CODED_FRAMES_X = 3;
const EX_VIDEO_METADATA = 4;
const EX_VIDEO_MPEG2TS_SEQUENCE_START = 5;
const EX_VIDEO_MULTITRACK = 6;
const EX_AUDIO_MULTICHANNEL_CONFIG = 4;
const EX_AUDIO_MULTITRACK = 5;

const NOTHING: MediaInfo = { sequenceHeader: false, headerSlot: 0, keyframe: false, codec: '?', track: 0 };

const fourCC = (body: Buffer, at: number): string => (body.length >= at + 4 ? body.toString('latin1', at, at + 4) : '?');
const slot = (track: number, packetType: number): number => track * 16 + packetType;

export function videoInfo(body: Buffer): MediaInfo {
  if (body.length === 0) return NOTHING;
  const first = body[0];
  if ((first & 0x80) === 0) {
    const codecId = first & 0x0f;
    const frameType = first >> 4;
    if (frameType === FRAME_TYPE_COMMAND) return { ...NOTHING, codec: VIDEO_CODECS[codecId] ?? `video-${codecId}` };
    const hasPacketType = codecId === 7 || codecId === 12; // AVC, and HEVC in the same legacy layout
    return {
      sequenceHeader: hasPacketType && body.length > 1 && body[1] === AVC_SEQUENCE_HEADER,
      headerSlot: 0,
      keyframe: frameType === FRAME_TYPE_KEY && (!hasPacketType || body[1] === AVC_NALU),
      codec: VIDEO_CODECS[codecId] ?? `video-${codecId}`,
      track: 0,
    };
  }
  const frameType = (first >> 4) & 0x07;
  let packetType = first & 0x0f;
  // Enhanced RTMP: a command frame (other than metadata) is a VideoCommand byte, nothing else.
  if (frameType === FRAME_TYPE_COMMAND && packetType !== EX_VIDEO_METADATA) return NOTHING;
  let fourccAt = 1;
  let track = 0;
  if (packetType === EX_VIDEO_MULTITRACK && body.length > 1) {
    packetType = body[1] & 0x0f; // AvMultitrackType (high nibble) | real packet type
    fourccAt = 2;
    track = body.length > 6 ? body[6] : 0; // one-track form: FourCC then track id
  }
  return {
    sequenceHeader: packetType === EX_SEQUENCE_START || packetType === EX_VIDEO_MPEG2TS_SEQUENCE_START,
    headerSlot: slot(track, packetType),
    keyframe: frameType === FRAME_TYPE_KEY && (packetType === EX_VIDEO_CODED_FRAMES || packetType === EX_VIDEO_CODED_FRAMES_X),
    codec: fourCC(body, fourccAt),
    track,
  };
}

export function audioInfo(body: Buffer): MediaInfo {
  if (body.length === 0) return { ...NOTHING, keyframe: true };
  const soundFormat = body[0] >> 4;
  if (soundFormat !== SOUND_FORMAT_EX_HEADER) {
    return {
      sequenceHeader: soundFormat === SOUND_FORMAT_AAC && body.length > 1 && body[1] === AAC_SEQUENCE_HEADER,
      headerSlot: 0,
      keyframe: true,
      codec: AUDIO_CODECS[soundFormat] ?? `audio-${soundFormat}`,
      track: 0,
    };
  }
  let packetType = body[0] & 0x0f;
  let fourccAt = 1;
  let track = 0;
  if (packetType === EX_AUDIO_MULTITRACK && body.length > 1) {
    packetType = body[1] & 0x0f;
    fourccAt = 2;
    track = body.length > 6 ? body[6] : 0;
  }
  return {
    sequenceHeader: packetType === EX_SEQUENCE_START || packetType === EX_AUDIO_MULTICHANNEL_CONFIG,
    headerSlot: slot(track, packetType),
    keyframe: true,
    codec: fourCC(body, fourccAt),
    track,
  };
}
