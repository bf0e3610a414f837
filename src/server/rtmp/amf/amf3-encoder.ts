// AMF3 encoding (AMF3 spec §3): repeated strings, objects and traits are sent by reference.

import { AMF3_INT_MAX, AMF3_INT_MIN, Amf3Marker, U29_MAX } from './markers';
import { EcmaArray, TypedObject, XmlDocument } from './value';
import type { AmfComplexValue, AmfValue } from './value';
import { AmfWriter } from './writer';

/** Traits-table key of the anonymous dynamic class every plain object uses. */
const ANONYMOUS_TRAITS = 'dynamic';
/** AMF3 spec §3.12: U29O-traits header of an anonymous dynamic class with no sealed members. */
const ANONYMOUS_TRAITS_HEADER = 0b1011;
/** AMF3 spec §3.12: low bits of an inline, not externalizable, sealed (not dynamic) traits header. */
const SEALED_TRAITS_BITS = 0b0011;

export class Amf3Encoder {
  private readonly strings = new Map<string, number>();
  private readonly objects = new Map<object, number>();
  private readonly traits = new Map<string, number>();

  constructor(private readonly writer: AmfWriter) {}

  writeValue(value: AmfValue): void {
    switch (typeof value) {
      case 'undefined':
        this.writer.uint8(Amf3Marker.undefined);
        return;
      case 'boolean':
        this.writer.uint8(value ? Amf3Marker.true : Amf3Marker.false);
        return;
      case 'number':
        this.writeNumber(value);
        return;
      case 'string':
        this.writer.uint8(Amf3Marker.string);
        this.writeString(value);
        return;
      case 'object':
        if (value === null) this.writer.uint8(Amf3Marker.null);
        else this.writeComplex(value);
        return;
      default:
        throw new TypeError(`${typeof value} is not an AMF value`);
    }
  }

  /** AMF3 spec §3.6-§3.7: 29-bit signed integers as U29, everything else (and -0) as a double. */
  private writeNumber(value: number): void {
    if (Number.isInteger(value) && value >= AMF3_INT_MIN && value <= AMF3_INT_MAX && !Object.is(value, -0)) {
      this.writer.uint8(Amf3Marker.integer);
      this.writeU29(value & U29_MAX);
    } else {
      this.writer.uint8(Amf3Marker.double);
      this.writer.double(value);
    }
  }

  /** AMF3 spec §1.3.1. */
  private writeU29(value: number): void {
    if (value < 0 || value > U29_MAX) throw new RangeError(`${value} does not fit an AMF3 U29`);
    if (value < 0x80) {
      this.writer.uint8(value);
    } else if (value < 0x4000) {
      this.writer.uint8((value >>> 7) | 0x80);
      this.writer.uint8(value & 0x7f);
    } else if (value < 0x200000) {
      this.writer.uint8((value >>> 14) | 0x80);
      this.writer.uint8(((value >>> 7) & 0x7f) | 0x80);
      this.writer.uint8(value & 0x7f);
    } else {
      this.writer.uint8((value >>> 22) | 0x80);
      this.writer.uint8(((value >>> 15) & 0x7f) | 0x80);
      this.writer.uint8(((value >>> 8) & 0x7f) | 0x80);
      this.writer.uint8(value & 0xff);
    }
  }

  /** AMF3 spec §3.8 (UTF-8-vr); "" is always inline and never enters the table. */
  private writeString(text: string): void {
    const index = this.strings.get(text);
    if (index !== undefined) {
      this.writeU29(index * 2);
      return;
    }
    if (text !== '') this.strings.set(text, this.strings.size);
    this.writeText(text);
  }

  /** Length header with the inline bit, then the UTF-8 bytes. */
  private writeText(text: string): void {
    const byteLength = Buffer.byteLength(text);
    this.writeU29(byteLength * 2 + 1);
    this.writer.utf8(text, byteLength);
  }

  private writeComplex(value: AmfComplexValue): void {
    this.writer.uint8(complexMarker(value));
    const index = this.objects.get(value);
    if (index !== undefined) {
      this.writeU29(index * 2);
      return;
    }
    this.objects.set(value, this.objects.size);
    if (value instanceof Date) {
      this.writeU29(1);
      this.writer.double(value.getTime());
    } else if (value instanceof XmlDocument) {
      this.writeText(value.xml);
    } else if (Buffer.isBuffer(value)) {
      this.writeU29(value.length * 2 + 1);
      this.writer.bytes(value);
    } else if (Array.isArray(value)) {
      this.writeU29(value.length * 2 + 1);
      this.writeString('');
      for (let i = 0; i < value.length; i++) this.writeValue(value[i]);
    } else if (value instanceof EcmaArray) {
      // All names go in the associative portion, so the array decodes back as an EcmaArray.
      this.writeU29(1);
      this.writeDynamicMembers(value.properties);
    } else if (value instanceof TypedObject) {
      this.writeTypedObject(value);
    } else {
      this.writeTraits(ANONYMOUS_TRAITS, () => {
        this.writeU29(ANONYMOUS_TRAITS_HEADER);
        this.writeString('');
      });
      this.writeDynamicMembers(value);
    }
  }

  /** A typed object's properties become the sealed members of its class. */
  private writeTypedObject(object: TypedObject): void {
    const names = Object.keys(object.properties);
    this.writeTraits(JSON.stringify([object.className, ...names]), () => {
      this.writeU29(names.length * 16 + SEALED_TRAITS_BITS);
      this.writeString(object.className);
      for (const name of names) this.writeString(name);
    });
    for (const name of names) this.writeValue(object.properties[name]);
  }

  /** AMF3 spec §3.12: a traits reference when the same class was already described. */
  private writeTraits(key: string, writeInline: () => void): void {
    const index = this.traits.get(key);
    if (index !== undefined) {
      this.writeU29(index * 4 + 1);
      return;
    }
    this.traits.set(key, this.traits.size);
    writeInline();
  }

  /** Name/value pairs ended by "", which is why "" itself cannot be a dynamic name. */
  private writeDynamicMembers(properties: Record<string, AmfValue>): void {
    for (const name of Object.keys(properties)) {
      if (name === '') throw new RangeError('AMF3 cannot encode an empty dynamic property name');
      this.writeString(name);
      this.writeValue(properties[name]);
    }
    this.writeString('');
  }
}

function complexMarker(value: AmfComplexValue): number {
  if (value instanceof Date) return Amf3Marker.date;
  if (value instanceof XmlDocument) return Amf3Marker.xmlDocument;
  if (Buffer.isBuffer(value)) return Amf3Marker.byteArray;
  if (Array.isArray(value) || value instanceof EcmaArray) return Amf3Marker.array;
  return Amf3Marker.object;
}

export function encodeAmf3(value: AmfValue): Buffer {
  const writer = new AmfWriter();
  new Amf3Encoder(writer).writeValue(value);
  return writer.finish();
}
