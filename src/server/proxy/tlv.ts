// PROXY protocol v2 Type-Length-Value vectors after the address block (proxy-protocol.txt §2.2, §2.2.1-§2.2.6).
import { invalidHeader } from './header';
import type { ProxySsl, ProxyTlv, ProxyTlvs } from './header';

// Registered types (§2.2).
export const PP2_TYPE_ALPN = 0x01;
export const PP2_TYPE_AUTHORITY = 0x02;
export const PP2_TYPE_CRC32C = 0x03;
export const PP2_TYPE_UNIQUE_ID = 0x05;
export const PP2_TYPE_SSL = 0x20;
export const PP2_SUBTYPE_SSL_VERSION = 0x21;
export const PP2_SUBTYPE_SSL_CN = 0x22;
export const PP2_SUBTYPE_SSL_CIPHER = 0x23;
export const PP2_SUBTYPE_SSL_SIG_ALG = 0x24;
export const PP2_SUBTYPE_SSL_KEY_ALG = 0x25;

/** §2.2: type (1 byte) and length (2 bytes, network order) before each value. */
const TLV_HEADER_LENGTH = 3;
/** §2.2.6: the client bit field (1 byte) and verify (4 bytes) before the SSL sub-TLVs. */
const SSL_FIXED_LENGTH = 5;

/** Splits a run of TLVs into vectors whose values are views of `bytes`; `what` names the run in errors. */
export function splitTlvs(bytes: Buffer, what: string): ProxyTlv[] {
  const list: ProxyTlv[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (bytes.length - at < TLV_HEADER_LENGTH) throw invalidHeader(`${what} ends with ${bytes.length - at} bytes too short for a TLV`);
    const type = bytes[at];
    const length = bytes.readUInt16BE(at + 1);
    const end = at + TLV_HEADER_LENGTH + length;
    if (end > bytes.length) throw invalidHeader(`${what} TLV 0x${type.toString(16)} claims ${length} bytes, ${bytes.length - at - TLV_HEADER_LENGTH} remain`);
    list.push({ type, value: bytes.subarray(at + TLV_HEADER_LENGTH, end) });
    at = end;
  }
  return list;
}

/** Keeps every vector and decodes the registered ones an RTMP server may log or use. */
export function decodeTlvs(raw: ProxyTlv[]): ProxyTlvs {
  const tlvs: ProxyTlvs = { raw };
  for (const { type, value } of raw) {
    if (type === PP2_TYPE_ALPN) tlvs.alpn = value.toString('latin1'); // §2.2.1: a byte sequence, as in TLS ALPN
    else if (type === PP2_TYPE_AUTHORITY) tlvs.authority = value.toString('utf8'); // §2.2.2: UTF-8 host name (SNI)
    else if (type === PP2_TYPE_UNIQUE_ID) tlvs.uniqueId = value; // §2.2.5: opaque
    else if (type === PP2_TYPE_SSL) tlvs.ssl = decodeSsl(value);
  }
  return tlvs;
}

// §2.2.6: client bits, verify, then sub-TLVs: US-ASCII names, and the client certificate's CN in UTF-8.
function decodeSsl(value: Buffer): ProxySsl {
  if (value.length < SSL_FIXED_LENGTH) throw invalidHeader(`PROXY v2 PP2_TYPE_SSL value is ${value.length} bytes, under ${SSL_FIXED_LENGTH}`);
  const ssl: ProxySsl = { client: value[0], verify: value.readUInt32BE(1) };
  for (const { type, value: text } of splitTlvs(value.subarray(SSL_FIXED_LENGTH), 'PROXY v2 PP2_TYPE_SSL')) {
    if (type === PP2_SUBTYPE_SSL_VERSION) ssl.version = text.toString('latin1');
    else if (type === PP2_SUBTYPE_SSL_CN) ssl.commonName = text.toString('utf8');
    else if (type === PP2_SUBTYPE_SSL_CIPHER) ssl.cipher = text.toString('latin1');
    else if (type === PP2_SUBTYPE_SSL_SIG_ALG) ssl.signatureAlgorithm = text.toString('latin1');
    else if (type === PP2_SUBTYPE_SSL_KEY_ALG) ssl.keyAlgorithm = text.toString('latin1');
  }
  return ssl;
}
