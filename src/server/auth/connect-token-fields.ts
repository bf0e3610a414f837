import type { AmfValue } from '../rtmp/amf';
import { base64FromQuery } from './base64-field';

export const CONNECT_TOKEN_FIELDS = ['ntoken', 'ptoken', 'ttoken', 'ftoken'] as const;
export type ConnectTokenField = (typeof CONNECT_TOKEN_FIELDS)[number];

/** The four fields as the client sent them, still Base64; a field may be absent or of any AMF type. */
export type ConnectTokenFields = Partial<Record<ConnectTokenField, unknown>>;

// An anonymous AMF object decodes prototype-free; a hand-built one in tests has Object.prototype.
const isPlainObject = (value: AmfValue): value is Record<string, AmfValue> => {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === null || prototype === Object.prototype;
};

const hasAnyField = (object: Record<string, AmfValue>): boolean => CONNECT_TOKEN_FIELDS.some((field) => Object.hasOwn(object, field));

/**
 * Finds the connect token: first the plain object appended after the connect command object
 * (`nc.connect(url, {ntoken, ptoken, ttoken, ftoken})`, RTMP 1.0 §7.2.1.1 optional arguments),
 * else the same names in the query of the tcUrl or stream name; null when neither carries any.
 */
export function findConnectTokenFields(connectArgs: readonly AmfValue[], query: URLSearchParams): ConnectTokenFields | null {
  const object = connectArgs.find((arg): arg is Record<string, AmfValue> => isPlainObject(arg) && hasAnyField(arg));
  const fields: ConnectTokenFields = {};
  if (object) {
    for (const field of CONNECT_TOKEN_FIELDS) if (Object.hasOwn(object, field)) fields[field] = object[field];
    return fields;
  }
  for (const field of CONNECT_TOKEN_FIELDS) {
    const value = query.get(field);
    if (value !== null) fields[field] = base64FromQuery(value);
  }
  return Object.keys(fields).length > 0 ? fields : null;
}
