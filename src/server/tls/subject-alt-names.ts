// Subject Alternative Names (RFC 5280 §4.2.1.6) in one canonical text form, `DNS:name` or `IP:address`, so the names a
// certificate carries and the names we want compare as plain strings.
import { isIPv4, isIPv6 } from 'node:net';

// RFC 1123 §2.1 labels; underscores too, because Windows machine names may carry them; an optional leading wildcard.
const HOST_NAME = /^(\*\.)?[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;
const MAX_HOST_NAME_LENGTH = 253;

/** The names every self-signed certificate carries: the loopback addresses under both entry types (see subjectAltNamesFor). */
export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** True for a DNS host name that may go in a certificate, in any letter case, with or without a final dot. */
export function isHostName(name: string): boolean {
  const bare = name.toLowerCase().replace(/\.$/, '');
  return bare.length <= MAX_HOST_NAME_LENGTH && HOST_NAME.test(bare);
}

/** `::1` for `0:0:0:0:0:0:0:1`: the compressed lower-case form the URL parser gives an IPv6 address. */
function canonicalIp(address: string): string {
  return isIPv6(address) ? new URL(`http://[${address}]/`).hostname.slice(1, -1) : address;
}

/**
 * The SAN entries for a list of host names and addresses, in order, without repeats. An IPv4 address is both an IP
 * entry and a DNS entry, because OBS (mbedTLS) matches the host it dials only against dNSName entries; an IPv6 address
 * cannot be a DNS name and is an IP entry only. Throws a RangeError for anything that is neither.
 */
export function subjectAltNamesFor(names: readonly string[]): string[] {
  const entries = names.flatMap((name) => {
    if (isIPv4(name)) return [`DNS:${name}`, `IP:${name}`];
    if (isIPv6(name)) return [`IP:${canonicalIp(name)}`];
    if (isHostName(name)) return [`DNS:${name.toLowerCase().replace(/\.$/, '')}`];
    throw new RangeError(`${JSON.stringify(name)} is neither a host name nor an IP address`);
  });
  return [...new Set(entries)];
}

/**
 * The entries of Node's X509Certificate.subjectAltName (`DNS:a, IP Address:0:0:0:0:0:0:0:1, …`) in canonical form.
 * Node quotes a name with special characters as a JSON string whose commas are escaped, so ", " only ever separates.
 */
export function parseSubjectAltNames(text: string | undefined): string[] {
  if (!text) return [];
  return text.split(', ').map((entry) => {
    const colon = entry.indexOf(':');
    const type = entry.slice(0, colon);
    const raw = entry.slice(colon + 1);
    const value = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
    if (type === 'DNS') return `DNS:${value.toLowerCase()}`;
    if (type === 'IP Address') return `IP:${canonicalIp(value)}`;
    return `${type}:${value}`;
  });
}
