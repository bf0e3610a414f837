import { describe, expect, it } from 'vitest';
import {
  EcmaArray,
  TypedObject,
  XmlDocument,
  decodeAmf0,
  encodeAmf0,
} from '../../../../../src/server/rtmp/amf';
import type { AmfValue } from '../../../../../src/server/rtmp/amf';
import { expectProtocolError } from '../../../../support/protocol-error';
import { expectAmfEqual, fixture, hex } from './helpers';

interface ByteFixture {
  name: string;
  bytes: Buffer;
  value: AmfValue;
  /** The bytes are another encoder's choice; ours differs, so only decoding is checked. */
  decodeOnly?: boolean;
}

const long = (length: number) => 'a'.repeat(length);

const byteFixtures: ByteFixture[] = [
  { name: 'number 0', bytes: hex('00 0000000000000000'), value: 0 },
  { name: 'number 1.5', bytes: hex('00 3ff8000000000000'), value: 1.5 },
  { name: 'number -0', bytes: hex('00 8000000000000000'), value: -0 },
  { name: 'number NaN', bytes: hex('00 7ff8000000000000'), value: NaN },
  { name: 'number -Infinity', bytes: hex('00 fff0000000000000'), value: -Infinity },
  { name: 'boolean true', bytes: hex('01 01'), value: true },
  { name: 'boolean false', bytes: hex('01 00'), value: false },
  { name: 'boolean any non-zero byte is true', bytes: hex('01 7f'), value: true, decodeOnly: true },
  { name: 'empty string', bytes: hex('02 0000'), value: '' },
  { name: 'string', bytes: hex('02 0007 636f6e6e656374'), value: 'connect' },
  { name: 'string with 2- and 4-byte UTF-8', bytes: hex('02 0006 c3a9 f09f9880'), value: 'é😀' },
  {
    name: 'string of exactly 65535 UTF-8 bytes stays short',
    bytes: Buffer.concat([hex('02 ffff'), Buffer.from(long(0xffff))]),
    value: long(0xffff),
  },
  {
    name: 'string of 65536 UTF-8 bytes becomes a long string',
    bytes: Buffer.concat([hex('0c 00010000'), Buffer.from(long(0x10000))]),
    value: long(0x10000),
  },
  {
    name: 'long string measured in UTF-8 bytes, not characters',
    bytes: Buffer.concat([hex('0c 00010002'), Buffer.from('é'.repeat(0x8001))]),
    value: 'é'.repeat(0x8001),
  },
  { name: 'short long string', bytes: hex('0c 00000002 6869'), value: 'hi', decodeOnly: true },
  { name: 'empty object', bytes: hex('03 0000 09'), value: {} },
  {
    name: 'object',
    bytes: hex('03 0001 61 003ff0000000000000 0001 62 0200017a 0000 09'),
    value: { a: 1, b: 'z' },
  },
  { name: 'null', bytes: hex('05'), value: null },
  { name: 'undefined', bytes: hex('06'), value: undefined },
  { name: 'unsupported decodes as undefined', bytes: hex('0d'), value: undefined, decodeOnly: true },
  {
    name: 'ECMA array',
    bytes: hex('08 00000002 0001 61 0101 0001 62 05 0000 09'),
    value: new EcmaArray({ a: true, b: null }),
  },
  {
    name: 'ECMA array whose count is wrong (the count is only a hint)',
    bytes: hex('08 00000000 0001 61 0101 0000 09'),
    value: new EcmaArray({ a: true }),
    decodeOnly: true,
  },
  { name: 'empty strict array', bytes: hex('0a 00000000'), value: [] },
  {
    name: 'strict array',
    bytes: hex('0a 00000003 003ff0000000000000 02000161 06'),
    value: [1, 'a', undefined],
  },
  { name: 'date', bytes: hex('0b 4014000000000000 0000'), value: new Date(5) },
  {
    name: 'date ignores the reserved time zone',
    bytes: hex('0b 4014000000000000 ff88'),
    value: new Date(5),
    decodeOnly: true,
  },
  { name: 'XML document', bytes: hex('0f 00000004 3c612f3e'), value: new XmlDocument('<a/>') },
  {
    name: 'typed object',
    bytes: hex('10 0003 466f6f 0001 78 0101 0000 09'),
    value: new TypedObject('Foo', { x: true }),
  },
  { name: 'typed object with empty class name', bytes: hex('10 0000 0000 09'), value: new TypedObject('', {}) },
  {
    name: 'strict array holding the same object twice (second is a reference to index 1)',
    bytes: hex('0a 00000002 03 0000 09 07 0001'),
    value: [{}, {}],
  },
  { name: 'avmplus marker switches to AMF3 for one value', bytes: hex('11 04 05'), value: 5, decodeOnly: true },
  { name: 'Buffer travels as an AMF3 ByteArray', bytes: hex('11 0c 07 010203'), value: Buffer.from([1, 2, 3]) },
];

/** An object whose second use is a reference, so that encoding reproduces the fixture. */
function withSharedObject(fixture: ByteFixture): AmfValue {
  if (!fixture.name.startsWith('strict array holding the same object')) return fixture.value;
  const shared = {};
  return [shared, shared];
}

describe('AMF0 byte fixtures', () => {
  it.each(byteFixtures)('decodes $name', ({ bytes, value }) => {
    expectAmfEqual(decodeAmf0(bytes), [value]);
  });

  it.each(byteFixtures.filter((f) => !f.decodeOnly))('encodes $name', (f) => {
    expect(encodeAmf0([withSharedObject(f)]).toString('hex')).toBe(f.bytes.toString('hex'));
  });

  it('decodes a reference to the very object it names', () => {
    const [array] = decodeAmf0(hex('0a 00000002 03 0000 09 07 0001')) as [AmfValue[]];
    expect(array[1]).toBe(array[0]);
  });

  it('decodes a self-reference into a cycle', () => {
    const [object] = decodeAmf0(hex('03 0004 73656c66 07 0000 0000 09')) as [Record<string, AmfValue>];
    expect(object.self).toBe(object);
  });

  it('encodes a cycle as a reference instead of recursing forever', () => {
    const object: Record<string, AmfValue> = {};
    object.self = object;
    expect(encodeAmf0([object]).toString('hex')).toBe('03000473656c66070000000009');
  });

  it('shares one reference table across the values of one payload', () => {
    const shared = { a: 1 };
    const bytes = encodeAmf0([shared, shared]);
    expect(bytes.subarray(-3).toString('hex')).toBe('070000');
    const [first, second] = decodeAmf0(bytes);
    expect(second).toBe(first);
  });

  it('decodes an empty payload as no values', () => {
    expect(decodeAmf0(Buffer.alloc(0))).toEqual([]);
  });

  it('gives every AMF3 switch fresh AMF3 reference tables', () => {
    // The second switch refers to string 0, which only the first switch's table holds.
    expectProtocolError(() => decodeAmf0(hex('11 06 0361 11 06 00')), 'AMF_MALFORMED');
  });
});

const connectTcUrl = (port: number) => `rtmp://127.0.0.1:${port}/live`;

const clientFixtures: { name: string; values: AmfValue[] }[] = [
  {
    name: 'ffmpeg-publish-connect',
    values: [
      'connect',
      1,
      { app: 'live', type: 'nonprivate', flashVer: 'FMLE/3.0 (compatible; Lavf59.27.100)', tcUrl: connectTcUrl(35655) },
    ],
  },
  {
    name: 'ffmpeg-publish-connect-tokens',
    values: [
      'connect',
      1,
      { app: 'live', type: 'nonprivate', flashVer: 'FMLE/3.0 (compatible; Lavf59.27.100)', tcUrl: connectTcUrl(46453) },
      { ntoken: 'YWxpY2U=', ptoken: 'czNjcmV0', ttoken: 'MTcwMDAwMDAwMA==', ftoken: 'cHVibGlzaA==' },
    ],
  },
  { name: 'ffmpeg-publish-createStream', values: ['createStream', 4, null] },
  { name: 'ffmpeg-publish-publish', values: ['publish', 5, null, 'x', 'live'] },
  {
    name: 'ffmpeg-publish-setDataFrame-onMetaData',
    values: [
      '@setDataFrame',
      'onMetaData',
      new EcmaArray({
        duration: 1,
        width: 320,
        height: 240,
        videodatarate: 0,
        framerate: 10,
        videocodecid: 7,
        audiodatarate: 67.3828125,
        audiosamplerate: 44100,
        audiosamplesize: 16,
        stereo: false,
        audiocodecid: 10,
        encoder: 'Lavf59.27.100',
        filesize: 0,
      }),
    ],
  },
  {
    name: 'ffmpeg-play-connect',
    values: [
      'connect',
      1,
      {
        app: 'live',
        flashVer: 'LNX 9,0,124,2',
        tcUrl: connectTcUrl(37553),
        fpad: false,
        capabilities: 15,
        audioCodecs: 4071,
        videoCodecs: 252,
        videoFunction: 1,
      },
    ],
  },
  { name: 'ffmpeg-play-play', values: ['play', 4, null, 'x', -2000] },
  {
    name: 'rtmpdump-play-connect',
    values: [
      'connect',
      1,
      {
        app: 'live',
        flashVer: 'LNX 10,0,32,18',
        tcUrl: connectTcUrl(44857),
        fpad: false,
        capabilities: 15,
        audioCodecs: 3191,
        videoCodecs: 252,
        videoFunction: 1,
      },
    ],
  },
];

describe('AMF0 payloads captured from real clients', () => {
  it.each(clientFixtures)('decodes $name', ({ name, values }) => {
    expectAmfEqual(decodeAmf0(fixture(name)), values);
  });

  it.each(clientFixtures)('encodes $name byte for byte', ({ name, values }) => {
    expect(encodeAmf0(values).toString('hex')).toBe(fixture(name).toString('hex'));
  });

  it.each(clientFixtures)('$name cut at every offset decodes whole values or fails with AMF_MALFORMED', ({ name, values }) => {
    const bytes = fixture(name);
    const boundaries = new Map(values.map((_, count) => [encodeAmf0(values.slice(0, count)).length, count]));
    for (let length = 0; length < bytes.length; length++) {
      const truncated = bytes.subarray(0, length);
      const count = boundaries.get(length);
      if (count === undefined) expectProtocolError(() => decodeAmf0(truncated), 'AMF_MALFORMED');
      else expectAmfEqual(decodeAmf0(truncated), values.slice(0, count));
    }
  });
});

describe('AMF0 malformed input', () => {
  it.each([
    ['a truncated number', '00 3ff0'],
    ['a boolean without its byte', '01'],
    ['a string longer than the buffer', '02 0005 6162'],
    ['a string without its length', '02 00'],
    ['a long string claiming 4 GiB', '0c ffffffff 61'],
    ['an XML document longer than the buffer', '0f ffffffff 3c'],
    ['a strict array claiming 2^32-1 values in 6 bytes', '0a ffffffff 05'],
    ['a strict array missing values', '0a 00000002 05'],
    ['an object without its end', '03 0001 61 05'],
    ['an object whose empty name is not followed by object-end', '03 0000 05'],
    ['an object with a property name beyond the buffer', '03 0009 61'],
    ['an ECMA array without its end', '08 00000001 0001 61 05'],
    ['a typed object with a truncated class name', '10 0005 466f'],
    ['an object-end marker as a value', '03 0001 61 09 0000 09'],
    ['an object-end marker at the top level', '09'],
    ['the reserved movieclip marker', '04'],
    ['the reserved recordset marker', '0e'],
    ['an unknown marker', '12'],
    ['marker 0xff', 'ff'],
    ['a reference with an empty table', '07 0000'],
    ['a reference past the table', '03 0001 61 07 0001 0000 09'],
    ['a truncated reference', '0a 00000001 07 00'],
    ['a date without its time zone', '0b 4014000000000000'],
    ['an avmplus marker with nothing after it', '11'],
    ['an AMF3 dictionary after an avmplus marker', '11 11 01 00'],
    ['a good value followed by junk', '05 04'],
  ])('rejects %s with AMF_MALFORMED', (_, bytes) => {
    expectProtocolError(() => decodeAmf0(hex(bytes)), 'AMF_MALFORMED');
  });

  it('rejects a strict array claiming 2^32-1 values before allocating anything', () => {
    // The claim is weighed against the bytes left before a single value is read or any room is made.
    const error = expectProtocolError(() => decodeAmf0(hex('0a ffffffff 0000000000')), 'AMF_MALFORMED');
    expect(error.message).toBe('AMF0 strict array needs 4294967295 bytes at offset 5, 5 left');
  });
});

/** `depth` objects nested under the key "a", with null at the bottom. */
function nestedObjects(depth: number): Buffer {
  return Buffer.concat([
    Buffer.from('030001 61'.replace(/ /g, '').repeat(depth), 'hex'),
    hex('05'),
    Buffer.from('000009'.repeat(depth), 'hex'),
  ]);
}

describe('AMF0 limits', () => {
  it('accepts nesting at maxDepth (default 64)', () => {
    expect(() => decodeAmf0(nestedObjects(64))).not.toThrow();
  });

  it('rejects nesting one level above maxDepth with AMF_TOO_DEEP', () => {
    expectProtocolError(() => decodeAmf0(nestedObjects(65)), 'AMF_TOO_DEEP');
  });

  it('honours a maxDepth option', () => {
    expect(() => decodeAmf0(nestedObjects(2), { maxDepth: 2 })).not.toThrow();
    expectProtocolError(() => decodeAmf0(nestedObjects(3), { maxDepth: 2 }), 'AMF_TOO_DEEP');
  });

  it('rejects 100000 nested strict arrays with AMF_TOO_DEEP, not a stack overflow', () => {
    const bytes = Buffer.from('0a00000001'.repeat(100_000), 'hex');
    expectProtocolError(() => decodeAmf0(bytes), 'AMF_TOO_DEEP');
  });

  it('counts nesting across an AMF3 switch', () => {
    // Object -> AMF3 array -> AMF3 array: three levels.
    const bytes = hex('03 0001 61 11 09 03 01 09 03 01 01 0000 09');
    expect(() => decodeAmf0(bytes, { maxDepth: 3 })).not.toThrow();
    expectProtocolError(() => decodeAmf0(bytes, { maxDepth: 2 }), 'AMF_TOO_DEEP');
  });

  it('rejects more references than maxReferences', () => {
    const bytes = hex('0a 00000003 03 0000 09 07 0001 07 0001');
    expect(() => decodeAmf0(bytes, { maxReferences: 2 })).not.toThrow();
    expectProtocolError(() => decodeAmf0(bytes, { maxReferences: 1 }), 'AMF_MALFORMED');
  });
});

describe('AMF0 prototype pollution', () => {
  // {"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}
  const hostile = hex(
    '03 0009 5f5f70726f746f5f5f 03 0008 706f6c6c75746564 0101 0000 09' +
      '000b 636f6e7374727563746f72 03 0009 70726f746f74797065 03 0008 706f6c6c75746564 0101 0000 09 0000 09' +
      '0000 09',
  );

  it('keeps "__proto__" as an ordinary key and leaves Object.prototype alone', () => {
    const [object] = decodeAmf0(hostile) as [Record<string, AmfValue>];
    expect(Object.getPrototypeOf(object)).toBeNull();
    expect(Object.keys(object)).toEqual(['__proto__', 'constructor']);
    expectAmfEqual(Object.getOwnPropertyDescriptor(object, '__proto__')?.value, { polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('re-encodes the hostile object byte for byte', () => {
    expect(encodeAmf0(decodeAmf0(hostile)).toString('hex')).toBe(hostile.toString('hex'));
  });

  it('gives ECMA arrays and typed objects prototype-free property bags', () => {
    const [ecma, typed] = decodeAmf0(
      hex('08 00000001 0009 5f5f70726f746f5f5f 0101 0000 09 10 0001 41 0009 5f5f70726f746f5f5f 0101 0000 09'),
    ) as [EcmaArray, TypedObject];
    for (const properties of [ecma.properties, typed.properties]) {
      expect(Object.getPrototypeOf(properties)).toBeNull();
      expect(Object.keys(properties)).toEqual(['__proto__']);
    }
  });
});

describe('AMF0 encoder misuse', () => {
  it('refuses an empty property name, which would read as the object end', () => {
    expect(() => encodeAmf0([{ '': 1 }])).toThrow(RangeError);
  });

  it('refuses a property name longer than 65535 UTF-8 bytes', () => {
    expect(() => encodeAmf0([{ [long(0x10000)]: 1 }])).toThrow(RangeError);
  });

  it('refuses values that are not AMF values', () => {
    expect(() => encodeAmf0([Symbol('x') as unknown as AmfValue])).toThrow(TypeError);
    expect(() => encodeAmf0([10n as unknown as AmfValue])).toThrow(TypeError);
    expect(() => encodeAmf0([(() => 1) as unknown as AmfValue])).toThrow(TypeError);
  });
});
