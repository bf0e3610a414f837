import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../src/server/errors';
import { FlvDemuxer } from '../../../../src/server/flv/demuxer';
import { encodeFlvHeader } from '../../../../src/server/flv/header';
import { FlvTagType, encodeFlvTag, type FlvTag } from '../../../../src/server/flv/tag';
import { demuxAll, isEndOfSequence, isMetadata, isSequenceHeader, isVideoKeyframe, loadFlvFixture } from '../../../fixtures/flv/fixtures';

const fixture = loadFlvFixture();

/** Re-muxes tags behind the header the fixture starts with. */
const remux = (tags: FlvTag[]): Buffer =>
  Buffer.concat([encodeFlvHeader({ audio: true, video: true }), ...tags.map((tag) => encodeFlvTag(tag.type, tag.timestamp, tag.body))]);

/** Demuxes the pieces, which must stay unmodified (bodies may be subarrays of them); null if bytes are left over. */
function demuxPieces(pieces: Buffer[]): FlvTag[] | null {
  const tags: FlvTag[] = [];
  const demuxer = new FlvDemuxer((tag) => tags.push(tag));
  for (const piece of pieces) demuxer.push(piece);
  return demuxer.bufferedBytes === 0 ? tags : null;
}

const sameTags = (a: FlvTag[] | null, b: FlvTag[]): boolean =>
  a !== null && a.length === b.length && a.every((tag, i) => tag.type === b[i].type && tag.timestamp === b[i].timestamp && tag.body.equals(b[i].body));

function expectMalformed(push: () => void, message: RegExp): void {
  try {
    push();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe('FLV_MALFORMED');
    expect((error as ProtocolError).message).toMatch(message);
    return;
  }
  expect.unreachable('push did not throw');
}

describe('FlvDemuxer', () => {
  describe('on the ffmpeg fixture', () => {
    const tags = demuxAll(fixture);

    it('finds the header flags, onMetaData, both sequence headers and a key frame first', () => {
      const demuxer = new FlvDemuxer(() => {});
      demuxer.push(fixture);
      expect(demuxer.header).toEqual({ audio: true, video: true, dataOffset: 9 });
      expect(isMetadata(tags[0])).toBe(true);
      const video = tags.filter((tag) => tag.type === FlvTagType.VIDEO);
      const audio = tags.filter((tag) => tag.type === FlvTagType.AUDIO);
      expect(isSequenceHeader(video[0])).toBe(true);
      expect(isSequenceHeader(audio[0])).toBe(true);
      expect(isVideoKeyframe(video[1])).toBe(true);
      expect(video.length).toBe(22); // sequence header, 20 frames at 10 fps, end of sequence
      expect(video.filter(isVideoKeyframe).length).toBe(2); // -g 10
      expect(isEndOfSequence(video[21])).toBe(true);
      expect(audio.length).toBe(89);
    });

    it('re-muxes to the same bytes', () => {
      expect(remux(tags).equals(fixture)).toBe(true);
    });

    it('yields the same tags fed one byte at a time', () => {
      const pieces = Array.from({ length: fixture.length }, (_, i) => fixture.subarray(i, i + 1));
      expect(sameTags(demuxPieces(pieces), tags)).toBe(true);
    });

    it('yields the same tags split in two at every point', () => {
      for (let at = 0; at <= fixture.length; at++) {
        if (!sameTags(demuxPieces([fixture.subarray(0, at), fixture.subarray(at)]), tags)) expect.fail(`differs when split at ${at}`);
      }
    });

    it('hands out a body lying whole in one chunk without copying it', () => {
      const bodies: Buffer[] = [];
      new FlvDemuxer((tag) => bodies.push(tag.body)).push(fixture);
      expect(bodies[0].buffer).toBe(fixture.buffer);
    });

    it('holds back an unfinished tag until the rest arrives', () => {
      const tags: FlvTag[] = [];
      const demuxer = new FlvDemuxer((tag) => tags.push(tag));
      demuxer.push(fixture.subarray(0, 13 + 11 + 5));
      expect(tags).toEqual([]);
      expect(demuxer.bufferedBytes).toBe(5);
    });
  });

  it('reads 32-bit timestamps and empty tags', () => {
    const stream = Buffer.concat([encodeFlvHeader({ audio: true, video: false }), encodeFlvTag(FlvTagType.AUDIO, 0x87654321, Buffer.alloc(0))]);
    expect(demuxPieces([stream])).toEqual([{ type: FlvTagType.AUDIO, timestamp: 0x87654321, body: Buffer.alloc(0) }]);
  });

  it('skips header bytes beyond a DataOffset above 9', () => {
    const header = Buffer.from('464c56010500000010' + 'ffffffffffffff' + '00000000', 'hex');
    const stream = Buffer.concat([header, encodeFlvTag(FlvTagType.VIDEO, 5, Buffer.from([0x17]))]);
    const pieces = Array.from({ length: stream.length }, (_, i) => stream.subarray(i, i + 1));
    expect(demuxPieces(pieces)).toEqual([{ type: FlvTagType.VIDEO, timestamp: 5, body: Buffer.from([0x17]) }]);
  });

  it('rejects a bad signature', () => {
    expectMalformed(() => new FlvDemuxer(() => {}).push(Buffer.from('FLX\x01\x05\x00\x00\x00\x09', 'latin1')), /signature/);
  });

  it('rejects a version other than 1', () => {
    expectMalformed(() => new FlvDemuxer(() => {}).push(Buffer.from('FLV\x02\x05\x00\x00\x00\x09', 'latin1')), /version 2/);
  });

  it('rejects a PreviousTagSize0 that is not 0', () => {
    const stream = Buffer.from(fixture);
    stream.writeUInt32BE(7, 9);
    expectMalformed(() => new FlvDemuxer(() => {}).push(stream), /PreviousTagSize 7/);
  });

  it('rejects a PreviousTagSize that does not match the tag before it', () => {
    const stream = Buffer.from(fixture);
    const firstTagEnd = 13 + 11 + stream.readUIntBE(14, 3);
    stream.writeUInt32BE(stream.readUInt32BE(firstTagEnd) + 1, firstTagEnd);
    expectMalformed(() => new FlvDemuxer(() => {}).push(stream), /does not match/);
  });

  it('rejects a tag larger than maxTagSize before reading its body', () => {
    const stream = Buffer.concat([encodeFlvHeader({ audio: false, video: true }), encodeFlvTag(FlvTagType.VIDEO, 0, Buffer.alloc(1001)).subarray(0, 11)]);
    expectMalformed(() => new FlvDemuxer(() => {}, { maxTagSize: 1000 }).push(stream), /DataSize 1001 exceeds the limit of 1000/);
  });

  it('rejects an encrypted tag', () => {
    const tag = encodeFlvTag(FlvTagType.VIDEO, 0, Buffer.alloc(2));
    tag[0] |= 0x20;
    expectMalformed(() => new FlvDemuxer(() => {}).push(Buffer.concat([encodeFlvHeader({ audio: false, video: true }), tag])), /Filter/);
  });

  it('keeps failing after an error, whatever comes next', () => {
    const demuxer = new FlvDemuxer(() => {});
    expectMalformed(() => demuxer.push(Buffer.from('XYZ\x01\x05\x00\x00\x00\x09', 'latin1')), /signature/);
    expectMalformed(() => demuxer.push(fixture), /signature/);
  });

  it('lets an exception from onTag through, having moved past the tag already', () => {
    const stream = remux([{ type: 9, timestamp: 0, body: Buffer.from([1]) }, { type: 9, timestamp: 1, body: Buffer.from([2]) }]);
    const seen: number[] = [];
    const demuxer = new FlvDemuxer((tag) => {
      seen.push(tag.timestamp);
      if (tag.timestamp === 0) throw new Error('consumer failed');
    });
    expect(() => demuxer.push(stream.subarray(0, 13 + 12))).toThrow('consumer failed');
    demuxer.push(stream.subarray(13 + 12));
    expect(seen).toEqual([0, 1]);
  });
});
