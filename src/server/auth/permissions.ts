import type { Action } from '../session/authorization';

/** What a credential may do: publish a stream or play one. */
export type Permission = 'publish' | 'play';

// The requirement's own example words are pinyin: tuiliu (推流, push a stream) and bofang (播放, play).
const WORDS: Readonly<Record<string, Permission>> = Object.assign(Object.create(null) as Record<string, Permission>, {
  publish: 'publish',
  play: 'play',
  tuiliu: 'publish',
  bofang: 'play',
});

/**
 * Parses a permission field such as `publish`, `bofang` or `publish,play` (comma-separated,
 * spaces and case ignored) into canonical permissions; null when any word is unknown or none is given.
 */
export function parsePermissions(field: string): Permission[] | null {
  const found = new Set<Permission>();
  for (const word of field.split(',')) {
    const permission = WORDS[word.trim().toLowerCase()];
    if (permission === undefined) return null;
    found.add(permission);
  }
  return [...found];
}

/** Whether permissions cover an action: publish and play need their word; connect needs any. */
export function covers(permissions: readonly Permission[], action: Action): boolean {
  return action === 'connect' ? permissions.length > 0 : permissions.includes(action);
}
