// The chunk stream a real ffmpeg 5.1 publisher sent (test/fixtures/chunk/capture.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ChunkEncoder, encodeChunksType0 } from '../../../../../src/server/rtmp/chunk';
import { decodeMessage } from '../../../../../src/server/rtmp/messages';
import type { RtmpMessage } from '../../../../../src/server/rtmp/messages';
import { decodeByteByByte, decodeSplitAt, decodeWhole, plain } from './decode-helpers';

const fixture = readFileSync(new URL('../../../../fixtures/chunk/ffmpeg-publish.bin', import.meta.url));
const whole = decodeWhole(fixture);
const typed = whole.messages.map(decodeMessage);

const commandNames = (messages: RtmpMessage[]) => messages.flatMap((m) => (m.type === 'command' ? [m.name] : []));
const isAvcSequenceHeader = (m: RtmpMessage) => m.type === 'video' && m.payload[0] === 0x17 && m.payload[1] === 0;
// FLV spec E.4.2.1: sound format 10 is AAC, AACPacketType 0 the AudioSpecificConfig.
const isAacSequenceHeader = (m: RtmpMessage) => m.type === 'audio' && m.payload[0] >> 4 === 10 && m.payload[1] === 0;

describe('ffmpeg publisher fixture', () => {
  it('decodes the publish sequence: connect, releaseStream, FCPublish, createStream, publish, then FCUnpublish, deleteStream', () => {
    expect(commandNames(typed)).toEqual(['connect', 'releaseStream', 'FCPublish', 'createStream', 'publish', 'FCUnpublish', 'deleteStream']);
    const connect = typed[0];
    expect(connect).toMatchObject({ type: 'command', name: 'connect', transactionId: 1, commandObject: { app: 'live', type: 'nonprivate' } });
    const publish = typed.find((m) => m.type === 'command' && m.name === 'publish');
    expect(publish).toMatchObject({ transactionId: 5, commandObject: null, args: ['x', 'live'] });
    expect(whole.messages[typed.indexOf(publish!)].streamId).toBe(1);
  });

  it('absorbs the Set Chunk Size ffmpeg echoes back and reads the rest at 1000 bytes a chunk', () => {
    expect(whole.controls).toEqual([{ type: 'setChunkSize', chunkSize: 1000 }]);
    expect(whole.messages.some((m) => m.typeId === 1)).toBe(false);
    expect(Math.max(...whole.messages.map((m) => m.payload.length))).toBeGreaterThan(1000);
  });

  it('decodes @setDataFrame onMetaData as plain values and keeps its raw payload', () => {
    const data = typed.find((m) => m.type === 'data');
    expect(data).toMatchObject({ type: 'data', values: ['@setDataFrame', 'onMetaData', expect.anything()] });
    expect(data?.type === 'data' && data.payload?.equals(whole.messages[typed.indexOf(data)].payload)).toBe(true);
  });

  it('carries the AVC and AAC sequence headers before the coded frames, on message stream 1', () => {
    const firstVideo = typed.findIndex((m) => m.type === 'video');
    const firstAudio = typed.findIndex((m) => m.type === 'audio');
    expect(isAvcSequenceHeader(typed[firstVideo])).toBe(true);
    expect(isAacSequenceHeader(typed[firstAudio])).toBe(true);
    const media = whole.messages.filter((m) => m.typeId === 8 || m.typeId === 9);
    expect(media.length).toBeGreaterThan(100);
    expect(media.every((m) => m.streamId === 1)).toBe(true);
  });

  it('gives non-decreasing timestamps per media type, reaching about 2 s', () => {
    for (const typeId of [8, 9]) {
      const times = whole.messages.filter((m) => m.typeId === typeId).map((m) => m.timestamp);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.at(-1)).toBeGreaterThan(1800);
      expect(times.at(-1)).toBeLessThan(2200);
    }
  });

  it('decodes the same messages fed one byte at a time', () => {
    expect(decodeByteByByte(fixture).messages.map(plain)).toEqual(whole.messages.map(plain));
  });

  it('decodes the same messages split at every point of the first 3000 bytes', () => {
    const prefix = fixture.subarray(0, 3000);
    const expected = decodeWhole(prefix).messages.map(plain);
    expect(expected.length).toBeGreaterThan(5);
    for (let at = 1; at < prefix.length; at++) {
      expect(decodeSplitAt(prefix, at).messages.map(plain), `split at ${at}`).toEqual(expected);
    }
  });

  it.each([128, 1000, 4096, 65536])('re-encodes through a ChunkEncoder at chunk size %i and decodes the same again', (chunkSize) => {
    const encoder = new ChunkEncoder();
    const setChunkSize = { chunkStreamId: 2, typeId: 1, streamId: 0, timestamp: 0, payload: Buffer.alloc(4) };
    setChunkSize.payload.writeUInt32BE(chunkSize);
    const pieces = [encoder.encode(setChunkSize)];
    encoder.setChunkSize(chunkSize);
    for (const message of whole.messages) pieces.push(encoder.encode(message));
    const again = decodeWhole(Buffer.concat(pieces));
    expect(again.messages.map(plain)).toEqual(whole.messages.map(plain));
  });

  it('re-encodes with encodeChunksType0 and decodes the same again', () => {
    const again = decodeWhole(Buffer.concat(whole.messages.map((m) => encodeChunksType0(m, 128))));
    expect(again.messages.map(plain)).toEqual(whole.messages.map(plain));
  });
});
