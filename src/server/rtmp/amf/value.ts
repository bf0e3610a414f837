// The JavaScript shape of AMF values, shared by AMF0 (AMF0 spec §2) and AMF3 (AMF3 spec §3).

/** Any value an AMF0 or AMF3 payload can carry. A plain object is an anonymous object. */
export type AmfValue =
  | number
  | boolean
  | string
  | null
  | undefined
  | Date
  | AmfValue[]
  | AmfObject
  | EcmaArray
  | TypedObject
  | XmlDocument
  | Buffer;

/** The values that are objects in JavaScript: the ones AMF can send by reference. */
export type AmfComplexValue = Exclude<AmfValue, null | undefined | number | boolean | string>;

/** Anonymous object (AMF0 spec §2.5, AMF3 spec §3.12 with an empty class name). */
export interface AmfObject {
  [key: string]: AmfValue;
}

/** Associative array (AMF0 spec §2.10); also an AMF3 array with an associative portion (AMF3 spec §3.11). */
export class EcmaArray {
  constructor(public properties: Record<string, AmfValue>) {}
}

/** Object with a registered class name (AMF0 spec §2.18, AMF3 spec §3.12 with traits). */
export class TypedObject {
  constructor(
    public className: string,
    public properties: Record<string, AmfValue>,
  ) {}
}

/** XML text (AMF0 spec §2.17, AMF3 spec §3.9 and §3.13). */
export class XmlDocument {
  constructor(public xml: string) {}
}

export interface AmfDecodeOptions {
  /** Deepest nesting of objects and arrays accepted; deeper input fails with AMF_TOO_DEEP. Default 64. */
  maxDepth?: number;
  /**
   * Most references (AMF0 reference markers, AMF3 string and object references) one decode call
   * resolves; bounds how far a small payload fans out into a large graph. Default 4096.
   */
  maxReferences?: number;
}

export const DEFAULT_MAX_DEPTH = 64;
export const DEFAULT_MAX_REFERENCES = 4096;

/** A property bag without a prototype, so a peer's "__proto__" key is just a key. */
export function createProperties(): Record<string, AmfValue> {
  return Object.create(null) as Record<string, AmfValue>;
}
