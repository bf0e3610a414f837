import { describe, expect, it } from 'vitest';
import { splitAggregate } from '../../../../../src/server/rtmp/messages';
import type { RawMessage } from '../../../../../src/server/rtmp/raw-message';

interface Sub {
  typeId: number;
  timestamp: number;
  streamId?: number;
  payload: Buffer;
}

/** An aggregate body (RTMP 1.0 §7.1.6): FLV-style sub-headers (FLV spec E.4.1), bodies, back pointers. */
function aggregateBody(subs: Sub[]): Buffer {
  return Buffer.concat(
    subs.flatMap(({ typeId, timestamp, streamId = 0, payload }) => {
      const header = Buffer.alloc(11);
      header[0] = typeId;
      header.writeUIntBE(payload.length, 1, 3);
      header.writeUIntBE(timestamp & 0xffffff, 4, 3);
      header[7] = timestamp >>> 24;
      header.writeUIntBE(streamId, 8, 3);
      const backPointer = Buffer.alloc(4);
      backPointer.writeUInt32BE(11 + payload.length);
      return [header, payload, backPointer];
    }),
  );
}

const aggregate = (timestamp: number, payload: Buffer): RawMessage => ({ chunkStreamId: 7, typeId: 22, streamId: 1, timestamp, payload });

describe('splitAggregate', () => {
  it('splits audio, video and data sub-messages, rebasing timestamps on the aggregate and taking its stream id', () => {
    const audio = Buffer.from('af01aa', 'hex');
    const video = Buffer.from('2701000000bb', 'hex');
    const data = Buffer.from('0200', 'hex');
    const body = aggregateBody([
      { typeId: 8, timestamp: 1000, streamId: 9, payload: audio },
      { typeId: 9, timestamp: 1033, payload: video },
      { typeId: 18, timestamp: 1040, payload: data },
    ]);
    const messages = splitAggregate(aggregate(5000, body));
    expect(messages).toEqual([
      { chunkStreamId: 7, typeId: 8, streamId: 1, timestamp: 5000, payload: audio },
      { chunkStreamId: 7, typeId: 9, streamId: 1, timestamp: 5033, payload: video },
      { chunkStreamId: 7, typeId: 18, streamId: 1, timestamp: 5040, payload: data },
    ]);
    expect(messages[1].payload.buffer).toBe(body.buffer);
  });

  it('reads the fourth sub-header timestamp byte as bits 24-31 and shifts modulo 2^32', () => {
    const body = aggregateBody([
      { typeId: 9, timestamp: 0x01000005, payload: Buffer.from('aa', 'hex') },
      { typeId: 9, timestamp: 0x01000045, payload: Buffer.from('bb', 'hex') },
    ]);
    expect(splitAggregate(aggregate(0xffffffe0, body)).map((m) => m.timestamp)).toEqual([0xffffffe0, 0x20]);
    expect(splitAggregate(aggregate(0x01000005, body)).map((m) => m.timestamp)).toEqual([0x01000005, 0x01000045]);
  });

  it('gives nothing for an empty aggregate', () => {
    expect(splitAggregate(aggregate(0, Buffer.alloc(0)))).toEqual([]);
  });

  describe('fails with MESSAGE_MALFORMED', () => {
    const good = aggregateBody([{ typeId: 8, timestamp: 0, payload: Buffer.from('af01aa', 'hex') }]);
    it.each([
      ['a truncated sub-header', good.subarray(0, 10)],
      ['a body shorter than its length', good.subarray(0, 13)],
      ['a missing back pointer', good.subarray(0, good.length - 1)],
      ['a trailing partial sub-message', Buffer.concat([good, Buffer.from('09', 'hex')])],
      ['a command sub-message', aggregateBody([{ typeId: 20, timestamp: 0, payload: Buffer.from('05', 'hex') }])],
      ['a nested aggregate', aggregateBody([{ typeId: 22, timestamp: 0, payload: good }])],
    ])('on %s', (_, body) => {
      expect(() => splitAggregate(aggregate(0, body))).toThrow(expect.objectContaining({ code: 'MESSAGE_MALFORMED' }));
    });
  });
});
