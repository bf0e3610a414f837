// The addresses other machines on the local network can reach this one at.
import { networkInterfaces } from 'node:os';

export type NetworkInterfaces = () => ReturnType<typeof networkInterfaces>;

/** Every IPv4 address of an interface that is up and not loopback, in interface order, each once (what a user types into OBS). */
export function lanAddresses(interfaces: NetworkInterfaces = networkInterfaces): string[] {
  const found = Object.values(interfaces()).flatMap((entries) => (entries ?? []).filter((entry) => entry.family === 'IPv4' && !entry.internal).map((entry) => entry.address));
  return [...new Set(found)];
}
