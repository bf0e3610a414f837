import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../src/server/errors';
import { decodeFlvHeader, encodeFlvHeader } from '../../../../src/server/flv/header';
import { loadFlvFixture } from '../../../fixtures/flv/fixtures';

describe('FLV header', () => {
  it('encodes signature, version 1, audio and video flags, DataOffset 9 and PreviousTagSize0 like ffmpeg', () => {
    expect(encodeFlvHeader({ audio: true, video: true })).toEqual(loadFlvFixture().subarray(0, 13));
    expect(encodeFlvHeader({ audio: true, video: true }).toString('hex')).toBe('464c5601050000000900000000');
  });

  it('sets only the flags of the tracks present', () => {
    expect(encodeFlvHeader({ audio: false, video: true })[4]).toBe(0x01);
    expect(encodeFlvHeader({ audio: true, video: false })[4]).toBe(0x04);
    expect(encodeFlvHeader({ audio: false, video: false })[4]).toBe(0x00);
  });

  it('decodes what it encodes', () => {
    expect(decodeFlvHeader(encodeFlvHeader({ audio: false, video: true }))).toEqual({ audio: false, video: true, dataOffset: 9 });
  });

  it.each([
    ['a bad signature', '464c5701050000000900000000', /signature/],
    ['version 2', '464c5602050000000900000000', /version 2/],
    ['a DataOffset below 9', '464c5601050000000800000000', /DataOffset 8/],
  ])('rejects %s with FLV_MALFORMED', (_, hex, message) => {
    const decode = () => decodeFlvHeader(Buffer.from(hex, 'hex'));
    expect(decode).toThrow(ProtocolError);
    expect(decode).toThrow(message);
    try {
      decode();
    } catch (error) {
      expect((error as ProtocolError).code).toBe('FLV_MALFORMED');
    }
  });
});
