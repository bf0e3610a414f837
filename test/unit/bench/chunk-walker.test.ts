import { describe, expect, it } from 'vitest';
import { ChunkWalker, isCodedKeyframe } from '../../../bench/chunk-walker';
import { ProtocolError } from '../../../src/server/errors';
import { ChunkEncoder, encodeChunksType0 } from '../../../src/server/rtmp/chunk';
import type { RawMessage } from '../../../src/server/rtmp/raw-message';

interface Seen {
  kind: 'media' | 'message';
  typeId: number;
  timestamp: number;
  keyframe?: boolean;
  streamId?: number;
  payload?: string;
}

function walker(options = {}): { walker: ChunkWalker; seen: Seen[] } {
  const seen: Seen[] = [];
  const w = new ChunkWalker(
    {
      onMedia: (typeId, timestamp, keyframe) => seen.push({ kind: 'media', typeId, timestamp, keyframe }),
      onMessage: (typeId, streamId, timestamp, payload) =>
        seen.push({ kind: 'message', typeId, streamId, timestamp, payload: payload.toString('hex') }),
    },
    options,
  );
  return { walker: w, seen };
}

/** Feeds `bytes` in pieces cut at `cuts`, each piece in a fresh buffer that is overwritten after the push. */
function walkPieces(bytes: Buffer, cuts: number[]): Seen[] {
  const { walker: w, seen } = walker();
  let start = 0;
  for (const end of [...cuts, bytes.length]) {
    const piece = Buffer.from(bytes.subarray(start, end));
    w.push(piece);
    piece.fill(0xee); // the walker must not keep references into a read buffer
    start = end;
  }
  return seen;
}

const raw = (chunkStreamId: number, typeId: number, timestamp: number, payload: Buffer, streamId = 1): RawMessage => ({
  chunkStreamId,
  typeId,
  streamId,
  timestamp,
  payload,
});

const bytesOf = (length: number, first: number[] = []): Buffer => {
  const b = Buffer.alloc(length, 0x5a);
  Buffer.from(first).copy(b);
  return b;
};

const AVC_KEY = [0x17, 0x01];
const AVC_INTER = [0x27, 0x01];
const AVC_SEQUENCE_HEADER = [0x17, 0x00];
const AAC_RAW = [0xaf, 0x01];
const SET_CHUNK_SIZE_4096 = Buffer.from('00001000', 'hex');

/** A stream as a server writes it to a player: control, a command, then interleaved media with header compression. */
function serverStream(): { bytes: Buffer; expected: Seen[] } {
  const encoder = new ChunkEncoder();
  const parts: Buffer[] = [];
  const expected: Seen[] = [];
  const message = (m: RawMessage, seen: Seen): void => {
    parts.push(encoder.encode(m));
    expected.push(seen);
  };
  message(raw(2, 1, 0, SET_CHUNK_SIZE_4096, 0), { kind: 'message', typeId: 1, streamId: 0, timestamp: 0, payload: '00001000' });
  encoder.setChunkSize(4096);
  const command = Buffer.from('0200076f6e537461747573', 'hex');
  message(raw(5, 20, 0, command), { kind: 'message', typeId: 20, streamId: 1, timestamp: 0, payload: command.toString('hex') });
  message(raw(6, 9, 0, bytesOf(40, AVC_SEQUENCE_HEADER)), { kind: 'media', typeId: 9, timestamp: 0, keyframe: false });
  for (let frame = 0; frame < 4; frame++) {
    const ts = 33 * frame;
    const video = frame === 0 ? bytesOf(9000, AVC_KEY) : bytesOf(1500 + frame, AVC_INTER);
    message(raw(6, 9, ts, video), { kind: 'media', typeId: 9, timestamp: ts, keyframe: frame === 0 });
    message(raw(4, 8, ts + 5, bytesOf(300, AAC_RAW)), { kind: 'media', typeId: 8, timestamp: ts + 5, keyframe: false });
  }
  return { bytes: Buffer.concat(parts), expected };
}

describe('ChunkWalker', () => {
  const { bytes, expected } = serverStream();

  it('reports every message of a compressed-header stream with type id, timestamp and keyframe, fed whole', () => {
    expect(walkPieces(bytes, [])).toEqual(expected);
  });

  it('reports the same messages fed one byte at a time', () => {
    expect(walkPieces(bytes, Array.from({ length: bytes.length - 1 }, (_, i) => i + 1))).toEqual(expected);
  });

  it('reports the same messages split at every point', () => {
    for (let cut = 1; cut < bytes.length; cut++) expect(walkPieces(bytes, [cut])).toEqual(expected);
  });

  it('applies Set Chunk Size to the chunks after it (a 9000-byte frame in 4096-byte chunks)', () => {
    const { walker: w, seen } = walker();
    w.push(encodeChunksType0(raw(2, 1, 0, Buffer.from('0000ea60', 'hex'), 0), 128)); // 60000
    w.push(encodeChunksType0(raw(6, 9, 7, bytesOf(70_000, AVC_KEY)), 60_000));
    expect(seen.at(-1)).toEqual({ kind: 'media', typeId: 9, timestamp: 7, keyframe: true });
  });

  it('reads extended timestamps, repeated on type 3 continuation chunks', () => {
    const ts = 0x01234567;
    const stream = Buffer.concat([encodeChunksType0(raw(6, 9, ts, bytesOf(300, AVC_KEY)), 128), encodeChunksType0(raw(4, 8, ts + 1, bytesOf(10)), 128)]);
    for (let cut = 1; cut < stream.length; cut++) {
      expect(walkPieces(stream, [cut])).toEqual([
        { kind: 'media', typeId: 9, timestamp: ts, keyframe: true },
        { kind: 'media', typeId: 8, timestamp: ts + 1, keyframe: false },
      ]);
    }
  });

  it('reads chunk stream ids in the 2- and 3-byte basic header forms', () => {
    const stream = Buffer.concat([encodeChunksType0(raw(300, 8, 1, bytesOf(200)), 128), encodeChunksType0(raw(65599, 8, 2, bytesOf(200)), 128)]);
    expect(walkPieces(stream, []).map((s) => s.timestamp)).toEqual([1, 2]);
  });

  it('adds the type 0 timestamp field again for a type 3 chunk opening a message after it (ffmpeg, librtmp)', () => {
    const bytes = Buffer.from('04 000064 000001 08 00000000 aa  c4 bb'.replace(/\s+/g, ''), 'hex');
    expect(walkPieces(bytes, []).map((s) => s.timestamp)).toEqual([100, 200]);
  });

  it('drops a partial message on Abort and reads the next one on that chunk stream', () => {
    const partial = encodeChunksType0(raw(6, 9, 10, bytesOf(200, AVC_KEY)), 128).subarray(0, 12 + 128);
    const abort = encodeChunksType0(raw(2, 2, 0, Buffer.from('00000006', 'hex'), 0), 128);
    const next = encodeChunksType0(raw(6, 9, 20, bytesOf(50, AVC_INTER)), 128);
    const seen = walkPieces(Buffer.concat([partial, abort, next]), []);
    expect(seen.filter((s) => s.kind === 'media')).toEqual([{ kind: 'media', typeId: 9, timestamp: 20, keyframe: false }]);
  });

  it('rejects a type 1 chunk on a chunk stream never opened by type 0', () => {
    const { walker: w } = walker();
    expect(() => w.push(Buffer.from('4300000a00000208dddd', 'hex'))).toThrow(
      expect.objectContaining({ code: 'CHUNK_NO_PREVIOUS_HEADER' }) as ProtocolError,
    );
  });

  it('rejects a non-media message larger than maxAssembledSize but never assembles media', () => {
    const { walker: w, seen } = walker({ maxAssembledSize: 100 });
    w.push(encodeChunksType0(raw(6, 9, 0, bytesOf(1000, AVC_KEY)), 128));
    expect(seen).toHaveLength(1);
    expect(() => w.push(encodeChunksType0(raw(3, 20, 0, bytesOf(101)), 128))).toThrow(
      expect.objectContaining({ code: 'MESSAGE_TOO_LARGE' }) as ProtocolError,
    );
  });

  it('rejects a Set Chunk Size of 0', () => {
    const { walker: w } = walker();
    expect(() => w.push(encodeChunksType0(raw(2, 1, 0, Buffer.alloc(4), 0), 128))).toThrow(
      expect.objectContaining({ code: 'CHUNK_SIZE_INVALID' }) as ProtocolError,
    );
  });
});

describe('isCodedKeyframe', () => {
  it.each([
    ['an AVC key frame NALU', 0x17, 0x01, true],
    ['an AVC sequence header', 0x17, 0x00, false],
    ['an AVC inter frame', 0x27, 0x01, false],
    ['an HEVC (codec id 12) key frame NALU', 0x1c, 0x01, true],
    ['a VP6 key frame', 0x14, 0x00, true],
    ['an Enhanced RTMP key frame, CodedFrames', 0x91, 0x00, true],
    ['an Enhanced RTMP key frame, CodedFramesX', 0x93, 0x00, true],
    ['an Enhanced RTMP SequenceStart', 0x90, 0x00, false],
    ['an Enhanced RTMP inter frame', 0xa1, 0x00, false],
  ])('tells %s', (_name, head0, head1, keyframe) => {
    expect(isCodedKeyframe(head0, head1)).toBe(keyframe);
  });
});
