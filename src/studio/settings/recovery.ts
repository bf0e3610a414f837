// Opening the settings file without ever crashing on it: a file that is not JSON, or that does not match the
// schema after its migrations, is copied aside as settings.corrupt-<timestamp>.json and replaced by defaults.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { SettingsSchema, type Settings } from '../../shared/settings';
import { StudioError } from '../../shared/ipc/errors';
import type { SettingsStore } from './store-options';
import { validated } from './validate';

export interface OpenedStore {
  store: SettingsStore;
  settings: Settings;
  /** Set when the file was corrupt: where its bytes went and what was wrong with it. */
  recovery: { backup: string; reason: string } | null;
}

/**
 * Opens the store at `file` (the migrations run inside `create`, as they will in the app). Any failure to read a
 * file that exists backs it up, byte for byte as it was before the store touched it, and starts again from defaults.
 */
export function openOrRecover(file: string, create: () => SettingsStore): OpenedStore {
  const original = readExisting(file);
  try {
    if (original !== null) parseJsonObject(original);
    const store = create();
    return { store, settings: storedSettings(store), recovery: null };
  } catch (error) {
    if (original === null) throw cannotCreate(file, error);
    const backup = backUp(file, original);
    rmSync(file, { force: true });
    const store = create();
    return { store, settings: storedSettings(store), recovery: { backup, reason: reasonOf(error) } };
  }
}

function readExisting(file: string): Buffer | null {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StudioError('INTERNAL', `cannot read the settings file ${file}: ${reasonOf(error)}`, 'check that the file can be read by your user account');
  }
}

/** Conf reads `null`, `[]` or `42` as an empty store without a word; a settings file must be a JSON object. */
function parseJsonObject(bytes: Buffer): void {
  const value: unknown = JSON.parse(bytes.toString('utf8'));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('the file is JSON but not an object');
}

/** The store's content as Settings: zod also checks what JSON Schema cannot say (distinct ports); unknown keys are dropped. */
const storedSettings = (store: SettingsStore): Settings => validated(SettingsSchema, store.store);

/** settings.corrupt-2026-11-22T10-07-09-123Z.json beside the file, never overwriting an earlier backup. */
function backUp(file: string, bytes: Buffer): string {
  const extension = extname(file);
  const stem = join(dirname(file), `${basename(file, extension)}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  for (let attempt = 0; ; attempt += 1) {
    const backup = `${stem}${attempt === 0 ? '' : `-${attempt}`}${extension}`;
    try {
      writeFileSync(backup, bytes, { mode: 0o600, flag: 'wx' });
      return backup;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new StudioError('INTERNAL', `the settings file ${file} is corrupt and cannot be backed up: ${reasonOf(error)}`, 'move or delete the file, then start again');
    }
  }
}

function cannotCreate(file: string, error: unknown): StudioError {
  return new StudioError('INTERNAL', `cannot create the settings file ${file}: ${reasonOf(error)}`, 'check that its folder exists and is writable');
}

const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
