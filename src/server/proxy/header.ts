// What a PROXY protocol header says (HAProxy proxy-protocol.txt, versions 1 and 2), and the framing both versions share.
import { ProtocolError } from '../errors';

/** `proxy`: relayed for a client, whose addresses the header carries; `local`: the proxy's own connection (health check). */
export type ProxyCommand = 'proxy' | 'local';

/** Transport of the relayed connection: TCP over IPv4 or IPv6, a UNIX socket, or anything else (§2.1 UNKNOWN, §2.2 UNSPEC). */
export type ProxyFamily = 'tcp4' | 'tcp6' | 'unix' | 'unknown';

/** One end of the relayed connection. */
export interface ProxyEndpoint {
  address: string;
  port: number;
}

/** One v2 Type-Length-Value vector (§2.2); the value is a copy, so a header never pins a socket's read buffer. */
export interface ProxyTlv {
  type: number;
  value: Buffer;
}

/** PP2_TYPE_SSL (§2.2.6): how the client reached the proxy over TLS. */
export interface ProxySsl {
  /** PP2_CLIENT_* bits: 0x01 TLS, 0x02 certificate on this connection, 0x04 certificate in this session. */
  client: number;
  /** 0 when the client's certificate was presented and verified. */
  verify: number;
  version?: string;
  commonName?: string;
  cipher?: string;
  signatureAlgorithm?: string;
  keyAlgorithm?: string;
}

/** The v2 TLVs: every vector as sent, and the registered ones this module understands. */
export interface ProxyTlvs {
  raw: ProxyTlv[];
  alpn?: string;
  authority?: string;
  uniqueId?: Buffer;
  ssl?: ProxySsl;
}

/** A parsed header. Addresses are present only for a `proxy` command over TCP; otherwise use the socket's own. */
export interface ProxyHeader {
  version: 1 | 2;
  command: ProxyCommand;
  family: ProxyFamily;
  source?: ProxyEndpoint;
  destination?: ProxyEndpoint;
  tlvs?: ProxyTlvs;
}

/** §2.1: a v1 header starts with "PROXY" and one space. */
export const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
/** §2.1: longest v1 line, CRLF included ("PROXY UNKNOWN" with two full IPv6 addresses). */
export const V1_MAX_LINE = 107;
/** §2.2: the 12-byte v2 signature, NUL included, so it never reads as text. */
export const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
/** §2.2: signature, version/command, family/protocol and the 16-bit length of what follows. */
export const V2_FIXED_LENGTH = 16;
/** §2.2: the high nibble of byte 13 is the version, 2. */
export const V2_VERSION = 0x2;

export const CR = 0x0d;
export const LF = 0x0a;

/** The one error every malformed or oversized header raises. */
export function invalidHeader(message: string): ProtocolError {
  return new ProtocolError('PROXY_HEADER_INVALID', message);
}
