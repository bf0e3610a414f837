import { describe, expect, it } from 'vitest';
import { crc32c } from '../../../../src/server/proxy/crc32c';

describe('crc32c', () => {
  it('gives the RFC 3720 check value 0xE3069283 for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('gives the RFC 3720 B.4 values for 32 zero bytes and 32 0xff bytes', () => {
    expect(crc32c(Buffer.alloc(32))).toBe(0x8a9136aa);
    expect(crc32c(Buffer.alloc(32, 0xff))).toBe(0x62a8ab43);
  });

  it('reads several parts as one buffer', () => {
    const whole = Buffer.from('PROXY protocol header');
    expect(crc32c(whole.subarray(0, 5), Buffer.alloc(0), whole.subarray(5))).toBe(crc32c(whole));
  });
});
