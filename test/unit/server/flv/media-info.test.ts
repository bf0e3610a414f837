import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { audioInfo, videoInfo } from '../../../../src/server/flv/media-info';
import { FlvTagType } from '../../../../src/server/flv/tag';
import { demuxAll, isEndOfSequence, isSequenceHeader, isVideoKeyframe, loadFlvFixture } from '../../../fixtures/flv/fixtures';

const bytes = (...parts: (number | string)[]): Buffer =>
  Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part, 'latin1') : Buffer.from([part]))));

// Enhanced RTMP v2 ExVideoTagHeader byte 0: IsExHeader UB[1] | VideoFrameType UB[3] | VideoPacketType UB[4].
const exVideo = (frameType: number, packetType: number): number => 0x80 | (frameType << 4) | packetType;
// ExAudioTagHeader byte 0: SoundFormat 9 (ExHeader) UB[4] | AudioPacketType UB[4].
const exAudio = (packetType: number): number => 0x90 | packetType;

// What a body is, without the header slot (tested on its own below).
const classify = (read: typeof videoInfo, body: Buffer) => {
  const { headerSlot: _slot, ...rest } = read(body);
  return rest;
};

const KEY = 1;
const INTER = 2;
const COMMAND = 5;
const VIDEO = { SequenceStart: 0, CodedFrames: 1, SequenceEnd: 2, CodedFramesX: 3, Metadata: 4, MPEG2TSSequenceStart: 5, Multitrack: 6 };
const AUDIO = { SequenceStart: 0, CodedFrames: 1, MultichannelConfig: 4, Multitrack: 5 };
// AvMultitrackType, the high nibble of the byte after a Multitrack packet type.
const ONE_TRACK = 0x00;
const MANY_TRACKS = 0x10;
const MANY_TRACKS_MANY_CODECS = 0x20;

describe('videoInfo, legacy VIDEODATA (FLV spec §E.4.3.1)', () => {
  it('reads an AVC sequence header (AVCPacketType 0) as decoder configuration, not a picture', () => {
    expect(classify(videoInfo, bytes(0x17, 0x00, 0, 0, 0, 0x01, 0x64))).toEqual({ sequenceHeader: true, keyframe: false, codec: 'H264', track: 0 });
  });

  it('reads an AVC key frame NALU as a keyframe and not a sequence header', () => {
    expect(classify(videoInfo, bytes(0x17, 0x01, 0, 0, 0x21, 0x65))).toEqual({ sequenceHeader: false, keyframe: true, codec: 'H264', track: 0 });
  });

  it('reads an AVC inter frame as neither a keyframe nor a sequence header', () => {
    expect(classify(videoInfo, bytes(0x27, 0x01, 0, 0, 0x21, 0x41))).toEqual({ sequenceHeader: false, keyframe: false, codec: 'H264', track: 0 });
  });

  it('does not take an AVC end of sequence (AVCPacketType 2) with FrameType 1 for a keyframe: it has no picture', () => {
    expect(classify(videoInfo, bytes(0x17, 0x02, 0, 0, 0))).toEqual({ sequenceHeader: false, keyframe: false, codec: 'H264', track: 0 });
  });

  it('treats the pre-Enhanced HEVC codec id 12 like AVC', () => {
    expect(classify(videoInfo, bytes(0x1c, 0x00, 0, 0, 0))).toEqual({ sequenceHeader: true, keyframe: false, codec: 'HEVC', track: 0 });
    expect(classify(videoInfo, bytes(0x1c, 0x01, 0, 0, 0))).toEqual({ sequenceHeader: false, keyframe: true, codec: 'HEVC', track: 0 });
    expect(classify(videoInfo, bytes(0x2c, 0x01, 0, 0, 0))).toEqual({ sequenceHeader: false, keyframe: false, codec: 'HEVC', track: 0 });
  });

  it('names the legacy codec ids and never sees a sequence header outside AVC/HEVC', () => {
    const names: Record<number, string> = { 2: 'H263', 3: 'ScreenVideo', 4: 'VP6', 5: 'VP6A', 6: 'ScreenVideo2' };
    for (const [id, name] of Object.entries(names)) {
      // A second byte of 0 is picture data here, not an AVCPacketType.
      expect(classify(videoInfo, bytes(0x10 | Number(id), 0x00))).toEqual({ sequenceHeader: false, keyframe: true, codec: name, track: 0 });
    }
  });

  it('names an unknown codec id by its number', () => {
    expect(classify(videoInfo, bytes(0x2f, 0x00)).codec).toBe('video-15');
  });

  it('takes a one-byte AVC body for neither a sequence header nor a keyframe', () => {
    expect(classify(videoInfo, bytes(0x17))).toEqual({ sequenceHeader: false, keyframe: false, codec: 'H264', track: 0 });
  });

  it('classifies an empty body as nothing, without throwing', () => {
    expect(classify(videoInfo, Buffer.alloc(0))).toEqual({ sequenceHeader: false, keyframe: false, codec: '?', track: 0 });
  });

  // E-RTMP v2 "Extended VideoTagHeader": a Command frame carries a UI8 VideoCommand where media
  // would be (0 = StartSeek), so its second byte is not an AVCPacketType.
  it('never takes a video info/command frame (FrameType 5) for a sequence header or a keyframe', () => {
    expect(classify(videoInfo, bytes(0x57, 0x00))).toMatchObject({ sequenceHeader: false, keyframe: false });
  });
});

describe('videoInfo, Enhanced RTMP ExVideoTagHeader', () => {
  it('reads an hvc1 SequenceStart as decoder configuration, not a picture', () => {
    expect(classify(videoInfo, bytes(exVideo(KEY, VIDEO.SequenceStart), 'hvc1', 0x01))).toEqual({ sequenceHeader: true, keyframe: false, codec: 'hvc1', track: 0 });
  });

  it('reads CodedFrames and CodedFramesX key and inter frames', () => {
    for (const packetType of [VIDEO.CodedFrames, VIDEO.CodedFramesX]) {
      expect(classify(videoInfo, bytes(exVideo(KEY, packetType), 'hvc1', 0, 0, 0))).toEqual({ sequenceHeader: false, keyframe: true, codec: 'hvc1', track: 0 });
      expect(classify(videoInfo, bytes(exVideo(INTER, packetType), 'hvc1', 0, 0, 0))).toEqual({ sequenceHeader: false, keyframe: false, codec: 'hvc1', track: 0 });
    }
  });

  it('reports the FourCC of av01 and vp09', () => {
    expect(classify(videoInfo, bytes(exVideo(KEY, VIDEO.SequenceStart), 'av01', 0x81))).toMatchObject({ sequenceHeader: true, codec: 'av01' });
    expect(classify(videoInfo, bytes(exVideo(INTER, VIDEO.CodedFrames), 'vp09', 0x00))).toMatchObject({ keyframe: false, codec: 'vp09' });
  });

  it('takes an MPEG2TSSequenceStart for a sequence header', () => {
    expect(classify(videoInfo, bytes(exVideo(KEY, VIDEO.MPEG2TSSequenceStart), 'av01', 0x80))).toMatchObject({ sequenceHeader: true, codec: 'av01' });
  });

  it('reads the frame type from the 3 bits after IsExHeader, not 4', () => {
    // FrameType 1 with IsExHeader set is 0x9_; a 4-bit read would see 9.
    expect(classify(videoInfo, bytes(0x91, 'hvc1')).keyframe).toBe(true);
    expect(classify(videoInfo, bytes(0xa1, 'hvc1')).keyframe).toBe(false);
  });

  it('takes a SequenceEnd with a key frame type for neither a sequence header nor a keyframe', () => {
    expect(classify(videoInfo, bytes(exVideo(KEY, VIDEO.SequenceEnd), 'hvc1'))).toMatchObject({ sequenceHeader: false, keyframe: false });
  });

  it('reads the packet type, FourCC and track id of a one-track Multitrack packet', () => {
    // [IsExHeader|FrameType|Multitrack] [AvMultitrackType|VideoPacketType] FourCC trackId body…
    const body = bytes(exVideo(KEY, VIDEO.Multitrack), ONE_TRACK | VIDEO.SequenceStart, 'av01', 2, 0x81, 0x00);
    expect(classify(videoInfo, body)).toEqual({ sequenceHeader: true, keyframe: false, codec: 'av01', track: 2 });
    const frame = bytes(exVideo(INTER, VIDEO.Multitrack), ONE_TRACK | VIDEO.CodedFrames, 'hvc1', 1, 0, 0, 0);
    expect(classify(videoInfo, frame)).toEqual({ sequenceHeader: false, keyframe: false, codec: 'hvc1', track: 1 });
  });

  it('reads the first track of a ManyTracks packet: shared FourCC, then trackId and a UI24 size', () => {
    const body = bytes(exVideo(KEY, VIDEO.Multitrack), MANY_TRACKS | VIDEO.CodedFramesX, 'hvc1', 3, 0, 0, 1, 0xaa, 4, 0, 0, 1, 0xbb);
    expect(classify(videoInfo, body)).toEqual({ sequenceHeader: false, keyframe: true, codec: 'hvc1', track: 3 });
  });

  it('reads the first track of a ManyTracksManyCodecs packet: its own FourCC, then trackId', () => {
    const body = bytes(exVideo(KEY, VIDEO.Multitrack), MANY_TRACKS_MANY_CODECS | VIDEO.SequenceStart, 'vp09', 5, 0, 0, 1, 0xaa);
    expect(classify(videoInfo, body)).toEqual({ sequenceHeader: true, keyframe: false, codec: 'vp09', track: 5 });
  });

  it('reports an unknown codec and track 0 for truncated headers, without throwing', () => {
    expect(classify(videoInfo, bytes(exVideo(KEY, VIDEO.SequenceStart), 'hv'))).toMatchObject({ codec: '?', track: 0 });
    expect(classify(videoInfo, bytes(exVideo(KEY, VIDEO.Multitrack)))).toMatchObject({ codec: '?', track: 0 });
    expect(classify(videoInfo, bytes(exVideo(KEY, VIDEO.Multitrack), ONE_TRACK | VIDEO.SequenceStart, 'av01'))).toMatchObject({ codec: 'av01', track: 0 });
  });

  // E-RTMP v2: "If VideoPacketType.Metadata is present, the FrameType flags … should be ignored."
  it('never takes a Metadata packet (colorInfo) for a keyframe, whatever its frame type says', () => {
    expect(classify(videoInfo, bytes(exVideo(0, VIDEO.Metadata), 'hvc1', 0x02))).toMatchObject({ sequenceHeader: false, keyframe: false });
    expect(classify(videoInfo, bytes(exVideo(KEY, VIDEO.Metadata), 'hvc1', 0x02))).toMatchObject({ sequenceHeader: false, keyframe: false });
  });

  // E-RTMP v2: FrameType Command with any packet type but Metadata is followed by a UI8
  // VideoCommand and no body; its packet-type bits do not announce a SequenceStart.
  it('never takes an ex-header Command frame for a sequence header or a keyframe', () => {
    expect(classify(videoInfo, bytes(exVideo(COMMAND, VIDEO.SequenceStart), 0x00))).toMatchObject({ sequenceHeader: false, keyframe: false });
  });
});

describe('audioInfo, legacy AUDIODATA (FLV spec §E.4.2.1)', () => {
  it('reads an AAC sequence header (AudioSpecificConfig)', () => {
    expect(classify(audioInfo, bytes(0xaf, 0x00, 0x12, 0x10))).toEqual({ sequenceHeader: true, keyframe: true, codec: 'AAC', track: 0 });
  });

  it('reads AAC raw frames as sync points, not sequence headers', () => {
    expect(classify(audioInfo, bytes(0xaf, 0x01, 0x21))).toEqual({ sequenceHeader: false, keyframe: true, codec: 'AAC', track: 0 });
  });

  it('never sees a sequence header in MP3, whose second byte is frame data', () => {
    expect(classify(audioInfo, bytes(0x2f, 0x00, 0xff))).toEqual({ sequenceHeader: false, keyframe: true, codec: 'MP3', track: 0 });
  });

  it('names the legacy sound formats and unknown ones by number', () => {
    const names: Record<number, string> = { 0: 'PCM', 1: 'ADPCM', 3: 'PCM-LE', 4: 'Nellymoser16', 5: 'Nellymoser8', 6: 'Nellymoser', 7: 'G711A', 8: 'G711U', 11: 'Speex', 14: 'MP3-8k', 15: 'Device' };
    for (const [format, name] of Object.entries(names)) expect(classify(audioInfo, bytes((Number(format) << 4) | 0x0e, 0x00)).codec).toBe(name);
    expect(classify(audioInfo, bytes(0xc0)).codec).toBe('audio-12');
  });

  it('does not take a one-byte AAC body for a sequence header', () => {
    expect(classify(audioInfo, bytes(0xaf)).sequenceHeader).toBe(false);
  });

  it('classifies an empty body as a sync point of unknown codec, without throwing', () => {
    expect(classify(audioInfo, Buffer.alloc(0))).toEqual({ sequenceHeader: false, keyframe: true, codec: '?', track: 0 });
  });
});

describe('audioInfo, Enhanced RTMP ExAudioTagHeader (SoundFormat 9)', () => {
  it('reads an Opus and a FLAC SequenceStart', () => {
    expect(classify(audioInfo, bytes(exAudio(AUDIO.SequenceStart), 'Opus', 'OpusHead'))).toEqual({ sequenceHeader: true, keyframe: true, codec: 'Opus', track: 0 });
    expect(classify(audioInfo, bytes(exAudio(AUDIO.SequenceStart), 'fLaC', 0x00))).toEqual({ sequenceHeader: true, keyframe: true, codec: 'fLaC', track: 0 });
  });

  it('reads CodedFrames as sync points, not sequence headers', () => {
    expect(classify(audioInfo, bytes(exAudio(AUDIO.CodedFrames), 'Opus', 0xfc))).toEqual({ sequenceHeader: false, keyframe: true, codec: 'Opus', track: 0 });
  });

  it('takes a MultichannelConfig for decoder configuration', () => {
    // AudioChannelOrder Native (1), channelCount 2, audioChannelFlags FrontLeft|FrontRight.
    expect(classify(audioInfo, bytes(exAudio(AUDIO.MultichannelConfig), 'Opus', 1, 2, 0, 0, 0, 3))).toMatchObject({ sequenceHeader: true, codec: 'Opus' });
  });

  it('reads the packet type, FourCC and track id of a one-track Multitrack packet', () => {
    const body = bytes(exAudio(AUDIO.Multitrack), ONE_TRACK | AUDIO.SequenceStart, 'Opus', 1, 'OpusHead');
    expect(classify(audioInfo, body)).toEqual({ sequenceHeader: true, keyframe: true, codec: 'Opus', track: 1 });
    const frame = bytes(exAudio(AUDIO.Multitrack), ONE_TRACK | AUDIO.CodedFrames, 'fLaC', 4, 0xff);
    expect(classify(audioInfo, frame)).toEqual({ sequenceHeader: false, keyframe: true, codec: 'fLaC', track: 4 });
  });

  it('reads the first track of ManyTracks and ManyTracksManyCodecs packets', () => {
    expect(classify(audioInfo, bytes(exAudio(AUDIO.Multitrack), MANY_TRACKS | AUDIO.CodedFrames, 'Opus', 2, 0, 0, 1, 0xfc))).toMatchObject({ sequenceHeader: false, codec: 'Opus', track: 2 });
    expect(classify(audioInfo, bytes(exAudio(AUDIO.Multitrack), MANY_TRACKS_MANY_CODECS | AUDIO.SequenceStart, 'fLaC', 3, 0, 0, 1, 0))).toMatchObject({ sequenceHeader: true, codec: 'fLaC', track: 3 });
  });

  it('reports an unknown codec and track 0 for truncated headers, without throwing', () => {
    expect(classify(audioInfo, bytes(exAudio(AUDIO.SequenceStart), 'Op'))).toMatchObject({ codec: '?', track: 0 });
    expect(classify(audioInfo, bytes(exAudio(AUDIO.Multitrack)))).toMatchObject({ codec: '?', track: 0 });
  });
});

describe('media info of the ffmpeg fixture (testsrc, libx264 -g 10, AAC)', () => {
  const tags = demuxAll(loadFlvFixture());
  const video = tags.filter((tag) => tag.type === FlvTagType.VIDEO);
  const audio = tags.filter((tag) => tag.type === FlvTagType.AUDIO);

  it('finds exactly one H264 and one AAC sequence header, where ffmpeg put them', () => {
    expect(video.filter((tag) => videoInfo(tag.body).sequenceHeader)).toEqual(video.filter(isSequenceHeader));
    expect(audio.filter((tag) => audioInfo(tag.body).sequenceHeader)).toEqual(audio.filter(isSequenceHeader));
    expect(video.filter(isSequenceHeader)).toHaveLength(1);
    expect(audio.filter(isSequenceHeader)).toHaveLength(1);
    expect(new Set(video.map((tag) => videoInfo(tag.body).codec))).toEqual(new Set(['H264']));
    expect(new Set(audio.map((tag) => audioInfo(tag.body).codec))).toEqual(new Set(['AAC']));
  });

  it('finds a keyframe every 10 frames (-g 10) and nowhere else, not even in the end of sequence', () => {
    expect(video.map((tag) => videoInfo(tag.body).keyframe)).toEqual(video.map(isVideoKeyframe));
    const frames = video.filter((tag) => !isSequenceHeader(tag) && !isEndOfSequence(tag));
    expect(frames.filter(isVideoKeyframe).length).toBe(Math.ceil(frames.length / 10));
    expect(video.some(isEndOfSequence)).toBe(true);
  });
});

describe('media info of arbitrary bytes', () => {
  it('never throws and always names a codec', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), (array) => {
        const body = Buffer.from(array);
        for (const info of [videoInfo(body), audioInfo(body)]) {
          expect(typeof info.codec).toBe('string');
          expect(info.track).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });
});

describe('header slots', () => {
  it('gives every legacy AVC and AAC sequence header the same slot, so a new one replaces the old', () => {
    expect(videoInfo(bytes(0x17, 0x00, 0, 0, 0)).headerSlot).toBe(videoInfo(bytes(0x17, 0x00, 0, 0, 0, 0x01)).headerSlot);
    expect(audioInfo(bytes(0xaf, 0x00, 0x12, 0x10)).headerSlot).toBe(0);
  });

  it('keeps an Opus SequenceStart and a MultichannelConfig of the same track in different slots', () => {
    const start = audioInfo(bytes(exAudio(AUDIO.SequenceStart), 'Opus'));
    const channels = audioInfo(bytes(exAudio(AUDIO.MultichannelConfig), 'Opus', 1, 2));
    expect(start.sequenceHeader && channels.sequenceHeader).toBe(true);
    expect(start.headerSlot).not.toBe(channels.headerSlot);
  });

  it('keeps the SequenceStart of two multitrack video tracks in different slots', () => {
    const track = (id: number) => videoInfo(bytes(exVideo(KEY, VIDEO.Multitrack), ONE_TRACK | VIDEO.SequenceStart, 'hvc1', id));
    expect(track(0).headerSlot).not.toBe(track(1).headerSlot);
  });
});
