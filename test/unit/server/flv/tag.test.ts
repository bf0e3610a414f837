import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../src/server/errors';
import { FlvTagType, decodeFlvTagHeader, encodeFlvTag } from '../../../../src/server/flv/tag';

describe('FLV tag', () => {
  it('encodes TagType, DataSize, Timestamp, StreamID 0, body and PreviousTagSize in one buffer', () => {
    const bytes = encodeFlvTag(FlvTagType.VIDEO, 0x123456, Buffer.from([0x17, 0x01, 0xaa]));
    expect(bytes.toString('hex')).toBe('09' + '000003' + '123456' + '00' + '000000' + '1701aa' + '0000000e');
  });

  it('puts the upper 8 bits of a 32-bit timestamp in TimestampExtended', () => {
    const bytes = encodeFlvTag(FlvTagType.AUDIO, 0xfedcba98, Buffer.alloc(0));
    expect(bytes.subarray(4, 8).toString('hex')).toBe('dcba98fe');
    expect(decodeFlvTagHeader(bytes)).toEqual({ type: 8, dataSize: 0, timestamp: 0xfedcba98 });
  });

  it('writes a PreviousTagSize of 11 + DataSize for an empty body', () => {
    const bytes = encodeFlvTag(FlvTagType.SCRIPT_DATA, 0, Buffer.alloc(0));
    expect(bytes.length).toBe(15);
    expect(bytes.readUInt32BE(11)).toBe(11);
  });

  it('refuses a body larger than the 24-bit DataSize', () => {
    expect(() => encodeFlvTag(FlvTagType.VIDEO, 0, Buffer.alloc(0x1000000))).toThrow(ProtocolError);
  });

  it('rejects a tag with the Filter (encryption) bit set', () => {
    const bytes = encodeFlvTag(FlvTagType.VIDEO, 0, Buffer.alloc(1));
    bytes[0] |= 0x20;
    expect(() => decodeFlvTagHeader(bytes)).toThrow(/Filter/);
  });
});
