import { describe, expect, it } from 'vitest';
import { base64FromQuery, decodeBase64Field } from '../../../../src/server/auth/base64-field';

describe('decodeBase64Field', () => {
  const bytes = Buffer.from([0xfb, 0xff, 0xbf, 0x61]);

  it('accepts the standard alphabet with and without padding', () => {
    expect(decodeBase64Field('+/+/YQ==')).toEqual(bytes);
    expect(decodeBase64Field('+/+/YQ')).toEqual(bytes);
  });

  it('accepts the URL-safe alphabet with and without padding', () => {
    expect(decodeBase64Field('-_-_YQ==')).toEqual(bytes);
    expect(decodeBase64Field('-_-_YQ')).toEqual(bytes);
  });

  it('accepts an empty value as zero bytes', () => {
    expect(decodeBase64Field('')).toEqual(Buffer.alloc(0));
  });

  it.each([
    ['a character outside both alphabets', 'YWJj!'],
    ['mixed alphabets', '+_+_YQ=='],
    ['whitespace', 'YW Jj'],
    ['padding in the middle', 'YQ==YQ=='],
    ['too much padding', 'YQ==='],
    ['padding that does not complete a quad', 'YWJ=='],
    ['a single leftover character', 'YWJjZ'],
    ['stray bits after the last byte', 'YR=='],
    ['a percent-escape', 'YQ%3D%3D'],
  ])('rejects %s', (_what, value) => {
    expect(decodeBase64Field(value)).toBeNull();
  });

  it('rejects a field above the size limit and accepts one at it', () => {
    expect(decodeBase64Field(Buffer.alloc(1024, 1).toString('base64'))).toHaveLength(1024);
    expect(decodeBase64Field(Buffer.alloc(1025, 1).toString('base64'))).toBeNull();
    expect(decodeBase64Field('A'.repeat(1_000_000))).toBeNull();
    expect(decodeBase64Field(Buffer.alloc(17).toString('base64'), 16)).toBeNull();
  });
});

describe('base64FromQuery', () => {
  it('restores the + that URLSearchParams decoded as a space', () => {
    const query = new URLSearchParams('ptoken=+/+/YQ==');
    expect(decodeBase64Field(base64FromQuery(query.get('ptoken') ?? ''))).toEqual(Buffer.from([0xfb, 0xff, 0xbf, 0x61]));
  });
});
