import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../../src/server/errors';
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
import { expectAmfEqual } from './helpers';

const text = fc.string({ unit: 'binary', maxLength: 24 });
// Empty names cannot be encoded (they end an object), so keys are never empty.
const key = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'toString', '0', '1'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
);

const leaf: fc.Arbitrary<AmfValue> = fc.oneof(
  fc.double(),
  fc.integer({ min: -(2 ** 30), max: 2 ** 30 }),
  fc.boolean(),
  text,
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: true }),
  text.map((xml) => new XmlDocument(xml)),
  fc.uint8Array({ maxLength: 16 }).map((bytes) => Buffer.from(bytes)),
);

/**
 * Acyclic AMF value trees. AMF3 cannot tell an empty EcmaArray from an empty array, nor a typed
 * object with an empty class name from an anonymous one, so its trees avoid those two.
 */
function amfValue(forAmf3: boolean): fc.Arbitrary<AmfValue> {
  const properties = (tie: (name: string) => fc.Arbitrary<unknown>, minKeys: number) =>
    fc.dictionary(key, tie('value') as fc.Arbitrary<AmfValue>, { minKeys, maxKeys: 5 });
  return fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', maxDepth: 5 },
      leaf,
      tie('array'),
      tie('object'),
      tie('ecmaArray'),
      tie('typedObject'),
    ),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: properties(tie, 0),
    ecmaArray: properties(tie, forAmf3 ? 1 : 0).map((p) => new EcmaArray(p)),
    typedObject: fc
      .tuple(fc.string({ unit: 'binary', minLength: forAmf3 ? 1 : 0, maxLength: 12 }), properties(tie, 0))
      .map(([className, p]) => new TypedObject(className, p)),
  })).value as fc.Arbitrary<AmfValue>;
}

const amf0Value = amfValue(false);
const amf3Value = amfValue(true);
/** AMF3 references every object-like value (AMF3 spec §2.2). */
const isAmf3Referenced = (value: AmfValue) => typeof value === 'object' && value !== null;
/** AMF0 references only objects and arrays (AMF0 spec §2.9); Buffers go through AMF3 with fresh tables. */
const isAmf0Referenced = (value: AmfValue) =>
  isAmf3Referenced(value) && !(value instanceof Date || value instanceof XmlDocument || Buffer.isBuffer(value));

const runs = { numRuns: 300 };

describe('AMF0 round trips', () => {
  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(fc.array(amf0Value, { maxLength: 4 }), (values) => {
        expectAmfEqual(decodeAmf0(encodeAmf0(values)), values);
      }),
      runs,
    );
  });

  it('re-encodes what it decoded to the same bytes', () => {
    fc.assert(
      fc.property(fc.array(amf0Value, { maxLength: 4 }), (values) => {
        const bytes = encodeAmf0(values);
        expect(encodeAmf0(decodeAmf0(bytes)).equals(bytes)).toBe(true);
      }),
      runs,
    );
  });

  it('keeps the identity of a value sent twice', () => {
    fc.assert(
      fc.property(amf0Value.filter(isAmf0Referenced), (value) => {
        const [first, second] = decodeAmf0(encodeAmf0([value, value]));
        expect(second).toBe(first);
      }),
      runs,
    );
  });
});

describe('AMF3 round trips', () => {
  it('decodes what it encodes', () => {
    fc.assert(
      fc.property(amf3Value, (value) => {
        expectAmfEqual(decodeAmf3(encodeAmf3(value)), value);
      }),
      runs,
    );
  });

  it('re-encodes what it decoded to the same bytes', () => {
    fc.assert(
      fc.property(amf3Value, (value) => {
        const bytes = encodeAmf3(value);
        expect(encodeAmf3(decodeAmf3(bytes)).equals(bytes)).toBe(true);
      }),
      runs,
    );
  });

  it('keeps the identity of a value sent twice', () => {
    fc.assert(
      fc.property(amf3Value.filter(isAmf3Referenced), (value) => {
        const [first, second] = decodeAmf3(encodeAmf3([value, value])) as AmfValue[];
        expect(second).toBe(first);
      }),
      runs,
    );
  });
});

/** Decoding any bytes either succeeds or fails with one of the two AMF codes, never anything else. */
function decodesOrFailsCleanly(decode: () => unknown): void {
  try {
    decode();
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    expect(['AMF_MALFORMED', 'AMF_TOO_DEEP']).toContain((error as ProtocolError).code);
  }
}

/** A valid encoding with one byte overwritten. */
const corrupted = (encode: fc.Arbitrary<Buffer>) =>
  fc
    .tuple(encode.filter((bytes) => bytes.length > 0), fc.nat(), fc.integer({ min: 0, max: 255 }))
    .map(([bytes, at, byte]) => {
      const copy = Buffer.from(bytes);
      copy[at % copy.length] = byte;
      return copy;
    });

describe('AMF decoders on hostile bytes', () => {
  it('AMF0 fails only with AMF codes on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        decodesOrFailsCleanly(() => decodeAmf0(Buffer.from(bytes)));
      }),
      { numRuns: 2000 },
    );
  });

  it('AMF3 fails only with AMF codes on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        decodesOrFailsCleanly(() => decodeAmf3(Buffer.from(bytes)));
      }),
      { numRuns: 2000 },
    );
  });

  it('AMF0 fails only with AMF codes on corrupted valid payloads', () => {
    fc.assert(
      fc.property(corrupted(fc.array(amf0Value, { maxLength: 3 }).map(encodeAmf0)), (bytes) => {
        decodesOrFailsCleanly(() => decodeAmf0(bytes));
      }),
      { numRuns: 1000 },
    );
  });

  it('AMF3 fails only with AMF codes on corrupted valid payloads', () => {
    fc.assert(
      fc.property(corrupted(amf3Value.map(encodeAmf3)), (bytes) => {
        decodesOrFailsCleanly(() => decodeAmf3(bytes));
      }),
      { numRuns: 1000 },
    );
  });
});
