import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSelfSigned } from '../../../../src/server/tls/generate-self-signed';
import { isHostName, parseSubjectAltNames, subjectAltNamesFor } from '../../../../src/server/tls/subject-alt-names';

describe('subjectAltNamesFor', () => {
  it('lists an IPv4 address as a DNS entry and an IP entry, because OBS matches dNSName only', () => {
    expect(subjectAltNamesFor(['127.0.0.1'])).toEqual(['DNS:127.0.0.1', 'IP:127.0.0.1']);
  });

  it('lists an IPv6 address as an IP entry only, in compressed form', () => {
    expect(subjectAltNamesFor(['0:0:0:0:0:0:0:1', 'FE80::0:1'])).toEqual(['IP:::1', 'IP:fe80::1']);
  });

  it('lower-cases host names, drops a final dot and repeats', () => {
    expect(subjectAltNamesFor(['Studio.Example.', 'studio.example', 'DESKTOP_7'])).toEqual(['DNS:studio.example', 'DNS:desktop_7']);
  });

  it('accepts a leading wildcard label', () => {
    expect(subjectAltNamesFor(['*.studio.example'])).toEqual(['DNS:*.studio.example']);
  });

  it.each(['', 'a b', 'studio,example', 'a..b', '-start.example', 'a.*.example', `${'a'.repeat(64)}.example`, 'x'.repeat(254)])(
    'rejects %j as neither a host name nor an address',
    (name) => {
      expect(() => subjectAltNamesFor([name])).toThrow(RangeError);
      expect(isHostName(name)).toBe(false);
    },
  );
});

describe('parseSubjectAltNames', () => {
  it('reads the entries of Node\'s subjectAltName text', () => {
    expect(parseSubjectAltNames('DNS:LocalHost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1, URI:http://x/')).toEqual([
      'DNS:localhost',
      'IP:127.0.0.1',
      'IP:::1',
      'URI:http://x/',
    ]);
  });

  it('unquotes a name Node printed as a JSON string', () => {
    expect(parseSubjectAltNames('DNS:"a\\u002c b", DNS:c')).toEqual(['DNS:a, b', 'DNS:c']);
  });

  it('reads nothing from a certificate without the extension', () => {
    expect(parseSubjectAltNames(undefined)).toEqual([]);
  });

  describe('on a generated certificate', () => {
    let text: string | undefined;
    beforeAll(async () => {
      const pem = await generateSelfSigned(['DNS:localhost', 'DNS:127.0.0.1', 'IP:127.0.0.1', 'IP:::1', 'IP:fe80::1'], new Date());
      text = new X509Certificate(pem.cert).subjectAltName;
    });

    it('gives back exactly the entries it was made with', () => {
      expect(parseSubjectAltNames(text)).toEqual(['DNS:localhost', 'DNS:127.0.0.1', 'IP:127.0.0.1', 'IP:::1', 'IP:fe80::1']);
    });
  });
});
