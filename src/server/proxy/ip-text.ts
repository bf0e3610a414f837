// Addresses as text, written the way node:net writes socket.remoteAddress, so logs and trust checks see one form.
import { SocketAddress } from 'node:net';

/** Lower case, longest zero run compressed, IPv4-mapped as ::ffff:a.b.c.d; `text` must already be valid IPv6. */
export function canonicalIPv6(text: string): string {
  return new SocketAddress({ address: text, family: 'ipv6' }).address;
}

/** Four bytes in network order as a dotted quad. */
export function ipv4FromBytes(bytes: Buffer, at: number): string {
  return `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
}

/** Sixteen bytes in network order as canonical IPv6 text. */
export function ipv6FromBytes(bytes: Buffer, at: number): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(at + i).toString(16));
  return canonicalIPv6(groups.join(':'));
}
