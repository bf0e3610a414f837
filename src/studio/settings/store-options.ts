// The one options object for the settings file: Conf takes it in plain Node, ElectronStore in the app.
import { join } from 'node:path';
import type { Options } from 'conf';
import { z } from 'zod';
import { SettingsSchema, defaultSettings } from '../../shared/settings';
import { SETTINGS_LAYOUT_VERSION, settingsMigrations } from './migrations';

const SETTINGS_FILE_NAME = 'settings';

/** What the settings service needs from a conf-like store (Conf and ElectronStore both are). */
export interface SettingsStore {
  /** Reads the whole file (validated), or replaces it (validated, written atomically). */
  store: Record<string, unknown>;
}

export type SettingsStoreOptions = Options<Record<string, unknown>> & { cwd: string; configName: string };

export type CreateSettingsStore = (options: SettingsStoreOptions) => SettingsStore;

export const settingsFile = (dir: string): string => join(dir, `${SETTINGS_FILE_NAME}.json`);

/**
 * The JSON Schema of each top-level section, from the zod schema, as conf's `schema` option wants it. Input
 * form: a field left out is filled by its default, so a hand-edited file need not list every field.
 */
const sectionSchemas = (): Options<Record<string, unknown>>['schema'] => {
  const { properties } = z.toJSONSchema(SettingsSchema, { io: 'input' });
  return properties as Options<Record<string, unknown>>['schema'];
};

/** Conf's options for the settings file in `dir`. An invalid file throws (never silently cleared): the service backs it up. */
export function settingsStoreOptions(dir: string): SettingsStoreOptions {
  return {
    cwd: dir,
    configName: SETTINGS_FILE_NAME,
    projectVersion: SETTINGS_LAYOUT_VERSION,
    schema: sectionSchemas(),
    defaults: defaultSettings(),
    migrations: settingsMigrations,
    clearInvalidConfig: false,
    configFileMode: 0o600,
  };
}
