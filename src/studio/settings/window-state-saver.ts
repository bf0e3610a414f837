// Remembers the window's bounds in settings.window: a burst of move/resize events makes one write, and closing writes at once.
import type { SettingsPatch } from '../../shared/settings';
import { windowStateOf, type Rect } from './window-bounds';

/** What the saver reads from the window (BrowserWindow in main). */
export interface WindowView {
  normalBounds(): Rect;
  isMaximized(): boolean;
}

export interface WindowStateSaver {
  /** After a move, resize, maximize or unmaximize: saves once the window has been still for `delayMs`. */
  schedule(): void;
  /** On close: saves now and cancels a pending save. */
  flush(): void;
}

export interface WindowStateSaverOptions {
  delayMs?: number;
  /** A failed save (disk full) must not take the app down from a timer: it is reported here instead. */
  onError: (error: unknown) => void;
}

/** `settings` is the SettingsService (only its update is used). */
export function createWindowStateSaver(settings: { update(patch: SettingsPatch): unknown }, window: WindowView, { delayMs = 500, onError }: WindowStateSaverOptions): WindowStateSaver {
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    try {
      settings.update({ window: windowStateOf(window.normalBounds(), window.isMaximized()) });
    } catch (error) {
      onError(error);
    }
  };
  return {
    schedule() {
      clearTimeout(timer);
      timer = setTimeout(flush, delayMs);
    },
    flush,
  };
}
