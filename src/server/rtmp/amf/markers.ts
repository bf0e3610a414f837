// Type markers: AMF0 spec §2.1 and AMF3 spec §3.1.

export const Amf0Marker = {
  number: 0x00,
  boolean: 0x01,
  string: 0x02,
  object: 0x03,
  movieclip: 0x04, // reserved, not supported
  null: 0x05,
  undefined: 0x06,
  reference: 0x07,
  ecmaArray: 0x08,
  objectEnd: 0x09,
  strictArray: 0x0a,
  date: 0x0b,
  longString: 0x0c,
  unsupported: 0x0d,
  recordset: 0x0e, // reserved, not supported
  xmlDocument: 0x0f,
  typedObject: 0x10,
  avmplusObject: 0x11, // the next value is AMF3
} as const;

export const Amf3Marker = {
  undefined: 0x00,
  null: 0x01,
  false: 0x02,
  true: 0x03,
  integer: 0x04,
  double: 0x05,
  string: 0x06,
  xmlDocument: 0x07,
  date: 0x08,
  array: 0x09,
  object: 0x0a,
  xml: 0x0b,
  byteArray: 0x0c,
  vectorInt: 0x0d,
  vectorUint: 0x0e,
  vectorDouble: 0x0f,
  vectorObject: 0x10,
  dictionary: 0x11,
} as const;

/** AMF0 spec §2.4: strings whose UTF-8 form is longer than this travel as long strings. */
export const AMF0_MAX_SHORT_STRING = 0xffff;

/** AMF3 spec §1.3.1: the largest value a U29 holds. */
export const U29_MAX = 0x1fffffff;

/** AMF3 spec §3.6: the integer type holds 29-bit signed values. */
export const AMF3_INT_MIN = -0x10000000;
export const AMF3_INT_MAX = 0x0fffffff;
