// The studio's settings: read once from the file, validated patches written back, every change announced.
import { isDeepStrictEqual } from 'node:util';
import { SettingsPatchSchema, SettingsSchema, type Settings, type SettingsPatch } from '../../shared/settings';
import { StudioError } from '../../shared/ipc/errors';
import type { Emit } from '../ports';
import { openOrRecover } from './recovery';
import { validated } from './validate';
import { settingsFile, settingsStoreOptions, type CreateSettingsStore } from './store-options';

export type SettingsListener = (settings: Settings, previous: Settings) => void;

export interface SettingsService {
  /** The current settings; frozen, so a reader cannot change them behind the file's back. */
  get(): Settings;
  /** Applies a patch, validated as a whole; throws StudioError SETTINGS_INVALID naming the field. Saved before it returns. */
  update(patch: SettingsPatch): Settings;
  /** Called after each update that changed something; returns the unsubscribe. */
  onChange(listener: SettingsListener): () => void;
  readonly file: string;
  /** Where a corrupt settings file was backed up when it was replaced by defaults at open (AppInfo.settingsRecoveredFrom). */
  readonly recoveredFrom: string | null;
  /** What was wrong with that file, for the log. */
  readonly recoveryReason: string | null;
}

export interface OpenSettingsOptions {
  /** The folder of settings.json: app.getPath('userData') in the app, a temporary folder in tests. */
  dir: string;
  /** nodeSettingsStore in plain Node, electronSettingsStore in main. */
  createStore: CreateSettingsStore;
  /** Announces settings.changed to the renderer. */
  emit?: Emit;
}

/** Opens (creating, migrating or recovering) the settings file in `dir`. Never throws because of the file's content. */
export function openSettings({ dir, createStore, emit }: OpenSettingsOptions): SettingsService {
  const file = settingsFile(dir);
  const options = settingsStoreOptions(dir);
  const { store, settings, recovery } = openOrRecover(file, () => createStore(options));
  const listeners = new Set<SettingsListener>();
  let current = deepFreeze(settings);

  const update = (patch: SettingsPatch): Settings => {
    const next = validated(SettingsSchema, merge(current, validated(SettingsPatchSchema, patch)));
    if (isDeepStrictEqual(next, current)) return current;
    save(next);
    const previous = current;
    current = deepFreeze(next);
    for (const listener of listeners) listener(current, previous);
    emit?.('settings.changed', current);
    return current;
  };

  /** A copy, because conf adds its bookkeeping key to the object it is given. */
  const save = (next: Settings): void => {
    try {
      store.store = structuredClone(next);
    } catch (error) {
      throw new StudioError('INTERNAL', `cannot save the settings to ${file}: ${error instanceof Error ? error.message : String(error)}`, 'check that the disk has room and the folder is writable');
    }
  };

  return {
    get: () => current,
    update,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    file,
    recoveredFrom: recovery?.backup ?? null,
    recoveryReason: recovery?.reason ?? null,
  };
}

function merge(settings: Settings, patch: SettingsPatch): Settings {
  return {
    server: { ...settings.server, ...patch.server },
    policy: { ...settings.policy, ...patch.policy },
    capture: { ...settings.capture, ...patch.capture },
    preview: { ...settings.preview, ...patch.preview },
    window: { ...settings.window, ...patch.window },
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
