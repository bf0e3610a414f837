// The app's settings, kept current by settings.changed, with an update that shows the change at once and answers with the saved settings.
import { useCallback } from 'react';
import type { RequestInput } from '../../../shared/ipc';
import type { Settings } from '../../../shared/settings';
import { airlock } from '../lib/airlock';
import { useEvent } from './useEvent';
import { useRequest, type RequestState } from './useRequest';

export type SettingsPatch = RequestInput<'settings.update'>;

export interface SettingsState extends RequestState<Settings> {
  /** Applies the patch locally, saves it, and takes the saved settings (or reloads them if saving failed, then rethrows). */
  update: (patch: SettingsPatch) => Promise<Settings>;
}

const merge = (settings: Settings, patch: SettingsPatch): Settings => {
  const next: Record<string, unknown> = { ...settings };
  for (const [section, values] of Object.entries(patch)) next[section] = { ...(settings as Record<string, object>)[section], ...values };
  return next as Settings;
};

export function useSettings(): SettingsState {
  const state = useRequest('settings.get');
  const { setData, reload } = state;
  useEvent('settings.changed', setData);

  const update = useCallback(
    async (patch: SettingsPatch) => {
      setData((current) => (current ? merge(current, patch) : current));
      try {
        const saved = await airlock().invoke('settings.update', patch);
        setData(saved);
        return saved;
      } catch (failure) {
        reload();
        throw failure;
      }
    },
    [setData, reload],
  );
  return { ...state, update };
}
