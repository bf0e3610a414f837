// AMF0 decoding (AMF0 spec §2): a sequence of values sharing one reference table.

import { Amf3Decoder } from './amf3-decoder';
import { AmfCursor, malformed } from './cursor';
import { Amf0Marker } from './markers';
import { EcmaArray, TypedObject, XmlDocument, createProperties } from './value';
import type { AmfDecodeOptions, AmfValue } from './value';

export class Amf0Decoder {
  /** AMF0 spec §2.9: objects, typed objects, ECMA and strict arrays, in the order they started. */
  private readonly references: AmfValue[] = [];

  constructor(private readonly cursor: AmfCursor) {}

  readValue(): AmfValue {
    const marker = this.cursor.uint8('AMF0 marker');
    switch (marker) {
      case Amf0Marker.number:
        return this.cursor.double('AMF0 number');
      case Amf0Marker.boolean:
        return this.cursor.uint8('AMF0 boolean') !== 0;
      case Amf0Marker.string:
        return this.cursor.utf8(this.cursor.uint16('AMF0 string length'), 'AMF0 string');
      case Amf0Marker.object:
        return this.readObject();
      case Amf0Marker.null:
        return null;
      case Amf0Marker.undefined:
      // AMF0 spec §2.14: "unsupported" stands for a value the sender could not serialize.
      case Amf0Marker.unsupported:
        return undefined;
      case Amf0Marker.reference:
        return this.readReference();
      case Amf0Marker.ecmaArray:
        return this.readEcmaArray();
      case Amf0Marker.strictArray:
        return this.readStrictArray();
      case Amf0Marker.date:
        return this.readDate();
      case Amf0Marker.longString:
        return this.cursor.utf8(this.cursor.uint32('AMF0 long string length'), 'AMF0 long string');
      case Amf0Marker.xmlDocument:
        return new XmlDocument(this.cursor.utf8(this.cursor.uint32('AMF0 XML length'), 'AMF0 XML'));
      case Amf0Marker.typedObject:
        return this.readTypedObject();
      case Amf0Marker.avmplusObject:
        // AMF0 spec §3.1: the next value is AMF3, with fresh AMF3 reference tables.
        return new Amf3Decoder(this.cursor).readValue();
      case Amf0Marker.objectEnd:
        throw malformed('AMF0 object-end marker outside an object');
      case Amf0Marker.movieclip:
      case Amf0Marker.recordset:
        // AMF0 spec §2.6, §2.15: reserved, not supported; no body format is defined to skip.
        throw malformed(`reserved AMF0 marker 0x${marker.toString(16)}`);
      default:
        throw malformed(`unknown AMF0 marker 0x${marker.toString(16)}`);
    }
  }

  /** AMF0 spec §2.5. */
  private readObject(): AmfValue {
    this.cursor.enter();
    const object = createProperties();
    this.references.push(object);
    this.readProperties(object);
    this.cursor.leave();
    return object;
  }

  /** AMF0 spec §2.10: the count is only a hint (encoders get it wrong); the end marker decides. */
  private readEcmaArray(): AmfValue {
    this.cursor.uint32('AMF0 ECMA array count');
    this.cursor.enter();
    const array = new EcmaArray(createProperties());
    this.references.push(array);
    this.readProperties(array.properties);
    this.cursor.leave();
    return array;
  }

  /** AMF0 spec §2.18. */
  private readTypedObject(): AmfValue {
    const className = this.cursor.utf8(this.cursor.uint16('AMF0 class name length'), 'AMF0 class name');
    this.cursor.enter();
    const object = new TypedObject(className, createProperties());
    this.references.push(object);
    this.readProperties(object.properties);
    this.cursor.leave();
    return object;
  }

  /** Name/value pairs until an empty name followed by the object-end marker (AMF0 spec §2.5, §2.11). */
  private readProperties(properties: Record<string, AmfValue>): void {
    for (;;) {
      const nameLength = this.cursor.uint16('AMF0 property name length');
      if (nameLength === 0) {
        const end = this.cursor.uint8('AMF0 object-end marker');
        if (end !== Amf0Marker.objectEnd) throw malformed(`AMF0 empty property name followed by 0x${end.toString(16)}`);
        return;
      }
      const name = this.cursor.utf8(nameLength, 'AMF0 property name');
      properties[name] = this.readValue();
    }
  }

  /** AMF0 spec §2.12. */
  private readStrictArray(): AmfValue {
    const count = this.cursor.uint32('AMF0 strict array count');
    this.cursor.need(count, 'AMF0 strict array'); // every value takes at least its marker byte
    this.cursor.enter();
    const array: AmfValue[] = [];
    this.references.push(array);
    for (let i = 0; i < count; i++) array.push(this.readValue());
    this.cursor.leave();
    return array;
  }

  /** AMF0 spec §2.13: milliseconds since the epoch (UTC), then a reserved time zone that is ignored. */
  private readDate(): AmfValue {
    const milliseconds = this.cursor.double('AMF0 date');
    this.cursor.int16('AMF0 date time zone');
    return new Date(milliseconds);
  }

  /** AMF0 spec §2.9: an index into the complex values already decoded. */
  private readReference(): AmfValue {
    const index = this.cursor.uint16('AMF0 reference');
    if (index >= this.references.length) {
      throw malformed(`AMF0 reference ${index} beyond table of ${this.references.length}`);
    }
    this.cursor.resolveReference();
    return this.references[index];
  }
}

/** Decodes AMF0 values until the buffer ends (a command or data message body). */
export function decodeAmf0(bytes: Buffer, options?: AmfDecodeOptions): AmfValue[] {
  const cursor = new AmfCursor(bytes, options);
  const decoder = new Amf0Decoder(cursor);
  const values: AmfValue[] = [];
  while (cursor.remaining > 0) values.push(decoder.readValue());
  return values;
}
