// AMF3 decoding (AMF3 spec §3): one value, with its own string, object and traits reference tables.

import { AmfCursor, malformed } from './cursor';
import { AMF3_INT_MAX, Amf3Marker } from './markers';
import { EcmaArray, TypedObject, XmlDocument, createProperties } from './value';
import type { AmfDecodeOptions, AmfValue } from './value';

/** Class description shared by objects of one class (AMF3 spec §3.12, "traits"). */
interface Traits {
  className: string;
  sealed: string[];
  dynamic: boolean;
}

/** Bit 0 of a U29 header: 1 = the value follows inline, 0 = the rest is a reference index (AMF3 spec §3.8-§3.16). */
const INLINE = 1;
/** AMF3 spec §3.12: object header bits after INLINE. */
const TRAITS_INLINE = 2;
const TRAITS_EXTERNALIZABLE = 4;
const TRAITS_DYNAMIC = 8;

export class Amf3Decoder {
  private readonly strings: string[] = [];
  private readonly objects: AmfValue[] = [];
  private readonly traits: Traits[] = [];

  constructor(private readonly cursor: AmfCursor) {}

  readValue(): AmfValue {
    const marker = this.cursor.uint8('AMF3 marker');
    switch (marker) {
      case Amf3Marker.undefined:
        return undefined;
      case Amf3Marker.null:
        return null;
      case Amf3Marker.false:
        return false;
      case Amf3Marker.true:
        return true;
      case Amf3Marker.integer:
        return this.readInteger();
      case Amf3Marker.double:
        return this.cursor.double('AMF3 double');
      case Amf3Marker.string:
        return this.readString();
      case Amf3Marker.xmlDocument:
      case Amf3Marker.xml:
        return this.readXml();
      case Amf3Marker.date:
        return this.readDate();
      case Amf3Marker.array:
        return this.readArray();
      case Amf3Marker.object:
        return this.readObject();
      case Amf3Marker.byteArray:
        return this.readByteArray();
      case Amf3Marker.vectorInt:
      case Amf3Marker.vectorUint:
      case Amf3Marker.vectorDouble:
        return this.readNumberVector(marker);
      case Amf3Marker.vectorObject:
        return this.readObjectVector();
      case Amf3Marker.dictionary:
        // AMF3 spec §3.16: keys may be objects, which the value model cannot hold.
        throw malformed('AMF3 dictionary is not supported');
      default:
        throw malformed(`unknown AMF3 marker 0x${marker.toString(16)}`);
    }
  }

  /** AMF3 spec §1.3.1: 1 to 4 bytes, 7 bits from each of the first three, 8 from the fourth. */
  private readU29(): number {
    let value = 0;
    for (let i = 0; i < 3; i++) {
      const byte = this.cursor.uint8('AMF3 U29');
      value = (value << 7) | (byte & 0x7f);
      if (byte < 0x80) return value;
    }
    return (value << 8) | this.cursor.uint8('AMF3 U29');
  }

  /** AMF3 spec §3.6: a U29 read as a 29-bit two's complement integer. */
  private readInteger(): number {
    const value = this.readU29();
    return value > AMF3_INT_MAX ? value - 0x20000000 : value;
  }

  /** AMF3 spec §3.8 (UTF-8-vr): inline text, or an index into the string table; "" is never stored. */
  private readString(): string {
    const header = this.readU29();
    if ((header & INLINE) === 0) {
      return this.lookUp(this.strings, header >>> 1, 'string');
    }
    const length = header >>> 1;
    if (length === 0) return '';
    const text = this.cursor.utf8(length, 'AMF3 string');
    this.strings.push(text);
    return text;
  }

  private lookUp<T>(table: T[], index: number, what: string): T {
    if (index >= table.length) {
      throw malformed(`AMF3 ${what} reference ${index} beyond table of ${table.length}`);
    }
    this.cursor.resolveReference();
    return table[index];
  }

  /** AMF3 spec §3.9 and §3.13: XMLDocument and XML both carry UTF-8 text. */
  private readXml(): AmfValue {
    const header = this.readU29();
    if ((header & INLINE) === 0) return this.lookUp(this.objects, header >>> 1, 'object');
    const document = new XmlDocument(this.cursor.utf8(header >>> 1, 'AMF3 XML'));
    this.objects.push(document);
    return document;
  }

  /** AMF3 spec §3.10: milliseconds since the epoch, UTC, no time zone. */
  private readDate(): AmfValue {
    const header = this.readU29();
    if ((header & INLINE) === 0) return this.lookUp(this.objects, header >>> 1, 'object');
    const date = new Date(this.cursor.double('AMF3 date'));
    this.objects.push(date);
    return date;
  }

  /**
   * AMF3 spec §3.11: associative name/value pairs ended by "", then the dense values.
   * Dense only gives an array; with names it gives an EcmaArray whose dense values sit under "0", "1", ...
   */
  private readArray(): AmfValue {
    const header = this.readU29();
    if ((header & INLINE) === 0) return this.lookUp(this.objects, header >>> 1, 'object');
    const denseLength = header >>> 1;
    this.cursor.enter();
    let name = this.readString();
    let result: AmfValue;
    if (name === '') {
      const array: AmfValue[] = [];
      this.objects.push(array);
      this.readDense(denseLength, (value) => array.push(value));
      result = array;
    } else {
      const properties = createProperties();
      result = new EcmaArray(properties);
      this.objects.push(result);
      for (; name !== ''; name = this.readString()) properties[name] = this.readValue();
      let index = 0;
      this.readDense(denseLength, (value) => (properties[index++] = value));
    }
    this.cursor.leave();
    return result;
  }

  private readDense(length: number, add: (value: AmfValue) => void): void {
    this.cursor.need(length, 'AMF3 dense values'); // every value takes at least its marker byte
    for (let i = 0; i < length; i++) add(this.readValue());
  }

  /** AMF3 spec §3.12: traits (inline or by reference), sealed values in trait order, then dynamic pairs. */
  private readObject(): AmfValue {
    const header = this.readU29();
    if ((header & INLINE) === 0) return this.lookUp(this.objects, header >>> 1, 'object');
    const traits = this.readTraits(header);
    this.cursor.enter();
    const properties = createProperties();
    const object = traits.className === '' ? properties : new TypedObject(traits.className, properties);
    this.objects.push(object);
    for (const name of traits.sealed) properties[name] = this.readValue();
    if (traits.dynamic) {
      for (let name = this.readString(); name !== ''; name = this.readString()) {
        properties[name] = this.readValue();
      }
    }
    this.cursor.leave();
    return object;
  }

  private readTraits(header: number): Traits {
    if ((header & TRAITS_INLINE) === 0) {
      const index = header >>> 2;
      if (index >= this.traits.length) {
        throw malformed(`AMF3 traits reference ${index} beyond table of ${this.traits.length}`);
      }
      return this.traits[index];
    }
    if ((header & TRAITS_EXTERNALIZABLE) !== 0) {
      // The body format belongs to the class's own readExternal, unknown here.
      throw malformed('AMF3 externalizable object is not supported');
    }
    const className = this.readString();
    const sealedCount = header >>> 4;
    this.cursor.need(sealedCount, 'AMF3 sealed member names'); // every name takes at least one byte
    const sealed: string[] = [];
    for (let i = 0; i < sealedCount; i++) sealed.push(this.readString());
    const traits = { className, sealed, dynamic: (header & TRAITS_DYNAMIC) !== 0 };
    this.traits.push(traits);
    return traits;
  }

  /** AMF3 spec §3.14: raw bytes, copied out of the payload. */
  private readByteArray(): AmfValue {
    const header = this.readU29();
    if ((header & INLINE) === 0) return this.lookUp(this.objects, header >>> 1, 'object');
    const bytes = this.cursor.copy(header >>> 1, 'AMF3 ByteArray');
    this.objects.push(bytes);
    return bytes;
  }

  /** AMF3 spec §3.15: Vector.<int>, Vector.<uint>, Vector.<Number> decode to arrays of numbers. */
  private readNumberVector(marker: number): AmfValue {
    const header = this.readU29();
    if ((header & INLINE) === 0) return this.lookUp(this.objects, header >>> 1, 'object');
    const length = header >>> 1;
    this.cursor.uint8('AMF3 vector fixed flag');
    const width = marker === Amf3Marker.vectorDouble ? 8 : 4;
    this.cursor.need(length * width, 'AMF3 vector');
    const values: number[] = [];
    this.objects.push(values);
    for (let i = 0; i < length; i++) {
      if (marker === Amf3Marker.vectorInt) values.push(this.cursor.int32('AMF3 vector int'));
      else if (marker === Amf3Marker.vectorUint) values.push(this.cursor.uint32('AMF3 vector uint'));
      else values.push(this.cursor.double('AMF3 vector double'));
    }
    return values;
  }

  /** AMF3 spec §3.15: Vector.<Object> decodes to an array; the element type name is dropped. */
  private readObjectVector(): AmfValue {
    const header = this.readU29();
    if ((header & INLINE) === 0) return this.lookUp(this.objects, header >>> 1, 'object');
    this.cursor.uint8('AMF3 vector fixed flag');
    this.readString();
    this.cursor.enter();
    const values: AmfValue[] = [];
    this.objects.push(values);
    this.readDense(header >>> 1, (value) => values.push(value));
    this.cursor.leave();
    return values;
  }
}

/** Decodes exactly one AMF3 value; trailing bytes are malformed. */
export function decodeAmf3(bytes: Buffer, options?: AmfDecodeOptions): AmfValue {
  const cursor = new AmfCursor(bytes, options);
  const value = new Amf3Decoder(cursor).readValue();
  if (cursor.remaining !== 0) throw malformed(`${cursor.remaining} bytes after the AMF3 value`);
  return value;
}
