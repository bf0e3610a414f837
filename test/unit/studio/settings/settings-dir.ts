// A fresh settings folder per test, removed afterwards, and the ways to open it the app and the tests use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { nodeSettingsStore, openSettings, settingsFile, type OpenSettingsOptions, type SettingsService } from '../../../../src/studio/settings';

export interface SettingsDir {
  dir: string;
  file: string;
  open(options?: Partial<OpenSettingsOptions>): SettingsService;
}

export function useSettingsDir(): SettingsDir {
  const state = {} as SettingsDir;
  beforeEach(() => {
    state.dir = mkdtempSync(join(tmpdir(), 'airlock-settings-'));
    state.file = settingsFile(state.dir);
    state.open = (options = {}) => openSettings({ dir: state.dir, createStore: nodeSettingsStore, ...options });
  });
  afterEach(() => rmSync(state.dir, { recursive: true, force: true }));
  return state;
}
