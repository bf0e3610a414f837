// Structured AMF inputs: value trees through the real encoders (valid bytes), and marker-level token
// streams written by hand (references, object ends, traits and lengths the encoders never produce).
import { Amf0Marker, Amf3Marker } from '../../src/server/rtmp/amf/markers';
import { EcmaArray, TypedObject, XmlDocument, encodeAmf0, encodeAmf3 } from '../../src/server/rtmp/amf';
import type { AmfValue } from '../../src/server/rtmp/amf';
import type { Rng } from '../random';

/** Deep enough to cross the decoders' default maxDepth of 64 now and then. */
const DEEP = 70;

const KEYS = ['app', 'tcUrl', 'flashVer', 'type', 'ntoken', 'ptoken', 'ttoken', 'ftoken', 'code', 'level', '__proto__', 'constructor', 'duration', 'width'];

function primitive(rng: Rng): AmfValue {
  switch (rng.below(9)) {
    case 0:
      return rng.pick([0, -0, 1, -1, NaN, Infinity, 0x0fffffff, 0x10000000, -0x10000000, 2 ** 53, 1e-300]);
    case 1:
      return rng.float() * 2 ** rng.range(-20, 60) * (rng.chance(0.5) ? -1 : 1);
    case 2:
      return rng.chance(0.5);
    case 3:
      return null;
    case 4:
      return undefined;
    case 5:
      return new Date(rng.chance(0.9) ? rng.below(2 ** 42) : NaN);
    case 6:
      return new XmlDocument(rng.text(32));
    default:
      return rng.chance(0.02) ? 'x'.repeat(0x10000 + rng.below(16)) : rng.text(24); // sometimes an AMF0 long string
  }
}

function properties(rng: Rng, depth: number, budget: { left: number }): Record<string, AmfValue> {
  const out: Record<string, AmfValue> = {};
  const count = rng.size(8);
  // The encoders refuse an empty name (it would read as the object end); the token streams send one.
  // Defined, not assigned: a "__proto__" key must stay a key, not replace the prototype.
  for (let i = 0; i < count; i++) {
    const key = rng.chance(0.5) ? rng.pick(KEYS) : `k${rng.text(12)}`;
    Object.defineProperty(out, key, { value: amfValue(rng, depth + 1, budget), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** A random value tree; `budget` caps the node count so one input stays cheap. */
export function amfValue(rng: Rng, depth = 0, budget = { left: 64 }): AmfValue {
  budget.left--;
  if (depth > 6 || budget.left <= 0 || rng.chance(0.5)) return primitive(rng);
  switch (rng.below(5)) {
    case 0:
      return Array.from({ length: rng.size(8) }, () => amfValue(rng, depth + 1, budget));
    case 1:
      return new EcmaArray(properties(rng, depth, budget));
    case 2:
      return new TypedObject(rng.text(16), properties(rng, depth, budget));
    case 3:
      return rng.bytes(rng.size(64));
    default:
      return properties(rng, depth, budget);
  }
}

/** Values as a command sends them: a name, a transaction id, an object, extra arguments. */
export function amfValues(rng: Rng): AmfValue[] {
  const values: AmfValue[] = [rng.pick(['connect', 'createStream', 'publish', 'play', '@setDataFrame', 'onMetaData', rng.text(10)])];
  if (rng.chance(0.8)) values.push(rng.below(10));
  const extra = rng.size(4);
  for (let i = 0; i < extra; i++) values.push(amfValue(rng));
  // The same object twice: the AMF0 encoder sends the second as a reference.
  if (rng.chance(0.1) && values.length > 2 && typeof values[2] === 'object') values.push(values[2]);
  return values;
}

/** A nest of arrays, to probe the depth limit. */
function deepValue(depth: number): AmfValue {
  let value: AmfValue = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

/** AMF0 bytes: the encoder's output, or a hand-made token stream. */
export function amf0Input(rng: Rng): Buffer {
  const kind = rng.below(10);
  if (kind < 5) return encodeAmf0(amfValues(rng));
  if (kind === 5) return encodeAmf0([deepValue(rng.range(DEEP - 10, DEEP))]);
  return amf0Tokens(rng);
}

/** AMF3 bytes: the encoder's output, or a hand-made token stream. */
export function amf3Input(rng: Rng): Buffer {
  const kind = rng.below(10);
  if (kind < 5) return encodeAmf3(amfValue(rng));
  if (kind === 5) return encodeAmf3(deepValue(rng.range(DEEP - 10, DEEP)));
  return amf3Tokens(rng);
}

/** Appends bytes to a growing list; joined once at the end. */
class Bytes {
  readonly parts: Buffer[] = [];
  u8(value: number): void {
    this.parts.push(Buffer.of(value & 0xff));
  }
  u16(value: number): void {
    const b = Buffer.allocUnsafe(2);
    b.writeUInt16BE(value & 0xffff);
    this.parts.push(b);
  }
  u32(value: number): void {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(value >>> 0);
    this.parts.push(b);
  }
  raw(bytes: Buffer): void {
    this.parts.push(bytes);
  }
  /** AMF3 spec §1.3.1 variable-length U29 (the value is masked to 29 bits). */
  u29(value: number): void {
    const v = value & 0x1fffffff;
    if (v < 0x80) this.u8(v);
    else if (v < 0x4000) this.raw(Buffer.of((v >> 7) | 0x80, v & 0x7f));
    else if (v < 0x200000) this.raw(Buffer.of((v >> 14) | 0x80, ((v >> 7) & 0x7f) | 0x80, v & 0x7f));
    else this.raw(Buffer.of((v >> 22) | 0x80, ((v >> 15) & 0x7f) | 0x80, ((v >> 8) & 0x7f) | 0x80, v & 0xff));
  }
  join(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A length field that is usually right and sometimes off by a little or by a lot. */
function lengthFor(rng: Rng, actual: number): number {
  const k = rng.below(10);
  return k < 7 ? actual : k < 9 ? actual + rng.range(-2, 2) : rng.pick([0xffff, 0xffffffff, 0x7fffffff]);
}

function amf0Token(rng: Rng, out: Bytes, depth: number): void {
  const marker = rng.chance(0.03) ? rng.below(256) : rng.below(0x12);
  out.u8(marker);
  switch (marker) {
    case Amf0Marker.number:
      out.raw(rng.bytes(8));
      return;
    case Amf0Marker.boolean:
      out.u8(rng.below(3));
      return;
    case Amf0Marker.string:
    case Amf0Marker.xmlDocument:
    case Amf0Marker.longString: {
      const text = Buffer.from(rng.text(16));
      if (marker === Amf0Marker.string) out.u16(lengthFor(rng, text.length));
      else out.u32(lengthFor(rng, text.length));
      out.raw(text);
      return;
    }
    case Amf0Marker.reference:
      out.u16(rng.chance(0.8) ? rng.below(4) : rng.below(0x10000));
      return;
    case Amf0Marker.date:
      out.raw(rng.bytes(10));
      return;
    case Amf0Marker.strictArray: {
      const count = rng.size(6);
      out.u32(lengthFor(rng, count));
      for (let i = 0; i < count; i++) amf0Token(rng, out, depth + 1);
      return;
    }
    case Amf0Marker.typedObject:
    case Amf0Marker.object:
    case Amf0Marker.ecmaArray: {
      if (marker === Amf0Marker.typedObject) {
        const name = Buffer.from(rng.text(8));
        out.u16(lengthFor(rng, name.length));
        out.raw(name);
      }
      const count = depth > 8 ? 0 : rng.size(6);
      if (marker === Amf0Marker.ecmaArray) out.u32(lengthFor(rng, count));
      for (let i = 0; i < count; i++) {
        const key = Buffer.from(rng.chance(0.5) ? rng.pick(KEYS) : rng.text(8)); // may be empty: an early object end
        out.u16(lengthFor(rng, key.length));
        out.raw(key);
        amf0Token(rng, out, depth + 1);
      }
      if (rng.chance(0.9)) out.raw(Buffer.of(0, 0, Amf0Marker.objectEnd)); // §2.11: empty key then object-end
      return;
    }
    case Amf0Marker.avmplusObject:
      out.raw(amf3Tokens(rng));
      return;
    default:
      return;
  }
}

export function amf0Tokens(rng: Rng): Buffer {
  const out = new Bytes();
  const count = 1 + rng.size(6);
  for (let i = 0; i < count; i++) amf0Token(rng, out, 0);
  return out.join();
}

/** A U29 header: an inline value (low bit set) or, now and then, a reference index (low bit clear). */
function header(rng: Rng, out: Bytes, inlineValue: number): void {
  if (rng.chance(0.2)) out.u29(rng.size(8) << 1);
  else out.u29((inlineValue << 1) | 1);
}

function amf3Token(rng: Rng, out: Bytes, depth: number): void {
  const marker = rng.chance(0.03) ? rng.below(256) : rng.below(0x12);
  out.u8(marker);
  switch (marker) {
    case Amf3Marker.integer:
      out.u29(rng.next());
      return;
    case Amf3Marker.double:
      out.raw(rng.bytes(8));
      return;
    case Amf3Marker.string:
    case Amf3Marker.xml:
    case Amf3Marker.xmlDocument:
      amf3String(rng, out);
      return;
    case Amf3Marker.date:
      header(rng, out, 0);
      out.raw(rng.bytes(8));
      return;
    case Amf3Marker.byteArray: {
      const bytes = rng.bytes(rng.size(32));
      header(rng, out, lengthFor(rng, bytes.length));
      out.raw(bytes);
      return;
    }
    case Amf3Marker.array: {
      const dense = depth > 8 ? 0 : rng.size(5);
      header(rng, out, lengthFor(rng, dense));
      const associative = depth > 8 ? 0 : rng.size(3);
      for (let i = 0; i < associative; i++) {
        amf3String(rng, out);
        amf3Token(rng, out, depth + 1);
      }
      out.u8(1); // empty string ends the associative portion
      for (let i = 0; i < dense; i++) amf3Token(rng, out, depth + 1);
      return;
    }
    case Amf3Marker.object: {
      const sealed = rng.size(3);
      const dynamic = rng.chance(0.5);
      const externalizable = rng.chance(0.05);
      // §3.12 U29O-traits: count of sealed members << 4 | dynamic << 3 | externalizable << 2 | traits inline << 1.
      if (rng.chance(0.2)) header(rng, out, rng.size(4) << 1); // a traits reference
      else out.u29((sealed << 4) | (dynamic ? 8 : 0) | (externalizable ? 4 : 0) | 3);
      amf3String(rng, out);
      for (let i = 0; i < sealed; i++) amf3String(rng, out);
      for (let i = 0; i < sealed && depth <= 8; i++) amf3Token(rng, out, depth + 1);
      if (dynamic) {
        const count = depth > 8 ? 0 : rng.size(3);
        for (let i = 0; i < count; i++) {
          amf3String(rng, out);
          amf3Token(rng, out, depth + 1);
        }
        out.u8(1);
      }
      return;
    }
    case Amf3Marker.vectorInt:
    case Amf3Marker.vectorUint:
    case Amf3Marker.vectorDouble:
    case Amf3Marker.vectorObject: {
      const count = rng.size(6);
      header(rng, out, lengthFor(rng, count));
      out.u8(rng.below(2)); // fixed-vector flag
      if (marker === Amf3Marker.vectorObject) {
        amf3String(rng, out);
        for (let i = 0; i < count && depth <= 8; i++) amf3Token(rng, out, depth + 1);
      } else {
        out.raw(rng.bytes(count * (marker === Amf3Marker.vectorDouble ? 8 : 4)));
      }
      return;
    }
    case Amf3Marker.dictionary:
      header(rng, out, rng.size(4));
      out.u8(rng.below(2));
      return;
    default:
      return;
  }
}

function amf3String(rng: Rng, out: Bytes): void {
  const text = Buffer.from(rng.chance(0.3) ? rng.pick(KEYS) : rng.text(10));
  header(rng, out, lengthFor(rng, text.length));
  out.raw(text);
}

export function amf3Tokens(rng: Rng): Buffer {
  const out = new Bytes();
  amf3Token(rng, out, 0);
  return out.join();
}
