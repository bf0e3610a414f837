// PROXY protocol headers (HAProxy proxy-protocol.txt): v1 text lines and v2 binary blocks with addresses and
// TLVs, mostly well formed, with the field edges a sender could get wrong; then the first bytes of the stream.
import { crc32c } from '../../src/server/proxy/crc32c';
import { V2_SIGNATURE } from '../../src/server/proxy/header';
import type { Rng } from '../random';

const IPV4 = ['127.0.0.1', '0.0.0.0', '255.255.255.255', '192.168.0.1', '256.1.1.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', '', 'a.b.c.d'];
const IPV6 = ['::1', '::', '2001:db8::1', 'fe80::1%eth0', '::ffff:127.0.0.1', '1:2:3:4:5:6:7:8', '1:2:3:4:5:6:7:8:9', ':::', 'g::1', '2001:DB8::1'];
const PORTS = ['0', '1', '1935', '65535', '65536', '01935', '-1', '', '99999999999', '1e3'];

function v1(rng: Rng): Buffer {
  const family = rng.chance(0.9) ? rng.pick(['TCP4', 'TCP6', 'UNKNOWN']) : rng.pick(['TCP5', 'tcp4', 'UDP4', '']);
  const addresses = family === 'TCP6' ? IPV6 : IPV4;
  const address = () => (rng.chance(0.8) ? addresses[rng.below(4)] : rng.pick(addresses));
  const port = () => (rng.chance(0.8) ? String(rng.below(65536)) : rng.pick(PORTS));
  const fields = family === 'UNKNOWN' && rng.chance(0.5) ? [family] : [family, address(), address(), port(), port()];
  const separator = rng.chance(0.95) ? ' ' : rng.pick(['  ', '\t', '']);
  let line = `PROXY ${fields.join(separator)}`;
  if (rng.chance(0.03)) line += ' ' + 'x'.repeat(rng.range(50, 120)); // past the 107-byte limit
  const end = rng.chance(0.9) ? '\r\n' : rng.pick(['\n', '\r', '', '\r\r\n']);
  return Buffer.from(line + end, 'latin1');
}

function tlv(type: number, value: Buffer, declared = value.length): Buffer {
  const head = Buffer.of(type, declared >> 8, declared & 0xff);
  return Buffer.concat([head, value]);
}

function tlvs(rng: Rng): Buffer[] {
  const out: Buffer[] = [];
  const count = rng.size(4);
  for (let i = 0; i < count; i++) {
    const type = rng.chance(0.9) ? rng.pick([0x01, 0x02, 0x03, 0x04, 0x05, 0x20, 0x30, 0xe0]) : rng.below(256);
    let value: Buffer;
    if (type === 0x20) {
      // §2.2.6 PP2_TYPE_SSL: client bits, verify, then sub-TLVs.
      const subs = Array.from({ length: rng.size(4) }, () => tlv(rng.range(0x21, 0x26), Buffer.from(rng.text(16))));
      value = Buffer.concat([rng.bytes(5), ...subs]);
      if (rng.chance(0.1)) value = value.subarray(0, rng.below(value.length));
    } else if (type === 0x03) {
      value = Buffer.alloc(rng.chance(0.9) ? 4 : rng.below(8)); // CRC32C, filled in once the block is whole
    } else {
      value = type === 0x05 ? rng.bytes(rng.size(140)) : Buffer.from(rng.text(32));
    }
    out.push(tlv(type, value, rng.chance(0.95) ? value.length : rng.below(0x10000)));
  }
  return out;
}

function v2(rng: Rng): Buffer {
  const command = rng.chance(0.95) ? rng.below(2) : rng.below(16);
  const version = rng.chance(0.97) ? 2 : rng.below(16);
  const family = rng.chance(0.9) ? rng.pick([0x11, 0x21, 0x31, 0x00, 0x12, 0x22]) : rng.below(256);
  const addressLength = family >> 4 === 1 ? 12 : family >> 4 === 2 ? 36 : family >> 4 === 3 ? 216 : rng.size(16);
  const addresses = rng.bytes(rng.chance(0.9) ? addressLength : rng.below(addressLength + 1));
  const body = Buffer.concat([addresses, ...tlvs(rng)]);
  const fixed = Buffer.concat([V2_SIGNATURE, Buffer.of((version << 4) | command, family, 0, 0)]);
  fixed.writeUInt16BE(rng.chance(0.95) ? body.length : rng.below(0x10000), 14);
  const block = Buffer.concat([fixed, body]);
  // §2.2.3: a CRC32C TLV carries the checksum of the whole header with its own field as zeros; usually get it right.
  const crcAt = findCrc(block, 16 + addresses.length);
  if (crcAt !== -1 && rng.chance(0.8)) block.writeUInt32BE(crc32c(block), crcAt);
  return block;
}

/** Where a 4-byte CRC32C TLV value sits among well-formed TLVs, or -1. */
function findCrc(block: Buffer, at: number): number {
  while (at + 3 <= block.length) {
    const length = block.readUInt16BE(at + 1);
    if (block[at] === 0x03 && length === 4 && at + 7 <= block.length) return at + 3;
    at += 3 + length;
  }
  return -1;
}

export function proxyInput(rng: Rng): Buffer {
  const header = rng.chance(0.5) ? v1(rng) : v2(rng);
  const input = Buffer.concat([header, rng.chance(0.7) ? Buffer.of(3, ...rng.bytes(rng.size(32))) : Buffer.alloc(0)]);
  return rng.chance(0.1) ? input.subarray(0, rng.below(input.length + 1)) : input;
}
