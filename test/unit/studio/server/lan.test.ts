import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lanAddresses } from '../../../../src/studio/server/lan';

const entry = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal, netmask: '', mac: '', cidr: null }) as NetworkInterfaceInfo;

describe('lanAddresses', () => {
  it('lists the IPv4 addresses of the network interfaces, leaving out loopback', () => {
    const interfaces = () => ({
      lo: [entry('127.0.0.1', 'IPv4', true), entry('::1', 'IPv6', true)],
      eth0: [entry('192.0.2.10', 'IPv4'), entry('fe80::1', 'IPv6')],
      wlan0: [entry('198.51.100.7', 'IPv4')],
      docker0: undefined,
    });
    expect(lanAddresses(interfaces)).toEqual(['192.0.2.10', '198.51.100.7']);
  });
});
