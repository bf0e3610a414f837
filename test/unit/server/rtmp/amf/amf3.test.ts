import { describe, expect, it } from 'vitest';
import {
  EcmaArray,
  TypedObject,
  XmlDocument,
  decodeAmf0,
  decodeAmf3,
  encodeAmf0,
  encodeAmf3,
} from '../../../../../src/server/rtmp/amf';
import type { AmfValue } from '../../../../../src/server/rtmp/amf';
import { expectProtocolError } from '../../../../support/protocol-error';
import { expectAmfEqual, hex } from './helpers';

interface ByteFixture {
  name: string;
  bytes: Buffer;
  value: AmfValue;
  /** The bytes are another encoder's choice (or a type we only read); only decoding is checked. */
  decodeOnly?: boolean;
}

const shared = {};

const byteFixtures: ByteFixture[] = [
  { name: 'undefined', bytes: hex('00'), value: undefined },
  { name: 'null', bytes: hex('01'), value: null },
  { name: 'false', bytes: hex('02'), value: false },
  { name: 'true', bytes: hex('03'), value: true },
  { name: 'integer 0', bytes: hex('04 00'), value: 0 },
  { name: 'integer 127 (1-byte U29)', bytes: hex('04 7f'), value: 127 },
  { name: 'integer 128 (2-byte U29)', bytes: hex('04 8100'), value: 128 },
  { name: 'integer 16383', bytes: hex('04 ff7f'), value: 16383 },
  { name: 'integer 16384 (3-byte U29)', bytes: hex('04 818000'), value: 16384 },
  { name: 'integer 2097151', bytes: hex('04 ffff7f'), value: 2097151 },
  { name: 'integer 2097152 (4-byte U29)', bytes: hex('04 80c08000'), value: 2097152 },
  { name: 'integer 2^28-1 (largest)', bytes: hex('04 bfffffff'), value: 0x0fffffff },
  { name: 'integer -1', bytes: hex('04 ffffffff'), value: -1 },
  { name: 'integer -2^28 (smallest)', bytes: hex('04 c0808000'), value: -0x10000000 },
  { name: 'double for 2^28, beyond the integer range', bytes: hex('05 41b0000000000000'), value: 0x10000000 },
  { name: 'double for -2^28-1', bytes: hex('05 c1b0000001000000'), value: -0x10000001 },
  { name: 'double 1.5', bytes: hex('05 3ff8000000000000'), value: 1.5 },
  { name: 'double -0 (an integer would lose the sign)', bytes: hex('05 8000000000000000'), value: -0 },
  { name: 'double for an integral value', bytes: hex('05 4014000000000000'), value: 5, decodeOnly: true },
  { name: 'empty string', bytes: hex('06 01'), value: '' },
  { name: 'string', bytes: hex('06 0b 68656c6c6f'), value: 'hello' },
  { name: 'string with 2- and 4-byte UTF-8', bytes: hex('06 0d c3a9 f09f9880'), value: 'é😀' },
  { name: 'repeated string sent by reference', bytes: hex('09 05 01 06 0361 06 00'), value: ['a', 'a'] },
  { name: 'empty strings are never referenced', bytes: hex('09 05 01 06 01 06 01'), value: ['', ''] },
  { name: 'XMLDocument', bytes: hex('07 09 3c612f3e'), value: new XmlDocument('<a/>') },
  { name: 'XML (E4X) reads as an XmlDocument', bytes: hex('0b 09 3c612f3e'), value: new XmlDocument('<a/>'), decodeOnly: true },
  { name: 'date', bytes: hex('08 01 4014000000000000'), value: new Date(5) },
  { name: 'empty array', bytes: hex('09 01 01'), value: [] },
  { name: 'dense array', bytes: hex('09 05 01 0401 0402'), value: [1, 2] },
  { name: 'associative array', bytes: hex('09 01 0361 0401 01'), value: new EcmaArray({ a: 1 }) },
  {
    name: 'mixed array puts dense values under "0", "1", ...',
    bytes: hex('09 05 0361 0401 01 0402 0403'),
    value: new EcmaArray({ a: 1, 0: 2, 1: 3 }),
    decodeOnly: true,
  },
  { name: 'anonymous object', bytes: hex('0a 0b 01 0361 0401 01'), value: { a: 1 } },
  { name: 'typed object with sealed members', bytes: hex('0a 13 07466f6f 0378 03'), value: new TypedObject('Foo', { x: true }) },
  {
    name: 'typed object with sealed and dynamic members',
    bytes: hex('0a 1b 07466f6f 0378 03 0379 0402 01'),
    value: new TypedObject('Foo', { x: true, y: 2 }),
    decodeOnly: true,
  },
  {
    name: 'second object of a class refers to its traits',
    bytes: hex('09 05 01 0a 0b 01 0361 0401 01 0a 01 0362 0402 01'),
    value: [{ a: 1 }, { b: 2 }],
  },
  {
    name: 'second typed object of a class refers to its traits and names',
    bytes: hex('09 05 01 0a 13 07466f6f 0378 0401 0a 01 0402'),
    value: [new TypedObject('Foo', { x: 1 }), new TypedObject('Foo', { x: 2 })],
  },
  { name: 'repeated object sent by reference', bytes: hex('09 05 01 0a 0b 01 01 0a 02'), value: [shared, shared] },
  { name: 'ByteArray', bytes: hex('0c 07 010203'), value: Buffer.from([1, 2, 3]) },
  { name: 'Vector.<int>', bytes: hex('0d 05 00 ffffffff 00000002'), value: [-1, 2], decodeOnly: true },
  { name: 'Vector.<uint>', bytes: hex('0e 03 01 ffffffff'), value: [0xffffffff], decodeOnly: true },
  { name: 'Vector.<Number>', bytes: hex('0f 03 00 3ff8000000000000'), value: [1.5], decodeOnly: true },
  { name: 'Vector.<Object>', bytes: hex('10 05 00 01 0401 060361'), value: [1, 'a'], decodeOnly: true },
];

describe('AMF3 byte fixtures', () => {
  it.each(byteFixtures)('decodes $name', ({ bytes, value }) => {
    expectAmfEqual(decodeAmf3(bytes), value);
  });

  it.each(byteFixtures.filter((f) => !f.decodeOnly))('encodes $name', ({ bytes, value }) => {
    expect(encodeAmf3(value).toString('hex')).toBe(bytes.toString('hex'));
  });

  it('decodes an object reference to the very object it names', () => {
    const array = decodeAmf3(hex('09 05 01 0a 0b 01 01 0a 02')) as AmfValue[];
    expect(array[1]).toBe(array[0]);
  });

  it('decodes a self-referencing array into a cycle', () => {
    const array = decodeAmf3(hex('09 03 01 09 00')) as AmfValue[];
    expect(array[0]).toBe(array);
  });

  it('encodes a cyclic object as a reference to itself', () => {
    const object: Record<string, AmfValue> = {};
    object.self = object;
    expect(encodeAmf3(object).toString('hex')).toBe('0a0b010973656c660a0001');
  });

  it('references a repeated Date, XmlDocument and Buffer by identity', () => {
    const date = new Date(1);
    const xml = new XmlDocument('<a/>');
    const bytes = Buffer.from([9]);
    const decoded = decodeAmf3(encodeAmf3([date, xml, bytes, date, xml, bytes])) as AmfValue[];
    expect(decoded[3]).toBe(decoded[0]);
    expect(decoded[4]).toBe(decoded[1]);
    expect(decoded[5]).toBe(decoded[2]);
  });

  it('copies a ByteArray out of the payload instead of aliasing it', () => {
    const payload = hex('0c 07 010203');
    const decoded = decodeAmf3(payload) as Buffer;
    payload.fill(0);
    expect(decoded.toString('hex')).toBe('010203');
  });
});

describe('AMF3 inside AMF0 (avmplus-object marker)', () => {
  it('decodes AMF0 values that switch to AMF3 one by one, as type 17 and 15 messages do', () => {
    // "connect", 1, then {app: "live"} as AMF3.
    const bytes = hex('11 06 0f636f6e6e656374 11 04 01 11 0a 0b 01 07617070 06096c697665 01');
    expectAmfEqual(decodeAmf0(bytes), ['connect', 1, { app: 'live' }]);
  });

  it('encodes a Buffer inside an AMF0 object through the switch', () => {
    const bytes = encodeAmf0([{ data: Buffer.from([0xca, 0xfe]) }]);
    expect(bytes.toString('hex')).toBe('0300046461746111' + '0c05cafe' + '000009');
  });
});

describe('AMF3 malformed input', () => {
  it.each([
    ['an empty buffer', ''],
    ['an integer without its U29', '04'],
    ['a U29 cut after a continuation byte', '04 ff'],
    ['a U29 cut before its fourth byte', '04 ffffff'],
    ['a truncated double', '05 3ff8'],
    ['a string longer than the buffer', '06 05 61'],
    ['a string reference with an empty table', '06 00'],
    ['a string reference past the table', '09 05 01 06 0361 06 02'],
    ['an object reference with an empty table', '0a 02'],
    ['a date reference past the table', '08 02'],
    ['an XML reference past the table', '07 00'],
    ['a ByteArray longer than the buffer', '0c 07 01'],
    ['a traits reference with an empty table', '0a 05'],
    ['an externalizable object', '0a 07 07466f6f'],
    ['an object without its dynamic end', '0a 0b 01 0361 0401'],
    ['an object with fewer sealed values than names', '0a 13 07466f6f 0378'],
    ['an array claiming 2^28 dense values', '09 ffffff7f 01'],
    ['traits claiming 2^25 sealed names', '0a ffffff f3 01'],
    ['a Vector.<int> claiming 2^28 elements', '0d ffffff7f 00 00000001'],
    ['a Vector.<Number> shorter than its count', '0f 05 00 3ff8000000000000'],
    ['a Vector.<Object> without its fixed flag', '10 03'],
    ['a dictionary', '11 03 00 0401 0402'],
    ['an unknown marker', '12'],
    ['marker 0xff', 'ff'],
    ['bytes after the value', '01 01'],
  ])('rejects %s with AMF_MALFORMED', (_, bytes) => {
    expectProtocolError(() => decodeAmf3(hex(bytes)), 'AMF_MALFORMED');
  });

  it('rejects an array claiming 2^28 dense values before allocating anything', () => {
    // The claim is weighed against the bytes left before a single value is read or any room is made.
    const error = expectProtocolError(() => decodeAmf3(hex('09 ffffff7f 01 01')), 'AMF_MALFORMED');
    expect(error.message).toBe('AMF3 dense values needs 268435391 bytes at offset 6, 1 left');
  });

  it('fails with AMF_MALFORMED at every truncation of a rich value', () => {
    const shared = new TypedObject('Point', { x: 1, y: -2.5 });
    const bytes = encodeAmf3({
      name: 'stream',
      tags: ['a', 'b', 'a'],
      when: new Date(1_700_000_000_000),
      points: [shared, shared, new TypedObject('Point', { x: 3, y: 4 })],
      extra: new EcmaArray({ k: 'v' }),
      xml: new XmlDocument('<x/>'),
      raw: Buffer.from([1, 2, 3, 4]),
      big: 2 ** 40,
    });
    expect(() => decodeAmf3(bytes)).not.toThrow();
    for (let length = 0; length < bytes.length; length++) {
      expectProtocolError(() => decodeAmf3(bytes.subarray(0, length)), 'AMF_MALFORMED');
    }
  });
});

describe('AMF3 limits', () => {
  const nestedArrays = (depth: number) => Buffer.concat([Buffer.from('090301'.repeat(depth), 'hex'), hex('01')]);

  it('accepts nesting at maxDepth and rejects one level more with AMF_TOO_DEEP', () => {
    expect(() => decodeAmf3(nestedArrays(64))).not.toThrow();
    expectProtocolError(() => decodeAmf3(nestedArrays(65)), 'AMF_TOO_DEEP');
  });

  it('counts objects and Vector.<Object> as nesting', () => {
    expectProtocolError(() => decodeAmf3(hex('0a 0b 01 0361 0a 01 0361 01 01 01'), { maxDepth: 1 }), 'AMF_TOO_DEEP');
    expectProtocolError(() => decodeAmf3(hex('10 03 00 01 10 03 00 01 01'), { maxDepth: 1 }), 'AMF_TOO_DEEP');
  });

  it('rejects 100000 nested arrays with AMF_TOO_DEEP, not a stack overflow', () => {
    expectProtocolError(() => decodeAmf3(nestedArrays(100_000)), 'AMF_TOO_DEEP');
  });

  it('counts string and object references against maxReferences', () => {
    const bytes = hex('09 07 01 06 0361 06 00 09 00');
    expect(() => decodeAmf3(bytes, { maxReferences: 2 })).not.toThrow();
    expectProtocolError(() => decodeAmf3(bytes, { maxReferences: 1 }), 'AMF_MALFORMED');
  });
});

describe('AMF3 prototype pollution', () => {
  it('keeps "__proto__" dynamic, sealed and associative names as ordinary keys', () => {
    const proto = '135f5f70726f746f5f5f'; // UTF-8-vr "__proto__"
    const decoded = decodeAmf3(
      hex(
        `09 05 ${proto} 0a 0b 01 11706f6c6c75746564 03 01 01` + // associative: {__proto__: {polluted: true}}
          '0a 01 00 0a 01 02 03 01 01' + // dense 0, dynamic: {__proto__: {polluted: true}}, names by reference
          '0a 13 0341 00 03', // dense 1, sealed: A {__proto__: true}
      ),
    ) as EcmaArray;
    const dynamic = decoded.properties[0] as Record<string, AmfValue>;
    const sealed = decoded.properties[1] as TypedObject;
    for (const properties of [decoded.properties, dynamic, sealed.properties]) {
      expect(Object.getPrototypeOf(properties)).toBeNull();
      expect(Object.keys(properties)).toContain('__proto__');
    }
    expectAmfEqual(Object.getOwnPropertyDescriptor(dynamic, '__proto__')?.value, { polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('AMF3 encoder misuse', () => {
  it('refuses an empty dynamic property name, which would read as the end', () => {
    expect(() => encodeAmf3({ '': 1 })).toThrow(RangeError);
    expect(() => encodeAmf3(new EcmaArray({ '': 1 }))).toThrow(RangeError);
  });

  it('accepts an empty sealed member name', () => {
    expectAmfEqual(decodeAmf3(encodeAmf3(new TypedObject('A', { '': 1 }))), new TypedObject('A', { '': 1 }));
  });

  it('refuses values that are not AMF values', () => {
    expect(() => encodeAmf3(Symbol('x') as unknown as AmfValue)).toThrow(TypeError);
  });
});
