import { once } from 'node:events';
import net, { type AddressInfo } from 'node:net';

/** A loopback port free right now, for a process that must be told its port up front (the CLI, haproxy). */
export async function freePort(): Promise<number> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
