// AMF0 encoding (AMF0 spec §2): a repeated complex value is sent as a reference, which also ends cycles.

import { Amf3Encoder } from './amf3-encoder';
import { AMF0_MAX_SHORT_STRING, Amf0Marker } from './markers';
import { EcmaArray, TypedObject, XmlDocument } from './value';
import type { AmfComplexValue, AmfValue } from './value';
import { AmfWriter } from './writer';

/** AMF0 spec §2.9: references are U16 indices. */
const MAX_REFERENCE_INDEX = 0xffff;

export class Amf0Encoder {
  private readonly references = new Map<object, number>();
  private referenceCount = 0;

  constructor(private readonly writer: AmfWriter) {}

  writeValue(value: AmfValue): void {
    switch (typeof value) {
      case 'number':
        this.writer.uint8(Amf0Marker.number);
        this.writer.double(value);
        return;
      case 'boolean':
        this.writer.uint8(Amf0Marker.boolean);
        this.writer.uint8(value ? 1 : 0);
        return;
      case 'string':
        this.writeString(value);
        return;
      case 'undefined':
        this.writer.uint8(Amf0Marker.undefined);
        return;
      case 'object':
        if (value === null) this.writer.uint8(Amf0Marker.null);
        else this.writeComplex(value);
        return;
      default:
        throw new TypeError(`${typeof value} is not an AMF value`);
    }
  }

  /** AMF0 spec §2.4 and §2.14: a long string only when the UTF-8 form exceeds 65535 bytes. */
  private writeString(text: string): void {
    const byteLength = Buffer.byteLength(text);
    if (byteLength > AMF0_MAX_SHORT_STRING) {
      this.writer.uint8(Amf0Marker.longString);
      this.writer.uint32(byteLength);
    } else {
      this.writer.uint8(Amf0Marker.string);
      this.writer.uint16(byteLength);
    }
    this.writer.utf8(text, byteLength);
  }

  private writeComplex(value: AmfComplexValue): void {
    if (value instanceof Date) {
      this.writer.uint8(Amf0Marker.date);
      this.writer.double(value.getTime());
      this.writer.int16(0); // AMF0 spec §2.13: time zone is reserved, sent as 0
      return;
    }
    if (value instanceof XmlDocument) {
      const byteLength = Buffer.byteLength(value.xml);
      this.writer.uint8(Amf0Marker.xmlDocument);
      this.writer.uint32(byteLength);
      this.writer.utf8(value.xml, byteLength);
      return;
    }
    if (Buffer.isBuffer(value)) {
      // AMF0 has no byte array: switch to AMF3 for this one value (AMF0 spec §3.1, AMF3 spec §3.14).
      this.writer.uint8(Amf0Marker.avmplusObject);
      new Amf3Encoder(this.writer).writeValue(value);
      return;
    }
    const index = this.references.get(value);
    if (index !== undefined) {
      this.writer.uint8(Amf0Marker.reference);
      this.writer.uint16(index);
      return;
    }
    // The decoder numbers every complex value; only the first 65536 can be referred to.
    if (this.referenceCount <= MAX_REFERENCE_INDEX) this.references.set(value, this.referenceCount);
    this.referenceCount++;
    if (Array.isArray(value)) {
      this.writer.uint8(Amf0Marker.strictArray);
      this.writer.uint32(value.length);
      for (let i = 0; i < value.length; i++) this.writeValue(value[i]);
    } else if (value instanceof EcmaArray) {
      this.writer.uint8(Amf0Marker.ecmaArray);
      this.writer.uint32(Object.keys(value.properties).length);
      this.writeProperties(value.properties);
    } else if (value instanceof TypedObject) {
      this.writer.uint8(Amf0Marker.typedObject);
      this.writeName(value.className, 'class name');
      this.writeProperties(value.properties);
    } else {
      this.writer.uint8(Amf0Marker.object);
      this.writeProperties(value);
    }
  }

  /** AMF0 spec §2.5: name/value pairs, then an empty name and the object-end marker. */
  private writeProperties(properties: Record<string, AmfValue>): void {
    for (const name of Object.keys(properties)) {
      if (name === '') throw new RangeError('AMF0 cannot encode an empty property name');
      this.writeName(name, 'property name');
      this.writeValue(properties[name]);
    }
    this.writer.uint16(0);
    this.writer.uint8(Amf0Marker.objectEnd);
  }

  /** UTF-8 with a U16 length and no marker (AMF0 spec §1.3, "UTF-8"). */
  private writeName(name: string, what: string): void {
    const byteLength = Buffer.byteLength(name);
    if (byteLength > AMF0_MAX_SHORT_STRING) throw new RangeError(`AMF0 ${what} longer than 65535 bytes`);
    this.writer.uint16(byteLength);
    this.writer.utf8(name, byteLength);
  }
}

/** Encodes values one after the other with one reference table (a command or data message body). */
export function encodeAmf0(values: readonly AmfValue[]): Buffer {
  const writer = new AmfWriter();
  const encoder = new Amf0Encoder(writer);
  for (const value of values) encoder.writeValue(value);
  return writer.finish();
}
