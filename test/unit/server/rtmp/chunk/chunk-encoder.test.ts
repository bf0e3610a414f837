import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../../src/server/errors';
import { ChunkEncoder, encodeChunksType0 } from '../../../../../src/server/rtmp/chunk';
import type { RawMessage } from '../../../../../src/server/rtmp/raw-message';
import { decodeWhole, hex, plain } from './decode-helpers';

const raw = (chunkStreamId: number, typeId: number, streamId: number, timestamp: number, payload: string): RawMessage => ({
  chunkStreamId,
  typeId,
  streamId,
  timestamp,
  payload: hex(payload),
});

const FILL_128 = 'ab'.repeat(128);

/** Message sequences through one ChunkEncoder and the exact bytes each message becomes (RTMP 1.0 §5.3.1.2). */
const cases: { name: string; messages: RawMessage[]; bytes: string[] }[] = [
  {
    name: 'opens a chunk stream with a type 0 header',
    messages: [raw(3, 20, 1, 100, 'aabbcc')],
    bytes: ['03 000064 000003 14 01000000 aabbcc'],
  },
  {
    name: 'uses type 1 when the length or type changes, type 2 for a new delta, type 3 for a repeated delta',
    messages: [raw(4, 8, 1, 0, 'aa'), raw(4, 9, 1, 40, 'bbbb'), raw(4, 9, 1, 73, 'cccc'), raw(4, 9, 1, 106, 'dddd')],
    bytes: ['04 000000 000001 08 01000000 aa', '44 000028 000002 09 bbbb', '84 000021 cccc', 'c4 dddd'],
  },
  {
    name: 'never leans a type 3 on the absolute field of a type 0: the first delta goes in a type 2',
    messages: [raw(4, 8, 0, 40, 'aa'), raw(4, 8, 0, 80, 'bb'), raw(4, 8, 0, 120, 'cc')],
    bytes: ['04 000028 000001 08 00000000 aa', '84 000028 bb', 'c4 cc'],
  },
  {
    name: 'starts over with type 0 when the message stream id changes',
    messages: [raw(5, 20, 0, 0, 'aa'), raw(5, 20, 1, 0, 'aa')],
    bytes: ['05 000000 000001 14 00000000 aa', '05 000000 000001 14 01000000 aa'],
  },
  {
    name: 'starts over with an absolute type 0 when the timestamp goes back or wraps past 2^32 (a big jump forward is a delta)',
    messages: [raw(6, 9, 1, 500, 'aa'), raw(6, 9, 1, 400, 'aa'), raw(6, 9, 1, 0xfffffff0, 'aa'), raw(6, 9, 1, 0x10, 'aa')],
    bytes: [
      '06 0001f4 000001 09 01000000 aa',
      '06 000190 000001 09 01000000 aa',
      '86 ffffff fffffe60 aa',
      '06 000010 000001 09 01000000 aa',
    ],
  },
  {
    name: 'splits a payload into type 3 continuation chunks at the chunk size',
    messages: [raw(3, 9, 0, 0, `${FILL_128}cdef`)],
    bytes: [`03 000000 000082 09 00000000 ${FILL_128} c3 cdef`],
  },
  {
    name: 'repeats the extended timestamp on every type 3 continuation chunk, like ffmpeg and Flash',
    messages: [raw(3, 9, 0, 0x01000000, `${FILL_128}cdef`)],
    bytes: [`03 ffffff 000082 09 00000000 01000000 ${FILL_128} c3 01000000 cdef`],
  },
  {
    name: 'carries an extended delta on type 2 and on the type 3 that repeats it',
    messages: [raw(3, 8, 0, 0, 'aa'), raw(3, 8, 0, 0x01000000, 'bb'), raw(3, 8, 0, 0x02000000, 'cc')],
    bytes: ['03 000000 000001 08 00000000 aa', '83 ffffff 01000000 bb', 'c3 01000000 cc'],
  },
  {
    name: 'writes the timestamp 0xFFFFFF itself as an extended timestamp',
    messages: [raw(3, 8, 0, 0xffffff, 'aa')],
    bytes: ['03 ffffff 000001 08 00000000 00ffffff aa'],
  },
  {
    name: 'writes a zero-length message as a lone header',
    messages: [raw(3, 18, 0, 0, '')],
    bytes: ['03 000000 000000 12 00000000'],
  },
  {
    name: 'writes chunk stream ids 2, 63, 64, 319, 320 and 65599 in the 1-, 2- and 3-byte basic header forms',
    messages: [raw(2, 8, 0, 0, ''), raw(63, 8, 0, 0, ''), raw(64, 8, 0, 0, ''), raw(319, 8, 0, 0, ''), raw(320, 8, 0, 0, ''), raw(65599, 8, 0, 0, '')],
    bytes: [
      '02 000000 000000 08 00000000',
      '3f 000000 000000 08 00000000',
      '00 00 000000 000000 08 00000000',
      '00 ff 000000 000000 08 00000000',
      '01 00 01 000000 000000 08 00000000',
      '01 ff ff 000000 000000 08 00000000',
    ],
  },
  {
    name: 'uses the long basic header on continuation chunks too',
    messages: [raw(320, 9, 0, 0, `${FILL_128}cd`)],
    bytes: [`01 00 01 000000 000081 09 00000000 ${FILL_128} c1 00 01 cd`],
  },
];

describe('ChunkEncoder', () => {
  describe.each(cases)('$name', ({ messages, bytes }) => {
    it('writes the expected bytes', () => {
      const encoder = new ChunkEncoder();
      expect(messages.map((message) => encoder.encode(message).toString('hex'))).toEqual(bytes.map((b) => hex(b).toString('hex')));
    });

    it('decodes back to the same messages', () => {
      const encoder = new ChunkEncoder();
      const decoded = decodeWhole(Buffer.concat(messages.map((message) => encoder.encode(message))));
      expect(decoded.messages.map(plain)).toEqual(messages.map(plain));
    });
  });

  it('splits at the size given to setChunkSize and reports it', () => {
    const encoder = new ChunkEncoder();
    expect(encoder.chunkSize).toBe(128);
    encoder.setChunkSize(2);
    expect(encoder.chunkSize).toBe(2);
    expect(encoder.encode(raw(3, 8, 0, 0, 'aabbcc')).toString('hex')).toBe(hex('03 000000 000003 08 00000000 aabb c3 cc').toString('hex'));
  });

  it.each([0, -1, 1.5, 0x80000000])('refuses a chunk size of %s', (size) => {
    expect(() => new ChunkEncoder().setChunkSize(size)).toThrow(RangeError);
    expect(() => encodeChunksType0(raw(3, 8, 0, 0, 'aa'), size)).toThrow(RangeError);
  });

  it.each([0, 1, 65600])('refuses chunk stream id %s with CHUNK_BAD_STREAM_ID', (chunkStreamId) => {
    const message = raw(chunkStreamId, 8, 0, 0, 'aa');
    expect(() => new ChunkEncoder().encode(message)).toThrow(expect.objectContaining({ code: 'CHUNK_BAD_STREAM_ID' }));
    expect(() => encodeChunksType0(message, 128)).toThrow(ProtocolError);
  });

  it('refuses a payload longer than the 3-byte length field with MESSAGE_TOO_LARGE', () => {
    const message = { ...raw(3, 9, 0, 0, ''), payload: Buffer.alloc(0x1000000) };
    expect(() => new ChunkEncoder().encode(message)).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }));
  });
});

describe('encodeChunksType0', () => {
  it('always writes a type 0 header then type 3 chunks, whatever came before on that chunk stream', () => {
    const first = raw(6, 9, 1, 40, 'aabb');
    const second = raw(6, 9, 1, 80, 'ccdd');
    encodeChunksType0(first, 128);
    expect(encodeChunksType0(second, 128).toString('hex')).toBe(hex('06 000050 000002 09 01000000 ccdd').toString('hex'));
  });

  it('gives the same bytes as a fresh ChunkEncoder at the same chunk size', () => {
    const message = raw(7, 9, 1, 0x01000000, 'ee'.repeat(300));
    const encoder = new ChunkEncoder();
    encoder.setChunkSize(100);
    expect(encodeChunksType0(message, 100).equals(encoder.encode(message))).toBe(true);
  });

  it('repeats the extended timestamp on its continuation chunks', () => {
    expect(encodeChunksType0(raw(6, 8, 1, 0xfffffffe, 'aabbcc'), 2).toString('hex')).toBe(
      hex('06 ffffff 000003 08 01000000 fffffffe aabb c6 fffffffe cc').toString('hex'),
    );
  });
});
