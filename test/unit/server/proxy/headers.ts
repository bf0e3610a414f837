// PROXY protocol headers built byte by byte for tests (proxy-protocol.txt §2.1, §2.2), independent of the parser.
import { crc32c } from '../../../../src/server/proxy/crc32c';

export const V2_SIGNATURE = Buffer.from('0d0a0d0a000d0a515549540a', 'hex');

export const LOCAL = 0x20;
export const PROXY = 0x21;
export const UNSPEC = 0x00;
export const TCP4 = 0x11;
export const UDP4 = 0x12;
export const TCP6 = 0x21;
export const UNIX_STREAM = 0x31;

export function v1(line: string): Buffer {
  return Buffer.from(line, 'latin1');
}

/** A v2 header: signature, version/command byte, family/protocol byte, length, then `body`. */
export function v2(versionCommand: number, familyProtocol: number, ...body: Buffer[]): Buffer {
  const rest = Buffer.concat(body);
  const fixed = Buffer.alloc(4);
  fixed[0] = versionCommand;
  fixed[1] = familyProtocol;
  fixed.writeUInt16BE(rest.length, 2);
  return Buffer.concat([V2_SIGNATURE, fixed, rest]);
}

/** IPv4 address block: "a.b.c.d" addresses, then ports. */
export function ipv4Block(source: string, destination: string, sourcePort: number, destinationPort: number): Buffer {
  const block = Buffer.alloc(12);
  Buffer.from(source.split('.').map(Number)).copy(block, 0);
  Buffer.from(destination.split('.').map(Number)).copy(block, 4);
  block.writeUInt16BE(sourcePort, 8);
  block.writeUInt16BE(destinationPort, 10);
  return block;
}

/** IPv6 address block: 32 hex digits per address, then ports. */
export function ipv6Block(sourceHex: string, destinationHex: string, sourcePort: number, destinationPort: number): Buffer {
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(sourcePort, 0);
  ports.writeUInt16BE(destinationPort, 2);
  return Buffer.concat([Buffer.from(sourceHex, 'hex'), Buffer.from(destinationHex, 'hex'), ports]);
}

export function tlv(type: number, value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
  const head = Buffer.alloc(3);
  head[0] = type;
  head.writeUInt16BE(bytes.length, 1);
  return Buffer.concat([head, bytes]);
}

/** A v2 header ending in a PP2_TYPE_CRC32C TLV carrying the header's checksum (§2.2.3), plus `delta`. */
export function withChecksum(versionCommand: number, familyProtocol: number, body: Buffer[], delta = 0): Buffer {
  const header = v2(versionCommand, familyProtocol, ...body, tlv(0x03, Buffer.alloc(4)));
  header.writeUInt32BE((crc32c(header) + delta) >>> 0, header.length - 4);
  return header;
}
