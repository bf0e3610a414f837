// Properties: whatever the encoders write, the decoder reads back, however the bytes are cut.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkEncoder, encodeChunksType0 } from '../../../../../src/server/rtmp/chunk';
import type { RawMessage } from '../../../../../src/server/rtmp/raw-message';
import { decodePieces, plain } from './decode-helpers';

/** Boundary chunk stream ids of the three basic header forms, and a few ordinary ones. */
const chunkStreamIds = fc.constantFrom(3, 4, 6, 63, 64, 319, 320, 65599);
/** Type ids the decoder passes through (1 and 2 it absorbs). */
const typeIds = fc.constantFrom(3, 4, 8, 9, 15, 18, 20, 22);
/** Deltas around the 3-byte field limit and 2^32, so extended timestamps and wraparound show up. */
const timestampSteps = fc.oneof(
  fc.constantFrom(0, 0, 33, 33, 40, 0xfffffe, 0xffffff, 0x1000000, 0xffffffff),
  fc.nat({ max: 0xffffffff }),
);
const payloadLengths = fc.oneof(fc.constantFrom(0, 1, 127, 128, 129, 256), fc.nat({ max: 700 }));
const chunkSizes = fc.oneof(fc.constantFrom(1, 2, 127, 128, 129, 1000, 4096, 65536), fc.integer({ min: 1, max: 65536 }));

interface Step {
  chunkStreamId: number;
  typeId: number;
  streamId: number;
  timestampStep: number;
  length: number;
  seed: number;
}

const step = fc.record({
  chunkStreamId: chunkStreamIds,
  typeId: typeIds,
  streamId: fc.constantFrom(0, 1, 0xffffffff),
  timestampStep: timestampSteps,
  length: payloadLengths,
  seed: fc.nat({ max: 255 }),
});

/** Turns steps into messages whose timestamps advance per chunk stream, modulo 2^32. */
function toMessages(steps: Step[]): RawMessage[] {
  const clocks = new Map<number, number>();
  return steps.map((s) => {
    const timestamp = ((clocks.get(s.chunkStreamId) ?? 0) + s.timestampStep) >>> 0;
    clocks.set(s.chunkStreamId, timestamp);
    const payload = Buffer.alloc(s.length);
    for (let i = 0; i < s.length; i++) payload[i] = (s.seed + i * 7) & 0xff;
    return { chunkStreamId: s.chunkStreamId, typeId: s.typeId, streamId: s.streamId, timestamp, payload };
  });
}

function setChunkSizeMessage(size: number): RawMessage {
  const payload = Buffer.alloc(4);
  payload.writeUInt32BE(size);
  return { chunkStreamId: 2, typeId: 1, streamId: 0, timestamp: 0, payload };
}

/** Cuts bytes at the given fractions of their length. */
function cut(bytes: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(bytes.subarray(from, point));
    from = point;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}

const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 20 });

describe('chunk round trip', () => {
  it('ChunkEncoder -> ChunkDecoder gives back every message, with chunk size changes along the way', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(step, fc.option(chunkSizes, { freq: 8 })), { maxLength: 40 }), cuts, (plan, cutAt) => {
        const messages = toMessages(plan.map(([s]) => s));
        const encoder = new ChunkEncoder();
        const bytes: Buffer[] = [];
        messages.forEach((message, i) => {
          const newSize = plan[i][1];
          if (newSize !== null) {
            bytes.push(encoder.encode(setChunkSizeMessage(newSize)));
            encoder.setChunkSize(newSize);
          }
          bytes.push(encoder.encode(message));
        });
        const decoded = decodePieces(cut(Buffer.concat(bytes), cutAt));
        expect(decoded.messages.map(plain)).toEqual(messages.map(plain));
      }),
      { numRuns: 300 },
    );
  });

  it('encodeChunksType0 -> ChunkDecoder gives back every message', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), chunkSizes, cuts, (steps, chunkSize, cutAt) => {
        const messages = toMessages(steps);
        const bytes = [encodeChunksType0(setChunkSizeMessage(chunkSize), 128), ...messages.map((m) => encodeChunksType0(m, chunkSize))];
        const decoded = decodePieces(cut(Buffer.concat(bytes), cutAt));
        expect(decoded.messages.map(plain)).toEqual(messages.map(plain));
      }),
      { numRuns: 300 },
    );
  });

  it('never throws anything but a ProtocolError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), cuts, (random, cutAt) => {
        try {
          decodePieces(cut(Buffer.from(random), cutAt), { maxMessageSize: 1000 });
        } catch (err) {
          expect(err).toMatchObject({ name: 'ProtocolError' });
        }
      }),
      { numRuns: 500 },
    );
  });
});
