// PROXY protocol version 1 (proxy-protocol.txt §2.1): one US-ASCII line,
// "PROXY TCP4|TCP6 <source> <destination> <source port> <destination port>\r\n" or "PROXY UNKNOWN ...\r\n".
import { isIPv4, isIPv6 } from 'node:net';
import { CR, V1_PREFIX, invalidHeader } from './header';
import type { ProxyEndpoint, ProxyHeader } from './header';
import { canonicalIPv6 } from './ip-text';

// §2.1: decimal 0..65535 without heading zeroes.
const PORT = /^(?:0|[1-9][0-9]{0,4})$/;

// §2.1: the protocol field names the address family, and with it how the addresses are written.
const V1_FAMILIES = {
  TCP4: { family: 'tcp4', address: ipv4 },
  TCP6: { family: 'tcp6', address: ipv6 },
} as const;

/** Decodes a whole v1 line, CRLF included, as found by the parser. */
export function parseV1Line(line: Buffer): ProxyHeader {
  // §2.1: a lone LF does not end the line.
  if (line[line.length - 2] !== CR) throw invalidHeader('PROXY v1 line does not end with CRLF');
  const text = line.toString('latin1', V1_PREFIX.length, line.length - 2);
  // §2.1: after UNKNOWN the sender may put anything before the CRLF, and the receiver ignores it.
  if (text === 'UNKNOWN' || text.startsWith('UNKNOWN ')) return { version: 1, command: 'proxy', family: 'unknown' };
  const fields = text.split(' ');
  if (fields.length !== 5) throw invalidHeader(`PROXY v1 line has ${fields.length} fields after PROXY, not 5`);
  const [family, source, destination, sourcePort, destinationPort] = fields;
  const known = Object.hasOwn(V1_FAMILIES, family) ? V1_FAMILIES[family as keyof typeof V1_FAMILIES] : undefined;
  if (known) {
    return {
      version: 1,
      command: 'proxy',
      family: known.family,
      source: endpoint(known.address(source), sourcePort),
      destination: endpoint(known.address(destination), destinationPort),
    };
  }
  throw invalidHeader(`PROXY v1 family ${JSON.stringify(family)} is not TCP4, TCP6 or UNKNOWN`);
}

// §2.1: exactly four decimal numbers 0..255, no heading zeroes (node:net's isIPv4 refuses them too).
function ipv4(text: string): string {
  if (!isIPv4(text)) throw invalidHeader(`PROXY v1 TCP4 address ${JSON.stringify(text)} is not a dotted quad`);
  return text;
}

// §2.1: 128 bits of hexadecimal groups; a zone index ("%eth0") is not part of the format.
function ipv6(text: string): string {
  if (text.includes('%') || !isIPv6(text)) throw invalidHeader(`PROXY v1 TCP6 address ${JSON.stringify(text)} is not an IPv6 address`);
  return canonicalIPv6(text);
}

function endpoint(address: string, port: string): ProxyEndpoint {
  const value = Number(port);
  if (!PORT.test(port) || value > 0xffff) throw invalidHeader(`PROXY v1 port ${JSON.stringify(port)} is not a number in 0..65535`);
  return { address, port: value };
}
