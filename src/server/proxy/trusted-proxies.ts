// The peers a PROXY-protocol listener believes (proxy-protocol.txt §5: "accepting the header only from a number of
// known sources should be safe"); everyone else would be spoofing the address that logs and authorization use.
import { BlockList, isIP } from 'node:net';

// "ADDRESS" or "ADDRESS/BITS", the prefix length in decimal.
const ENTRY = /^([^/]+)(?:\/(0|[1-9][0-9]{0,2}))?$/;

export class TrustedProxies {
  private readonly blocks = new BlockList();

  /** Addresses and CIDR blocks, IPv4 or IPv6: '127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8'. Throws on a bad entry. */
  constructor(entries: Iterable<string>) {
    for (const entry of entries) this.add(entry);
  }

  /** True when `address` (as node:net reports a peer) is one of the trusted; an IPv4 peer matches as IPv4-mapped IPv6 too. */
  trusts(address: string | undefined): boolean {
    if (address === undefined) return false;
    // A link-local peer comes with its zone ("fe80::1%eth0"); the zone is no part of the address.
    const bare = address.split('%', 1)[0];
    const family = isIP(bare);
    if (family === 0) return false;
    return this.blocks.check(bare, family === 4 ? 'ipv4' : 'ipv6');
  }

  private add(entry: string): void {
    const match = ENTRY.exec(entry.trim());
    const family = match === null ? 0 : isIP(match[1]);
    if (match === null || family === 0) throw new RangeError(`trusted proxy ${JSON.stringify(entry)} is not an address or ADDRESS/BITS`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (match[2] === undefined) {
      this.blocks.addAddress(match[1], type);
      return;
    }
    const bits = Number(match[2]);
    if (bits > (family === 4 ? 32 : 128)) throw new RangeError(`trusted proxy ${JSON.stringify(entry)} has a prefix longer than the address`);
    this.blocks.addSubnet(match[1], bits, type);
  }
}
