// The main window opens where it was left (fitted to today's screens) and remembers its bounds in settings.window.
import { screen, type BrowserWindow } from 'electron';
import type { Settings } from '../shared/settings';
import { createWindowStateSaver, initialBounds, type InitialBounds, type SettingsService } from '../studio/settings';

/** For the BrowserWindow constructor: saved size and place, on a screen that still exists. Call after app 'ready'. */
export function savedWindowBounds(settings: Settings): InitialBounds {
  const primary = screen.getPrimaryDisplay();
  const others = screen.getAllDisplays().filter((display) => display.id !== primary.id);
  return initialBounds(settings.window, [primary, ...others].map((display) => display.workArea));
}

/** Maximizes the window if it was, then saves its bounds after each move or resize settles, and on close. */
export function trackWindowState(window: BrowserWindow, settings: SettingsService): void {
  if (settings.get().window.maximized) window.maximize();
  const saver = createWindowStateSaver(settings, { normalBounds: () => window.getNormalBounds(), isMaximized: () => window.isMaximized() }, {
    onError: (error) => console.warn('window state not saved:', error instanceof Error ? error.message : error),
  });
  window.on('resize', saver.schedule);
  window.on('move', saver.schedule);
  window.on('maximize', saver.schedule);
  window.on('unmaximize', saver.schedule);
  window.on('close', saver.flush);
}
