import { describe, expect, it } from 'vitest';
import { FlvTagType } from '../../../../src/server/flv/tag';
import { flvTagFormat } from '../../../../src/server/flv/tag-format';
import { audioInfo, videoInfo } from '../../../../src/server/flv/media-info';
import { MediaPacket, dataPacket } from '../../../../src/server/hub/media-packet';

describe('flvTagFormat', () => {
  it.each([
    ['audio', new MediaPacket('audio', 40, Buffer.from([0xaf, 0x01, 0x21]), audioInfo(Buffer.from([0xaf, 0x01]))), FlvTagType.AUDIO],
    ['video', new MediaPacket('video', 40, Buffer.from([0x27, 0x01, 0, 0, 0]), videoInfo(Buffer.from([0x27, 0x01]))), FlvTagType.VIDEO],
    ['data', dataPacket(40, Buffer.from([0x05]), false), FlvTagType.SCRIPT_DATA],
  ])('encodes a %s packet as one tag of its TagType', (_, packet, type) => {
    const bytes = packet.encoded(flvTagFormat);
    expect(bytes[0]).toBe(type);
    expect(bytes.readUIntBE(1, 3)).toBe(packet.payload.length);
    expect(bytes.readUIntBE(4, 3)).toBe(40);
    expect(bytes.subarray(11, 11 + packet.payload.length)).toEqual(packet.payload);
    expect(bytes.readUInt32BE(bytes.length - 4)).toBe(11 + packet.payload.length);
  });

  it('encodes a packet once and hands every reader the same buffer', () => {
    const packet = dataPacket(0, Buffer.from([0x05]), true);
    expect(packet.encoded(flvTagFormat)).toBe(packet.encoded(flvTagFormat));
  });
});
