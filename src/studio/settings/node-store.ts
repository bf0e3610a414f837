// The settings file in plain Node (tests, e2e, CLI): Conf, the engine under electron-store, with the same options.
import Conf from 'conf';
import type { CreateSettingsStore } from './store-options';

export const nodeSettingsStore: CreateSettingsStore = (options) => new Conf(options);
