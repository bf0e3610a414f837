// How an older settings file becomes today's layout, keyed by layout version as conf and electron-store run them.
import type Conf from 'conf';
import type { Options } from 'conf';

/** The layout of the settings file this code writes; bump it with each new migration (not with the app version). */
export const SETTINGS_LAYOUT_VERSION = '0.2.0';

/** 0.1 kept the server's options flat at the top, as the command-line flags: rtmpPort, httpPort, host. */
function nestServerOptions(store: Conf): void {
  for (const field of ['rtmpPort', 'httpPort'] as const) {
    if (!store.has(field)) continue;
    store.set(`server.${field}`, store.get(field));
    store.delete(field);
  }
  if (store.has('host')) {
    const host = store.get('host');
    store.set('server.lanExposed', host === '0.0.0.0' || host === '::');
    store.delete('host');
  }
}

/** Each runs once, in version order, on a file last written by an older layout. */
export const settingsMigrations: NonNullable<Options<Record<string, unknown>>['migrations']> = {
  '0.2.0': nestServerOptions,
};
