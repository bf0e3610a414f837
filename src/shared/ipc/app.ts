// Settings and what the app knows about its own environment.
import { z } from 'zod';
import { SettingsPatchSchema, type Settings } from '../settings';
import { event, request } from './define';

export interface SecretStorageInfo {
  /** safeStorage can encrypt at all. */
  available: boolean;
  /** Linux: the backend safeStorage chose ('basic_text' means secrets are only obfuscated). */
  backend: string;
  /** A clear warning for the user when secrets are not really protected; null when they are. */
  warning: string | null;
}

export interface AppInfo {
  version: string;
  platform: string;
  secretStorage: SecretStorageInfo;
  /** Set when a corrupted settings file was backed up and replaced by defaults: where the backup is. */
  settingsRecoveredFrom: string | null;
  ffmpegPath: string | null;
}

export const appRequests = {
  'app.info': request<AppInfo>()(z.undefined()),
  'settings.get': request<Settings>()(z.undefined()),
  /** Validated against the schema; a server setting applies when the server next starts (the answer says so). */
  'settings.update': request<Settings>()(SettingsPatchSchema),
};

export const appEvents = {
  'settings.changed': event<Settings>(),
};
