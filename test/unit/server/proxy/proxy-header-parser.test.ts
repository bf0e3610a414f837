import { SocketAddress } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../src/server/errors';
import { ProxyHeaderParser } from '../../../../src/server/proxy';
import type { ProxyHeader, ProxyHeaderParserOptions } from '../../../../src/server/proxy';
import { LOCAL, PROXY, TCP4, TCP6, UDP4, UNIX_STREAM, UNSPEC, V2_SIGNATURE, ipv4Block, ipv6Block, tlv, v1, v2, withChecksum } from './headers';

// An RTMP C0+C1 start, as a client behind the proxy sends it right after the header.
const C0C1 = Buffer.concat([Buffer.from([3]), Buffer.alloc(40, 0xab)]);

interface Parsed {
  header: ProxyHeader;
  rest: Buffer;
}

/** Pushes the pieces in order; the header once done, and every byte the parser handed back after it. */
function feed(pieces: Buffer[], options?: ProxyHeaderParserOptions): Parsed | null {
  const parser = new ProxyHeaderParser(options);
  let header: ProxyHeader | null = null;
  const rest: Buffer[] = [];
  for (const piece of pieces) {
    const progress = parser.push(piece);
    if (progress.state === 'done') {
      header = progress.header;
      rest.push(progress.rest);
    }
  }
  return header === null ? null : { header, rest: Buffer.concat(rest) };
}

function byteByByte(bytes: Buffer): Buffer[] {
  return [...bytes].map((byte) => Buffer.from([byte]));
}

/** Whole, one byte at a time, and split in two at every point: each must give the same header and rest. */
function parseEveryWay(bytes: Buffer, options?: ProxyHeaderParserOptions): Parsed {
  const whole = feed([bytes], options);
  expect(whole).not.toBeNull();
  expect(feed(byteByByte(bytes), options)).toEqual(whole);
  for (let at = 0; at <= bytes.length; at++) {
    expect(feed([bytes.subarray(0, at), bytes.subarray(at)], options), `split at ${at}`).toEqual(whole);
  }
  return whole!;
}

function invalid(pieces: Buffer[], options?: ProxyHeaderParserOptions): ProtocolError {
  try {
    feed(pieces, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    expect((error as ProtocolError).code).toBe('PROXY_HEADER_INVALID');
    return error as ProtocolError;
  }
  throw new Error('expected PROXY_HEADER_INVALID, the parser accepted the bytes');
}

/** Rejected whole, byte by byte, and at every split point. */
function invalidEveryWay(bytes: Buffer, options?: ProxyHeaderParserOptions): void {
  invalid([bytes], options);
  invalid(byteByByte(bytes), options);
  for (let at = 0; at <= bytes.length; at++) invalid([bytes.subarray(0, at), bytes.subarray(at)], options);
}

/** The index of the byte whose push raised the error, fed one byte at a time. */
function failingByte(bytes: Buffer): number {
  const parser = new ProxyHeaderParser();
  for (let i = 0; i < bytes.length; i++) {
    try {
      parser.push(bytes.subarray(i, i + 1));
    } catch {
      return i;
    }
  }
  return -1;
}

describe('ProxyHeaderParser', () => {
  describe('version 1 (text)', () => {
    it('reads a TCP4 line and hands back the RTMP C0+C1 behind it', () => {
      const { header, rest } = parseEveryWay(Buffer.concat([v1('PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n'), C0C1]));
      expect(header).toEqual({
        version: 1,
        command: 'proxy',
        family: 'tcp4',
        source: { address: '192.168.0.1', port: 56324 },
        destination: { address: '192.168.0.11', port: 443 },
      });
      expect(rest).toEqual(C0C1);
    });

    it('reads a TCP6 line and writes its addresses the way node:net does', () => {
      const { header, rest } = parseEveryWay(v1('PROXY TCP6 2001:DB8:0:0:0:0:0:1 ::FFFF:10.0.0.1 0 65535\r\n'));
      expect(header.family).toBe('tcp6');
      expect(header.source).toEqual({ address: '2001:db8::1', port: 0 });
      expect(header.destination).toEqual({ address: '::ffff:10.0.0.1', port: 65535 });
      expect(rest.length).toBe(0);
    });

    it('accepts the longest TCP6 line, 104 bytes', () => {
      const full = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
      const line = v1(`PROXY TCP6 ${full} ${full} 65535 65535\r\n`);
      expect(line.length).toBe(104);
      expect(parseEveryWay(line).header.source).toEqual({ address: full, port: 65535 });
    });

    it('reads "PROXY UNKNOWN" as a header without addresses', () => {
      expect(parseEveryWay(Buffer.concat([v1('PROXY UNKNOWN\r\n'), C0C1]))).toEqual({
        header: { version: 1, command: 'proxy', family: 'unknown' },
        rest: C0C1,
      });
    });

    it('ignores whatever follows UNKNOWN on the line, up to the 107-byte worst case', () => {
      const full = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
      const line = v1(`PROXY UNKNOWN ${full} ${full} 65535 65535\r\n`);
      expect(line.length).toBe(107);
      expect(parseEveryWay(Buffer.concat([line, C0C1]))).toEqual({ header: { version: 1, command: 'proxy', family: 'unknown' }, rest: C0C1 });
    });

    it('rejects a line without CRLF in its first 107 bytes, as soon as the 107th byte arrives', () => {
      const full = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff';
      const line = v1(`PROXY UNKNOWN ${full} ${full} 65535 655350\r\n`);
      expect(line.length).toBe(108);
      invalidEveryWay(line);
      expect(failingByte(line)).toBe(106);
    });

    it('rejects a line ended by a lone LF', () => {
      invalidEveryWay(v1('PROXY TCP4 1.2.3.4 5.6.7.8 1 22\n'));
      invalidEveryWay(v1('PROXY UNKNOWN \n'));
    });

    it.each([
      ['family TCP5', 'PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n'],
      ['lower-case family', 'PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n'],
      ['a family named after an Object property', 'PROXY constructor 1.2.3.4 5.6.7.8 1 2\r\n'],
      ['UNKNOWN glued to more letters', 'PROXY UNKNOWNX\r\n'],
      ['nothing after PROXY', 'PROXY \r\n'],
      ['an octet above 255', 'PROXY TCP4 256.2.3.4 5.6.7.8 1 2\r\n'],
      ['a heading zero in an octet', 'PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n'],
      ['three octets', 'PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n'],
      ['an IPv6 address under TCP4', 'PROXY TCP4 ::1 5.6.7.8 1 2\r\n'],
      ['an IPv4 address under TCP6', 'PROXY TCP6 1.2.3.4 ::1 1 2\r\n'],
      ['two double colons', 'PROXY TCP6 1::2::3 ::1 1 2\r\n'],
      ['a zone index', 'PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n'],
      ['a host name', 'PROXY TCP4 localhost 5.6.7.8 1 2\r\n'],
      ['two spaces', 'PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n'],
      ['a tab for a space', 'PROXY TCP4 1.2.3.4\t5.6.7.8 1 2\r\n'],
      ['a port above 65535', 'PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n'],
      ['a heading zero in a port', 'PROXY TCP4 1.2.3.4 5.6.7.8 080 2\r\n'],
      ['a negative port', 'PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n'],
      ['a port in exponent form', 'PROXY TCP4 1.2.3.4 5.6.7.8 1e3 2\r\n'],
      ['a missing port', 'PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n'],
      ['an extra field', 'PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n'],
      ['a trailing space', 'PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n'],
      ['a CR inside the line', 'PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\r\n'],
    ])('rejects a line with %s', (_what, line) => {
      invalidEveryWay(v1(line));
    });

    it('rejects a lower-case "proxy" on its first byte', () => {
      invalidEveryWay(v1('proxy TCP4 1.2.3.4 5.6.7.8 1 2\r\n'));
      expect(failingByte(v1('proxy TCP4'))).toBe(0);
    });

    it('rejects "PROXY" without its space on the sixth byte', () => {
      expect(failingByte(v1('PROXY\r\n'))).toBe(5);
    });
  });

  describe('version 2 (binary)', () => {
    it('reads a PROXY command over TCP/IPv4 and hands back the RTMP C0+C1 behind it', () => {
      const { header, rest } = parseEveryWay(Buffer.concat([v2(PROXY, TCP4, ipv4Block('203.0.113.7', '10.0.0.2', 51000, 1935)), C0C1]));
      expect(header).toEqual({
        version: 2,
        command: 'proxy',
        family: 'tcp4',
        source: { address: '203.0.113.7', port: 51000 },
        destination: { address: '10.0.0.2', port: 1935 },
      });
      expect(rest).toEqual(C0C1);
    });

    it('reads a PROXY command over TCP/IPv6, writing addresses the way node:net does', () => {
      const { header } = parseEveryWay(v2(PROXY, TCP6, ipv6Block('20010db8000000000000000000000001', '00000000000000000000ffff7f000001', 65535, 0)));
      expect(header.family).toBe('tcp6');
      expect(header.source).toEqual({ address: '2001:db8::1', port: 65535 });
      expect(header.destination).toEqual({ address: '::ffff:127.0.0.1', port: 0 });
    });

    it('reads a LOCAL command (a health check) without addresses', () => {
      expect(parseEveryWay(Buffer.concat([v2(LOCAL, UNSPEC), C0C1]))).toEqual({
        header: { version: 2, command: 'local', family: 'unknown' },
        rest: C0C1,
      });
    });

    it('skips the addresses a LOCAL command carries anyway', () => {
      const { header, rest } = parseEveryWay(Buffer.concat([v2(LOCAL, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2)), C0C1]));
      expect(header).toEqual({ version: 2, command: 'local', family: 'tcp4' });
      expect(rest).toEqual(C0C1);
    });

    it('skips every byte the length announces for UNSPEC, even with a LOCAL command', () => {
      const { header, rest } = parseEveryWay(Buffer.concat([v2(LOCAL, UNSPEC, Buffer.from('opaque bytes')), C0C1]));
      expect(header).toEqual({ version: 2, command: 'local', family: 'unknown' });
      expect(rest).toEqual(C0C1);
    });

    it('falls back to unknown, without addresses, for UDP', () => {
      expect(parseEveryWay(v2(PROXY, UDP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2))).header).toEqual({ version: 2, command: 'proxy', family: 'unknown' });
    });

    it('reads UNIX stream as family unix without addresses, and still reads its TLVs', () => {
      const { header } = parseEveryWay(v2(PROXY, UNIX_STREAM, Buffer.alloc(216, 0x2f), tlv(0x02, 'live.example')));
      expect(header.family).toBe('unix');
      expect(header.source).toBeUndefined();
      expect(header.tlvs?.authority).toBe('live.example');
    });

    it('keeps every TLV raw, in order, and decodes ALPN, AUTHORITY, UNIQUE_ID and SSL', () => {
      const ssl = Buffer.concat([
        Buffer.from([0x07, 0, 0, 0, 0]),
        tlv(0x21, 'TLSv1.3'),
        tlv(0x22, 'encoder.example'),
        tlv(0x23, 'TLS_AES_128_GCM_SHA256'),
        tlv(0x24, 'RSA-SHA256'),
        tlv(0x25, 'EC256'),
      ]);
      const bytes = v2(
        PROXY,
        TCP4,
        ipv4Block('1.2.3.4', '5.6.7.8', 1000, 1935),
        tlv(0x01, 'rtmp'),
        tlv(0x02, 'live.example'),
        tlv(0x04, Buffer.alloc(3)),
        tlv(0x05, Buffer.from('c0ffee', 'hex')),
        tlv(0x20, ssl),
        tlv(0xe0, Buffer.from([1, 2])),
      );
      const { header } = parseEveryWay(bytes);
      expect(header.source).toEqual({ address: '1.2.3.4', port: 1000 });
      const tlvs = header.tlvs!;
      expect(tlvs.raw.map((entry) => entry.type)).toEqual([0x01, 0x02, 0x04, 0x05, 0x20, 0xe0]);
      expect(tlvs.raw[5].value).toEqual(Buffer.from([1, 2]));
      expect(tlvs.alpn).toBe('rtmp');
      expect(tlvs.authority).toBe('live.example');
      expect(tlvs.uniqueId).toEqual(Buffer.from('c0ffee', 'hex'));
      expect(tlvs.ssl).toEqual({
        client: 0x07,
        verify: 0,
        version: 'TLSv1.3',
        commonName: 'encoder.example',
        cipher: 'TLS_AES_128_GCM_SHA256',
        signatureAlgorithm: 'RSA-SHA256',
        keyAlgorithm: 'EC256',
      });
    });

    it('copies TLV values, so the header does not change when the socket buffer is reused', () => {
      const bytes = v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2), tlv(0x02, 'live.example'));
      const { header } = feed([bytes])!;
      bytes.fill(0);
      expect(header.tlvs?.raw[0].value.toString()).toBe('live.example');
      expect(header.tlvs?.authority).toBe('live.example');
    });

    it('accepts a header whose CRC32C TLV matches', () => {
      const bytes = withChecksum(PROXY, TCP4, [ipv4Block('1.2.3.4', '5.6.7.8', 1, 2), tlv(0x02, 'a')]);
      expect(parseEveryWay(bytes).header.tlvs?.raw.map((entry) => entry.type)).toEqual([0x02, 0x03]);
    });

    it('rejects a header whose CRC32C TLV does not match', () => {
      invalidEveryWay(withChecksum(PROXY, TCP4, [ipv4Block('1.2.3.4', '5.6.7.8', 1, 2)], 1));
    });

    it('rejects a CRC32C TLV that is not 4 bytes', () => {
      invalidEveryWay(v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2), tlv(0x03, Buffer.alloc(3))));
    });

    it('accepts a header of exactly maxHeaderBytes', () => {
      const bytes = v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2), tlv(0x04, Buffer.alloc(4096 - 16 - 12 - 3)));
      expect(bytes.length).toBe(4096);
      expect(feed([bytes])?.header.source?.address).toBe('1.2.3.4');
      expect(feed(byteByByte(bytes))?.header.source?.address).toBe('1.2.3.4');
    });

    it('rejects a length field beyond maxHeaderBytes as soon as it arrives, before the body', () => {
      const bytes = v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2), tlv(0x04, Buffer.alloc(4096 - 16 - 12 - 2)));
      expect(bytes.length).toBe(4097);
      invalid([bytes.subarray(0, 16)]);
      expect(failingByte(bytes)).toBe(15);
      const small = v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2), tlv(0x04, Buffer.alloc(2)));
      invalid([small], { maxHeaderBytes: small.length - 1 });
      expect(feed([small], { maxHeaderBytes: small.length })).not.toBeNull();
    });

    it('rejects a bad signature on the first byte that differs', () => {
      const good = v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2));
      for (let i = 0; i < V2_SIGNATURE.length; i++) {
        const bad = Buffer.from(good);
        bad[i] ^= 0x40;
        invalidEveryWay(bad);
        expect(failingByte(bad), `byte ${i}`).toBe(i);
      }
    });

    it.each([
      ['version 1', 0x11],
      ['version 3', 0x31],
      ['version 0', 0x01],
    ])('rejects %s on the 13th byte', (_what, versionCommand) => {
      const bytes = v2(versionCommand, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2));
      invalidEveryWay(bytes);
      expect(failingByte(bytes)).toBe(12);
    });

    it('rejects every command other than LOCAL and PROXY', () => {
      for (let command = 2; command <= 0xf; command++) invalidEveryWay(v2(0x20 | command, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2)));
    });

    it.each([
      ['family 4', 0x41],
      ['family 15', 0xf1],
      ['protocol 3', 0x13],
      ['protocol 15', 0x1f],
    ])('rejects an undefined %s', (_what, familyProtocol) => {
      invalidEveryWay(v2(PROXY, familyProtocol, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2)));
    });

    it.each([
      ['TCP4 with 11 address bytes', v2(PROXY, TCP4, Buffer.alloc(11))],
      ['TCP6 with an IPv4 block', v2(PROXY, TCP6, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2))],
      ['UNIX with 215 address bytes', v2(PROXY, UNIX_STREAM, Buffer.alloc(215))],
      ['LOCAL over TCP4 with no address bytes', v2(LOCAL, TCP4)],
      ['a TLV longer than what is left', v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2), tlv(0x02, 'abc').subarray(0, 5))],
      ['two stray bytes after the TLVs', v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2), tlv(0x02, 'a'), Buffer.from([0x04, 0]))],
      ['an SSL TLV under 5 bytes', v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2), tlv(0x20, Buffer.from([1, 0, 0, 0])))],
      ['a truncated SSL sub-TLV', v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2), tlv(0x20, Buffer.concat([Buffer.alloc(5), tlv(0x21, 'TLSv1.3').subarray(0, 6)])))],
    ])('rejects %s', (_what, bytes) => {
      invalidEveryWay(bytes);
    });
  });

  describe('what starts a connection', () => {
    it.each([
      ['an RTMP C0', C0C1],
      ['a TLS ClientHello', Buffer.from('160301020001', 'hex')],
      ['an HTTP request', Buffer.from('GET / HTTP/1.1\r\n')],
      ['an SSH banner', Buffer.from('SSH-2.0-OpenSSH\r\n')],
    ])('rejects %s on its first byte: the listener speaks PROXY only', (_what, bytes) => {
      invalidEveryWay(bytes);
      expect(failingByte(bytes)).toBe(0);
    });

    it('waits, without error, while a header is incomplete', () => {
      const bytes = v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2));
      for (let at = 0; at < bytes.length; at++) expect(feed([bytes.subarray(0, at)])).toBeNull();
      const line = v1('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n');
      for (let at = 0; at < line.length; at++) expect(feed([line.subarray(0, at)])).toBeNull();
    });

    it('hands every byte after the header back untouched, in this push and later ones', () => {
      const parser = new ProxyHeaderParser();
      const first = parser.push(Buffer.concat([v1('PROXY UNKNOWN\r\n'), Buffer.from([1, 2])]));
      expect(first).toMatchObject({ state: 'done', rest: Buffer.from([1, 2]) });
      const later = Buffer.from([3, 4, 5]);
      const second = parser.push(later);
      expect(second).toMatchObject({ state: 'done', header: { family: 'unknown' } });
      expect(second.state === 'done' && second.rest).toBe(later);
    });

    it('refuses a maxHeaderBytes below the 16-byte v2 header', () => {
      expect(() => new ProxyHeaderParser({ maxHeaderBytes: 15 })).toThrow(RangeError);
      expect(() => new ProxyHeaderParser({ maxHeaderBytes: 100.5 })).toThrow(RangeError);
    });
  });

  describe('properties', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const port = fc.integer({ min: 0, max: 0xffff });
    const ipv4 = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.'));
    const trailing = fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes));
    const cuts = fc.array(fc.nat(), { maxLength: 6 });

    function cut(bytes: Buffer, points: number[]): Buffer[] {
      const sorted = [...new Set(points.map((point) => point % (bytes.length + 1)))].sort((a, b) => a - b);
      const pieces: Buffer[] = [];
      let from = 0;
      for (const point of sorted) {
        pieces.push(bytes.subarray(from, point));
        from = point;
      }
      pieces.push(bytes.subarray(from));
      return pieces;
    }

    it('reads any TCP4 header, v1 or v2, with any TLVs and trailing bytes, cut anywhere', () => {
      const tlvList = fc.array(
        fc.tuple(fc.integer({ min: 0xe0, max: 0xef }), fc.uint8Array({ maxLength: 40 })).map(([type, value]) => tlv(type, Buffer.from(value))),
        { maxLength: 4 },
      );
      fc.assert(
        fc.property(fc.boolean(), ipv4, ipv4, port, port, tlvList, trailing, cuts, (textual, source, destination, sourcePort, destinationPort, tlvs, after, points) => {
          const header = textual
            ? v1(`PROXY TCP4 ${source} ${destination} ${sourcePort} ${destinationPort}\r\n`)
            : v2(PROXY, TCP4, ipv4Block(source, destination, sourcePort, destinationPort), ...tlvs);
          const parsed = feed(cut(Buffer.concat([header, after]), points));
          expect(parsed?.header.source).toEqual({ address: source, port: sourcePort });
          expect(parsed?.header.destination).toEqual({ address: destination, port: destinationPort });
          expect(parsed?.header.tlvs?.raw.length ?? 0).toBe(textual ? 0 : tlvs.length);
          expect(parsed?.rest).toEqual(after);
        }),
      );
    });

    it('writes any IPv6 address in a v2 header as the same 128 bits, in the canonical form of node:net', () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
          const hex = Buffer.from(bytes).toString('hex');
          const address = feed([v2(PROXY, TCP6, ipv6Block(hex, hex, 1, 2))])!.header.source!.address;
          const uncompressed = hex.match(/.{4}/g)!.join(':');
          expect(new URL(`http://[${address}]`).hostname).toBe(new URL(`http://[${uncompressed}]`).hostname);
          expect(new SocketAddress({ address, family: 'ipv6' }).address).toBe(address);
        }),
      );
    });

    it('throws nothing but PROXY_HEADER_INVALID, whatever the bytes', () => {
      const header = fc.constantFrom(
        v1('PROXY TCP4 1.2.3.4 5.6.7.8 1 2\r\n'),
        v1('PROXY TCP6 ::1 ::1 1 2\r\n'),
        v2(PROXY, TCP4, ipv4Block('1.2.3.4', '5.6.7.8', 1, 2), tlv(0x20, Buffer.concat([Buffer.alloc(5), tlv(0x21, 'x')]))),
        v2(PROXY, TCP6, ipv6Block('00'.repeat(16), 'ff'.repeat(16), 1, 2)),
      );
      const mutated = fc.tuple(header, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 })).map(([bytes, edits]) => {
        const copy = Buffer.from(bytes);
        for (const [at, value] of edits) copy[at % copy.length] = value;
        return copy;
      });
      fc.assert(
        fc.property(fc.oneof(mutated, trailing), cuts, (bytes, points) => {
          try {
            feed(cut(bytes, points));
          } catch (error) {
            expect((error as ProtocolError).code).toBe('PROXY_HEADER_INVALID');
          }
        }),
        { numRuns: 2000 },
      );
    });
  });
});
