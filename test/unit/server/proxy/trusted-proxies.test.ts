import { describe, expect, it } from 'vitest';
import { TrustedProxies } from '../../../../src/server/proxy';

describe('TrustedProxies', () => {
  const trusted = new TrustedProxies(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);

  it.each(['127.0.0.1', '10.0.0.0', '10.255.255.255', '::1', 'fd00::1', 'fdff:ffff::1', '0:0:0:0:0:0:0:1', 'FD12::ABCD'])('trusts %s', (address) => {
    expect(trusted.trusts(address)).toBe(true);
  });

  it.each(['127.0.0.2', '11.0.0.1', '9.255.255.255', '::2', 'fe00::1', 'fc00::1', '192.168.1.1'])('does not trust %s', (address) => {
    expect(trusted.trusts(address)).toBe(false);
  });

  it('matches an IPv4 peer seen by a dual-stack listener as IPv4-mapped IPv6', () => {
    expect(trusted.trusts('::ffff:127.0.0.1')).toBe(true);
    expect(trusted.trusts('::ffff:10.1.2.3')).toBe(true);
    expect(trusted.trusts('::ffff:11.1.2.3')).toBe(false);
  });

  it('matches an IPv4 peer against an entry written as IPv4-mapped IPv6', () => {
    const mapped = new TrustedProxies(['::ffff:192.0.2.1', '::ffff:198.51.100.0/120']);
    expect(mapped.trusts('192.0.2.1')).toBe(true);
    expect(mapped.trusts('198.51.100.77')).toBe(true);
    expect(mapped.trusts('192.0.2.2')).toBe(false);
  });

  it('ignores the zone of a link-local peer', () => {
    const linkLocal = new TrustedProxies(['fe80::/10']);
    expect(linkLocal.trusts('fe80::1%eth0')).toBe(true);
    expect(linkLocal.trusts('fe80::1%1')).toBe(true);
  });

  it('trusts nobody when the list is empty, and never a missing or non-address peer', () => {
    const nobody = new TrustedProxies([]);
    expect(nobody.trusts('127.0.0.1')).toBe(false);
    expect(trusted.trusts(undefined)).toBe(false);
    expect(trusted.trusts('')).toBe(false);
    expect(trusted.trusts('localhost')).toBe(false);
    expect(trusted.trusts('127.0.0.1/8')).toBe(false);
  });

  it('trusts everyone only when told so with /0', () => {
    const everyone = new TrustedProxies(['0.0.0.0/0', '::/0']);
    expect(everyone.trusts('203.0.113.9')).toBe(true);
    expect(everyone.trusts('2001:db8::9')).toBe(true);
  });

  it.each(['localhost', '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/8/8', '1.2.3', '', '/8', '10.0.0.0/-1'])(
    'refuses the entry %j',
    (entry) => {
      expect(() => new TrustedProxies([entry])).toThrow(RangeError);
    },
  );
});
