// The settings file in the app: electron-store over the same conf options the Node tests use (it names the file `name`).
import ElectronStore from 'electron-store';
import type { CreateSettingsStore } from '../studio/settings';

export const electronSettingsStore: CreateSettingsStore = (options) => new ElectronStore({ ...options, name: options.configName });
