import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../../src/server/errors';
import { decodeMessage, encodeMessage } from '../../../../../src/server/rtmp/messages';
import type { RtmpMessage } from '../../../../../src/server/rtmp/messages';
import type { RawMessage } from '../../../../../src/server/rtmp/raw-message';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const raw = (typeId: number, payload: Buffer): RawMessage => ({ chunkStreamId: 3, typeId, streamId: 0, timestamp: 0, payload });
/** AMF0 string as hex (AMF0 spec §2.4): marker, 16-bit length, UTF-8. */
const s = (text: string): string => `02 ${Buffer.byteLength(text).toString(16).padStart(4, '0')} ${Buffer.from(text).toString('hex')}`;
/** AMF0 number as hex (AMF0 spec §2.2). */
const n = (value: number): string => {
  const b = Buffer.alloc(9);
  b.writeDoubleBE(value, 1);
  return b.toString('hex');
};
/** Object property name: a string without marker. */
const k = (text: string): string => s(text).slice(3);

const connectBody = `${s('connect')} ${n(1)} 03 ${k('app')} ${s('live')} 000009`;

/** Wire bodies and the typed message they are, both ways (RTMP 1.0 §5.4, §6.2, §7.1). */
const cases: { name: string; typeId: number; payload: string; message: RtmpMessage }[] = [
  { name: 'Set Chunk Size', typeId: 1, payload: '00001000', message: { type: 'setChunkSize', chunkSize: 4096 } },
  { name: 'Abort', typeId: 2, payload: '00000004', message: { type: 'abort', chunkStreamId: 4 } },
  { name: 'Acknowledgement', typeId: 3, payload: 'fffffffe', message: { type: 'acknowledgement', sequenceNumber: 0xfffffffe } },
  { name: 'User Control StreamBegin', typeId: 4, payload: '0000 00000001', message: { type: 'userControl', event: 'streamBegin', streamId: 1 } },
  { name: 'User Control StreamEOF', typeId: 4, payload: '0001 00000001', message: { type: 'userControl', event: 'streamEof', streamId: 1 } },
  { name: 'User Control StreamDry', typeId: 4, payload: '0002 00000002', message: { type: 'userControl', event: 'streamDry', streamId: 2 } },
  {
    name: 'User Control SetBufferLength',
    typeId: 4,
    payload: '0003 00000001 00000bb8',
    message: { type: 'userControl', event: 'setBufferLength', streamId: 1, bufferLength: 3000 },
  },
  { name: 'User Control StreamIsRecorded', typeId: 4, payload: '0004 00000001', message: { type: 'userControl', event: 'streamIsRecorded', streamId: 1 } },
  { name: 'User Control PingRequest', typeId: 4, payload: '0006 12345678', message: { type: 'userControl', event: 'pingRequest', timestamp: 0x12345678 } },
  { name: 'User Control PingResponse', typeId: 4, payload: '0007 12345678', message: { type: 'userControl', event: 'pingResponse', timestamp: 0x12345678 } },
  {
    name: 'User Control of an unknown event type, kept raw (Flash BufferEmpty)',
    typeId: 4,
    payload: '001f 00000001',
    message: { type: 'userControl', event: 'unknown', eventType: 31, data: hex('00000001') },
  },
  { name: 'Window Acknowledgement Size', typeId: 5, payload: '002625a0', message: { type: 'windowAcknowledgementSize', size: 2_500_000 } },
  { name: 'Set Peer Bandwidth hard', typeId: 6, payload: '002625a0 00', message: { type: 'setPeerBandwidth', size: 2_500_000, limitType: 'hard' } },
  { name: 'Set Peer Bandwidth soft', typeId: 6, payload: '002625a0 01', message: { type: 'setPeerBandwidth', size: 2_500_000, limitType: 'soft' } },
  { name: 'Set Peer Bandwidth dynamic', typeId: 6, payload: '002625a0 02', message: { type: 'setPeerBandwidth', size: 2_500_000, limitType: 'dynamic' } },
  { name: 'Audio, passed through', typeId: 8, payload: 'af 01 2100', message: { type: 'audio', payload: hex('af012100') } },
  { name: 'Video, an Enhanced RTMP FourCC body passed through', typeId: 9, payload: '90 68766331 00', message: { type: 'video', payload: hex('906876633100') } },
  {
    name: 'Command AMF0 connect',
    typeId: 20,
    payload: connectBody,
    message: { type: 'command', encoding: 'amf0', name: 'connect', transactionId: 1, commandObject: { app: 'live' }, args: [] },
  },
  {
    name: 'Command AMF0 with extra arguments after the command object',
    typeId: 20,
    payload: `${s('publish')} ${n(5)} 05 ${s('key')} ${s('live')}`,
    message: { type: 'command', encoding: 'amf0', name: 'publish', transactionId: 5, commandObject: null, args: ['key', 'live'] },
  },
  {
    name: 'Command AMF3: the format selector 0, then AMF0',
    typeId: 17,
    payload: `00 ${connectBody}`,
    message: { type: 'command', encoding: 'amf3', name: 'connect', transactionId: 1, commandObject: { app: 'live' }, args: [] },
  },
  {
    name: 'Data AMF0 @setDataFrame, kept as plain values with the raw payload',
    typeId: 18,
    payload: `${s('@setDataFrame')} ${s('onMetaData')} 03 ${k('width')} ${n(320)} 000009`,
    message: {
      type: 'data',
      encoding: 'amf0',
      values: ['@setDataFrame', 'onMetaData', { width: 320 }],
      payload: hex(`${s('@setDataFrame')} ${s('onMetaData')} 03 ${k('width')} ${n(320)} 000009`),
    },
  },
  {
    name: 'Data AMF3: the format selector 0, then AMF0',
    typeId: 15,
    payload: `00 ${s('onTextData')}`,
    message: { type: 'data', encoding: 'amf3', values: ['onTextData'], payload: hex(`00 ${s('onTextData')}`) },
  },
  { name: 'Shared Object AMF0, kept raw', typeId: 19, payload: '0001 61', message: { type: 'sharedObject', encoding: 'amf0', payload: hex('000161') } },
  { name: 'Shared Object AMF3, kept raw', typeId: 16, payload: '00 0001 61', message: { type: 'sharedObject', encoding: 'amf3', payload: hex('00000161') } },
  { name: 'Aggregate, kept raw', typeId: 22, payload: '08 000000', message: { type: 'aggregate', payload: hex('08000000') } },
];

describe('decodeMessage and encodeMessage', () => {
  describe.each(cases)('$name', ({ typeId, payload, message }) => {
    it('decodes the body', () => {
      expect(decodeMessage(raw(typeId, hex(payload)))).toEqual(message);
    });

    it('encodes to the same type id and body', () => {
      const encoded = encodeMessage(message);
      expect(encoded.typeId).toBe(typeId);
      expect(encoded.payload.toString('hex')).toBe(hex(payload).toString('hex'));
    });
  });

  it('keeps audio and video payloads as the very same Buffer', () => {
    const payload = hex('af012100');
    const audio = decodeMessage(raw(8, payload));
    expect(audio.type === 'audio' && audio.payload).toBe(payload);
    expect(encodeMessage(audio).payload).toBe(payload);
  });

  it('decodes a command without a command object as null', () => {
    expect(decodeMessage(raw(20, hex(`${s('_result')} ${n(1)}`)))).toMatchObject({ commandObject: null, args: [] });
  });

  it('encodes a command without an encoding as AMF0, type 20', () => {
    const encoded = encodeMessage({ type: 'command', name: 'connect', transactionId: 1, commandObject: { app: 'live' }, args: [] });
    expect(encoded.typeId).toBe(20);
    expect(encoded.payload.toString('hex')).toBe(hex(connectBody).toString('hex'));
  });

  it('encodes data from its values, not from a stale raw payload', () => {
    const encoded = encodeMessage({ type: 'data', values: ['onMetaData'], payload: hex(`${s('@setDataFrame')} ${s('onMetaData')}`) });
    expect(encoded).toEqual({ typeId: 18, payload: hex(s('onMetaData')) });
  });

  describe('rejects bodies that do not parse as their type', () => {
    it.each([
      ['Set Chunk Size of 3 bytes', 1, '000010'],
      ['Abort of 5 bytes', 2, '0000000400'],
      ['Acknowledgement of 0 bytes', 3, ''],
      ['Window Acknowledgement Size of 8 bytes', 5, '00000000 00000000'],
      ['Set Peer Bandwidth of 4 bytes', 6, '002625a0'],
      ['Set Peer Bandwidth with limit type 3', 6, '002625a0 03'],
      ['User Control of 1 byte', 4, '00'],
      ['User Control StreamBegin without its stream id', 4, '0000'],
      ['User Control SetBufferLength without its length', 4, '0003 00000001'],
      ['User Control PingRequest with 5 timestamp bytes', 4, '0006 0000000000'],
      ['command whose first value is not a string', 20, n(1)],
      ['command without a transaction id', 20, s('connect')],
      ['AMF3 command without the format selector', 17, connectBody],
      ['AMF3 data without the format selector', 15, s('onTextData')],
      ['empty AMF3 command', 17, ''],
    ])('%s fails with MESSAGE_MALFORMED', (_, typeId, payload) => {
      const decode = () => decodeMessage(raw(typeId, hex(payload)));
      expect(decode).toThrow(ProtocolError);
      expect(decode).toThrow(expect.objectContaining({ code: 'MESSAGE_MALFORMED' }));
    });

    it('passes on the AMF codec error for a truncated command body', () => {
      expect(() => decodeMessage(raw(20, hex(connectBody).subarray(0, 20)))).toThrow(expect.objectContaining({ code: 'AMF_MALFORMED' }));
    });

    it.each([0, 7, 10, 14, 21, 23, 255])('fails with MESSAGE_UNKNOWN_TYPE on type id %i', (typeId) => {
      expect(() => decodeMessage(raw(typeId, hex('00')))).toThrow(expect.objectContaining({ code: 'MESSAGE_UNKNOWN_TYPE' }));
    });
  });
});
