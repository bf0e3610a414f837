// AMF0 and AMF3 codec (Adobe AMF0 and AMF3 specs): pure, bytes in and values out, values in and bytes out.

export { decodeAmf0 } from './amf0-decoder';
export { encodeAmf0 } from './amf0-encoder';
export { decodeAmf3 } from './amf3-decoder';
export { encodeAmf3 } from './amf3-encoder';
export { EcmaArray, TypedObject, XmlDocument, DEFAULT_MAX_DEPTH, DEFAULT_MAX_REFERENCES } from './value';
export type { AmfDecodeOptions, AmfObject, AmfValue } from './value';
