import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../../src/server/errors';
import { ChunkDecoder } from '../../../../../src/server/rtmp/chunk';
import type { RawMessage } from '../../../../../src/server/rtmp/raw-message';
import { decodeByteByByte, decodePieces, decodeSplitAt, decodeWhole, hex, plain } from './decode-helpers';

type Expected = ReturnType<typeof plain>;

const msg = (chunkStreamId: number, typeId: number, streamId: number, timestamp: number, payload: string): Expected => ({
  chunkStreamId,
  typeId,
  streamId,
  timestamp,
  payload: payload.replace(/\s+/g, ''),
});

const FILL_128 = 'ab'.repeat(128);

/** Hand-made chunk streams (RTMP 1.0 §5.3.1) and the messages they carry. */
const cases: { name: string; bytes: string; messages: Expected[]; controls?: unknown[] }[] = [
  {
    name: 'reads a type 0 chunk: absolute timestamp, length, type id, little-endian stream id',
    bytes: '03 000064 000003 14 01000000 aabbcc',
    messages: [msg(3, 20, 1, 100, 'aabbcc')],
  },
  {
    name: 'reads type 1 (delta, length, type), type 2 (delta) and type 3 (reused delta) message headers',
    bytes: '03 000064 000003 14 01000000 aabbcc  43 00000a 000002 08 dddd  83 000005 eeff  c3 1122',
    messages: [msg(3, 20, 1, 100, 'aabbcc'), msg(3, 8, 1, 110, 'dddd'), msg(3, 8, 1, 115, 'eeff'), msg(3, 8, 1, 120, '1122')],
  },
  {
    name: 'adds the type 0 timestamp field again for a type 3 chunk opening a message after it (ffmpeg, librtmp)',
    bytes: '04 000064 000001 08 00000000 aa  c4 bb',
    messages: [msg(4, 8, 0, 100, 'aa'), msg(4, 8, 0, 200, 'bb')],
  },
  {
    name: 'joins a message split into type 3 continuation chunks at the default chunk size of 128',
    bytes: `05 000000 000082 09 01000000 ${FILL_128} c5 cdef`,
    messages: [msg(5, 9, 1, 0, `${FILL_128}cdef`)],
  },
  {
    name: 'delivers a zero-length message',
    bytes: '03 000007 000000 12 00000000',
    messages: [msg(3, 18, 0, 7, '')],
  },
  {
    name: 'reads an extended timestamp after a type 0 header of 0xFFFFFF',
    bytes: '03 ffffff 000002 08 00000000 01000000 aabb',
    messages: [msg(3, 8, 0, 0x01000000, 'aabb')],
  },
  {
    name: 'skips the extended timestamp repeated on type 3 continuation chunks (ffmpeg, Flash)',
    bytes: `03 ffffff 000082 09 00000000 01000000 ${FILL_128} c3 01000000 cdef`,
    messages: [msg(3, 9, 0, 0x01000000, `${FILL_128}cdef`)],
  },
  {
    name: 'keeps the header delta when a continuation chunk repeats a different extended timestamp',
    bytes: `03 000000 000001 09 00000000 aa  43 ffffff 000082 09 01000000 ${FILL_128} c3 0badf00d cdef  c3 01000000 ${FILL_128} c3 01000000 cdef`,
    messages: [msg(3, 9, 0, 0, 'aa'), msg(3, 9, 0, 0x01000000, `${FILL_128}cdef`), msg(3, 9, 0, 0x02000000, `${FILL_128}cdef`)],
  },
  {
    name: 'reads the extended delta of a type 3 chunk that opens a new message',
    bytes: '03 000000 000001 08 00000000 aa  43 ffffff 000001 08 01000000 bb  c3 01000000 cc',
    messages: [msg(3, 8, 0, 0, 'aa'), msg(3, 8, 0, 0x01000000, 'bb'), msg(3, 8, 0, 0x02000000, 'cc')],
  },
  {
    name: 'wraps timestamps modulo 2^32 when a delta passes 0xFFFFFFFF',
    bytes: '03 ffffff 000001 08 00000000 fffffff0 aa  83 000020 bb  c3 cc',
    messages: [msg(3, 8, 0, 0xfffffff0, 'aa'), msg(3, 8, 0, 0x10, 'bb'), msg(3, 8, 0, 0x30, 'cc')],
  },
  {
    name: 'reads chunk stream ids 2 and 63 from the 1-byte basic header',
    bytes: '02 000000 000001 05 00000000 01  3f 000000 000001 08 00000000 02  bf 000001 03',
    messages: [msg(2, 5, 0, 0, '01'), msg(63, 8, 0, 0, '02'), msg(63, 8, 0, 1, '03')],
  },
  {
    name: 'reads chunk stream ids 64 and 319 from the 2-byte basic header',
    bytes: '00 00 000000 000001 08 00000000 01  00 ff 000000 000001 08 00000000 02  c0 ff 03',
    messages: [msg(64, 8, 0, 0, '01'), msg(319, 8, 0, 0, '02'), msg(319, 8, 0, 0, '03')],
  },
  {
    name: 'reads chunk stream ids 320 and 65599 from the little-endian 3-byte basic header',
    bytes: '01 00 01 000000 000001 08 00000000 01  01 ff ff 000000 000001 08 00000000 02  41 00 01 000002 000001 09 03',
    messages: [msg(320, 8, 0, 0, '01'), msg(65599, 8, 0, 0, '02'), msg(320, 9, 0, 2, '03')],
  },
  {
    name: 'reassembles messages whose chunks interleave on different chunk streams',
    bytes: `04 000000 000082 09 01000000 ${FILL_128}  06 000005 000001 08 01000000 77  c4 cdef`,
    messages: [msg(6, 8, 1, 5, '77'), msg(4, 9, 1, 0, `${FILL_128}cdef`)],
  },
  {
    name: 'absorbs Abort: the partial message on that chunk stream is dropped and not reported',
    bytes: `04 000000 000082 09 00000000 ${FILL_128}  02 000000 000004 02 00000000 00000004  04 000009 000001 08 00000000 55`,
    messages: [msg(4, 8, 0, 9, '55')],
    controls: [{ type: 'abort', chunkStreamId: 4 }],
  },
  {
    name: 'absorbs Set Chunk Size and reads the chunks after it at the new size',
    bytes: `02 000000 000004 01 00000000 00000100  05 000000 000082 09 00000000 ${FILL_128}cdef`,
    messages: [msg(5, 9, 0, 0, `${FILL_128}cdef`)],
    controls: [{ type: 'setChunkSize', chunkSize: 256 }],
  },
  {
    name: 'applies a smaller Set Chunk Size in the middle of a message on another chunk stream',
    bytes: `05 000000 000084 09 00000000 ${FILL_128}  02 000000 000004 01 00000000 00000001  c5 01 c5 02 c5 03 c5 04`,
    messages: [msg(5, 9, 0, 0, `${FILL_128}01020304`)],
    controls: [{ type: 'setChunkSize', chunkSize: 1 }],
  },
  {
    name: 'lets a new type 1 header replace a partly received message, as ffmpeg does',
    bytes: `05 000000 000082 09 00000000 ${FILL_128}  45 000001 000001 08 99`,
    messages: [msg(5, 8, 0, 1, '99')],
  },
  {
    name: 'ignores the extended timestamp state of a chunk stream once a later header is short',
    bytes: '03 ffffff 000001 08 00000000 01000000 aa  83 000001 bb  c3 cc',
    messages: [msg(3, 8, 0, 0x01000000, 'aa'), msg(3, 8, 0, 0x01000001, 'bb'), msg(3, 8, 0, 0x01000002, 'cc')],
  },
];

describe('ChunkDecoder', () => {
  describe.each(cases)('$name', ({ bytes, messages, controls }) => {
    const input = hex(bytes);

    it('fed whole', () => {
      const decoded = decodeWhole(input);
      expect(decoded.messages.map(plain)).toEqual(messages);
      expect(decoded.controls).toEqual(controls ?? []);
    });

    it('fed one byte at a time', () => {
      expect(decodeByteByByte(input).messages.map(plain)).toEqual(messages);
    });

    it('fed split at every point', () => {
      for (let at = 1; at < input.length; at++) {
        expect(decodeSplitAt(input, at).messages.map(plain), `split at ${at}`).toEqual(messages);
      }
    });
  });

  it('hands out a view of the pushed buffer when a message sits in one chunk, without copying', () => {
    const input = hex('03 000000 000003 08 00000000 aabbcc');
    const { messages } = decodeWhole(input);
    expect(messages[0].payload.buffer).toBe(input.buffer);
    expect(messages[0].payload.byteOffset).toBe(input.byteOffset + 12);
  });

  it('joins a message of many chunks into one buffer of exactly its length', () => {
    const payload = Buffer.alloc(100_000, 0x5a);
    const chunks: Buffer[] = [hex('03 000000 0186a0 09 00000000'), payload.subarray(0, 128)];
    for (let sent = 128; sent < payload.length; sent += 128) chunks.push(hex('c3'), payload.subarray(sent, sent + 128));
    const { messages } = decodePieces(chunks);
    expect(messages).toHaveLength(1);
    expect(messages[0].payload.length).toBe(100_000);
    expect(messages[0].payload.equals(payload)).toBe(true);
  });

  describe('rejects hostile input', () => {
    const rejects = (bytes: Buffer, code: string, options?: ConstructorParameters<typeof ChunkDecoder>[1]) => {
      const whole = () => decodeWhole(bytes, options);
      expect(whole).toThrow(ProtocolError);
      expect(whole).toThrow(expect.objectContaining({ code }));
      expect(() => decodeByteByByte(bytes, options)).toThrow(expect.objectContaining({ code }));
    };

    it.each([
      ['type 1', '43 000000 000001 08 aa'],
      ['type 2', '83 000000 aa'],
      ['type 3', 'c3 aa'],
      ['type 1 on a 3-byte id', '41 00 01 000000 000001 08 aa'],
    ])('fails with CHUNK_NO_PREVIOUS_HEADER on a %s chunk on a chunk stream never opened by type 0', (_, bytes) => {
      rejects(hex(bytes), 'CHUNK_NO_PREVIOUS_HEADER');
    });

    it('fails with MESSAGE_TOO_LARGE on a type 0 length above the default 8 MiB', () => {
      rejects(hex('03 000000 800001 09 00000000'), 'MESSAGE_TOO_LARGE');
    });

    it('accepts a message of exactly maxMessageSize and refuses one byte more on a type 1 header', () => {
      const options = { maxMessageSize: 2 };
      expect(decodeWhole(hex('03 000000 000002 08 00000000 aabb'), options).messages).toHaveLength(1);
      rejects(hex('03 000000 000002 08 00000000 aabb 43 000000 000003 08'), 'MESSAGE_TOO_LARGE', options);
    });

    it('fails with CHUNK_TOO_MANY_STREAMS when a 65th chunk stream opens under the default limit', () => {
      const open = (id: number) => Buffer.concat([hex('01'), Buffer.from([(id - 64) & 0xff, (id - 64) >> 8]), hex('000000 000000 08 00000000')]);
      const ids = Array.from({ length: 64 }, (_, i) => 400 + i);
      expect(decodeWhole(Buffer.concat(ids.map(open))).messages).toHaveLength(64);
      rejects(Buffer.concat([...ids.map(open), open(1000)]), 'CHUNK_TOO_MANY_STREAMS');
    });

    it('counts reused chunk streams once toward maxChunkStreams', () => {
      const bytes = hex('03 000000 000000 08 00000000  04 000000 000000 08 00000000  c3 c4 c3');
      expect(decodeWhole(bytes, { maxChunkStreams: 2 }).messages).toHaveLength(5);
      rejects(Buffer.concat([bytes, hex('05 000000 000000 08 00000000')]), 'CHUNK_TOO_MANY_STREAMS', { maxChunkStreams: 2 });
    });

    it.each([
      ['0', '00000000'],
      ['with the top bit set', '80000100'],
      ['above the default limit of 65536', '00010001'],
    ])('fails with CHUNK_SIZE_INVALID on a Set Chunk Size of %s', (_, size) => {
      rejects(hex(`02 000000 000004 01 00000000 ${size}`), 'CHUNK_SIZE_INVALID');
    });

    it('accepts a Set Chunk Size of exactly maxChunkSize', () => {
      expect(decodeWhole(hex('02 000000 000004 01 00000000 00010000')).controls).toEqual([
        { type: 'setChunkSize', chunkSize: 65536 },
      ]);
    });

    it('fails with MESSAGE_MALFORMED on a Set Chunk Size body that is not 4 bytes', () => {
      rejects(hex('02 000000 000003 01 00000000 000100'), 'MESSAGE_MALFORMED');
    });

    it('fails with MESSAGE_MALFORMED on an Abort body that is not 4 bytes', () => {
      rejects(hex('02 000000 000005 02 00000000 0000000400'), 'MESSAGE_MALFORMED');
    });

    it('stays dead after an error: every later push throws the same error', () => {
      const decoder = new ChunkDecoder(() => undefined);
      let first: unknown;
      try {
        decoder.push(hex('c3'));
      } catch (err) {
        first = err;
      }
      expect(first).toBeInstanceOf(ProtocolError);
      expect(() => decoder.push(hex('03 000000 000000 08 00000000'))).toThrow(first as Error);
      expect(() => decoder.push(Buffer.alloc(0))).toThrow(first as Error);
    });

    it('passes a message of an unknown type id through: decodeMessage owns that check', () => {
      const { messages } = decodeWhole(hex('03 000000 000001 07 00000000 aa'));
      expect(messages.map((m: RawMessage) => m.typeId)).toEqual([7]);
    });
  });

  it.each([
    ['maxChunkSize', { maxChunkSize: 0 }],
    ['maxChunkSize', { maxChunkSize: 0x80000000 }],
    ['maxMessageSize', { maxMessageSize: -1 }],
    ['maxChunkStreams', { maxChunkStreams: 1.5 }],
  ])('refuses a nonsensical %s option', (_, options) => {
    expect(() => new ChunkDecoder(() => undefined, options)).toThrow(RangeError);
  });
});
