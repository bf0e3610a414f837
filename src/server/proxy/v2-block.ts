// PROXY protocol version 2 (proxy-protocol.txt §2.2): a 16-byte binary header, then addresses and TLVs.
import { crc32c } from './crc32c';
import { V2_FIXED_LENGTH, invalidHeader } from './header';
import type { ProxyCommand, ProxyFamily, ProxyHeader, ProxyTlvs } from './header';
import { ipv4FromBytes, ipv6FromBytes } from './ip-text';
import { PP2_TYPE_CRC32C, decodeTlvs, splitTlvs } from './tlv';

// Byte 13, low nibble (§2.2).
const COMMANDS: readonly ProxyCommand[] = ['local', 'proxy'];

// Byte 14: address family (high nibble) and transport (low nibble) (§2.2).
const AF_UNSPEC = 0x0;
const AF_INET = 0x1;
const AF_INET6 = 0x2;
const AF_UNIX = 0x3;
const TRANSPORT_STREAM = 0x1;
const TRANSPORT_DGRAM = 0x2;

// Address block sizes: two addresses, then two 16-bit ports for INET and INET6 (§2.2, union proxy_addr).
const IPV4_BLOCK = 2 * 4 + 2 * 2;
const IPV6_BLOCK = 2 * 16 + 2 * 2;
const UNIX_BLOCK = 2 * 108;

const CRC32C_LENGTH = 4;
const CRC32C_ZEROS = Buffer.alloc(CRC32C_LENGTH);

/** Decodes a whole v2 header whose signature, version and length the parser has checked. */
export function parseV2Block(block: Buffer): ProxyHeader {
  const command = COMMANDS[block[12] & 0x0f];
  if (command === undefined) throw invalidHeader(`PROXY v2 command 0x${(block[12] & 0x0f).toString(16)} is neither LOCAL nor PROXY`);
  const addressFamily = block[13] >> 4;
  const transport = block[13] & 0x0f;
  if (addressFamily > AF_UNIX || transport > TRANSPORT_DGRAM) throw invalidHeader(`PROXY v2 family/protocol byte 0x${block[13].toString(16).padStart(2, '0')} is not defined`);

  // §2.2: UNSPEC, and DGRAM which RTMP never rides on, fall back to UNSPEC: the whole block is skipped, addresses and all.
  if (addressFamily === AF_UNSPEC || transport !== TRANSPORT_STREAM) return { version: 2, command, family: 'unknown' };
  const [family, addressLength]: [ProxyFamily, number] =
    addressFamily === AF_INET ? ['tcp4', IPV4_BLOCK] : addressFamily === AF_INET6 ? ['tcp6', IPV6_BLOCK] : ['unix', UNIX_BLOCK];
  const tlvStart = V2_FIXED_LENGTH + addressLength;
  if (block.length < tlvStart) throw invalidHeader(`PROXY v2 ${family} needs ${addressLength} address bytes, the length says ${block.length - V2_FIXED_LENGTH}`);

  const header: ProxyHeader = { version: 2, command, family };
  // §2.2: LOCAL means the connection's own endpoints; UNIX paths are no network address to log or trust.
  if (command === 'proxy' && family !== 'unix') {
    const size = family === 'tcp4' ? 4 : 16;
    const address = family === 'tcp4' ? ipv4FromBytes : ipv6FromBytes;
    const ports = V2_FIXED_LENGTH + 2 * size;
    header.source = { address: address(block, V2_FIXED_LENGTH), port: block.readUInt16BE(ports) };
    header.destination = { address: address(block, V2_FIXED_LENGTH + size), port: block.readUInt16BE(ports + 2) };
  }
  if (tlvStart < block.length) header.tlvs = readTlvs(block, tlvStart);
  return header;
}

// Copies the TLV region once, so the header keeps none of the socket's read buffer alive, and checks a CRC32C if sent.
function readTlvs(block: Buffer, tlvStart: number): ProxyTlvs {
  const region = Buffer.from(block.subarray(tlvStart));
  const raw = splitTlvs(region, 'PROXY v2');
  const checksum = raw.find((tlv) => tlv.type === PP2_TYPE_CRC32C);
  if (checksum !== undefined) verifyChecksum(block, tlvStart + (checksum.value.byteOffset - region.byteOffset), checksum.value);
  return decodeTlvs(raw);
}

// §2.2.3: the CRC32C of the whole header with the checksum field taken as zeros.
function verifyChecksum(block: Buffer, at: number, value: Buffer): void {
  if (value.length !== CRC32C_LENGTH) throw invalidHeader(`PROXY v2 PP2_TYPE_CRC32C value is ${value.length} bytes, not ${CRC32C_LENGTH}`);
  const computed = crc32c(block.subarray(0, at), CRC32C_ZEROS, block.subarray(at + CRC32C_LENGTH));
  if (computed !== value.readUInt32BE(0)) throw invalidHeader('PROXY v2 header fails its CRC32C checksum');
}
