import { describe, expect, it } from 'vitest';
import { covers, parsePermissions } from '../../../../src/server/auth/permissions';

describe('parsePermissions', () => {
  it('reads publish and play', () => {
    expect(parsePermissions('publish')).toEqual(['publish']);
    expect(parsePermissions('play')).toEqual(['play']);
  });

  it("reads the requirement's words tuiliu as publish and bofang as play", () => {
    expect(parsePermissions('tuiliu')).toEqual(['publish']);
    expect(parsePermissions('bofang')).toEqual(['play']);
  });

  it('reads a comma-separated list, ignoring case, spaces and repeats', () => {
    expect(parsePermissions('Publish, bofang,play')).toEqual(['publish', 'play']);
  });

  it('refuses an unknown word, an empty field and an empty item', () => {
    expect(parsePermissions('admin')).toBeNull();
    expect(parsePermissions('')).toBeNull();
    expect(parsePermissions('play,')).toBeNull();
    expect(parsePermissions('__proto__')).toBeNull();
  });
});

describe('covers', () => {
  it('covers an action only with its own word', () => {
    expect(covers(['publish'], 'publish')).toBe(true);
    expect(covers(['play'], 'publish')).toBe(false);
    expect(covers(['publish'], 'play')).toBe(false);
  });

  it('covers connect with any permission but not with none', () => {
    expect(covers(['play'], 'connect')).toBe(true);
    expect(covers([], 'connect')).toBe(false);
  });
});
