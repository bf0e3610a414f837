// The studio window: sandboxed, isolated, locked to our own page, allowed the camera and microphone and nothing more.
import { join } from 'node:path';
import { BrowserWindow, shell, type IpcMainInvokeEvent } from 'electron';
import type { InitialBounds } from '../studio/settings';
import { isPageAt } from './our-page';

// The dev server in development, the bundled file otherwise.
const pageUrl = (): string => process.env.ELECTRON_RENDERER_URL ?? new URL(`file://${join(__dirname, '../renderer/index.html')}`).href;

/** Our page: requests from any other page (a navigation, an iframe) are refused. */
const isOurPage = (url: string | undefined): boolean => isPageAt(pageUrl(), url);

export function createMainWindow(bounds: InitialBounds): BrowserWindow {
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Airlock Studio',
    backgroundColor: '#111418',
    webPreferences: { preload: join(__dirname, '../preload/index.js'), contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
  });
  const contents = window.webContents;
  // Links open in the user's browser; the window itself never leaves our page.
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => isOurPage(url) || event.preventDefault());
  // Capture needs the camera and microphone; no other permission is granted. Both judge the asking frame's URL: a
  // check's origin names no page for the bundled file: page ("file:///"), and refusing it hides the devices' names.
  contents.session.setPermissionRequestHandler((_requester, permission, callback, details) => callback(permission === 'media' && isOurPage(details.requestingUrl)));
  contents.session.setPermissionCheckHandler((_contents, permission, _origin, details) => permission === 'media' && isOurPage(details.requestingUrl));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(pageUrl());
  return window;
}

/** Trusts a request only from one of the given windows, showing our page in its main frame. */
export const trustOwnWindows =
  (windows: () => readonly BrowserWindow[]) =>
  (event: IpcMainInvokeEvent): boolean =>
    windows().some((window) => window.webContents === event.sender) && event.senderFrame !== null && event.senderFrame.parent === null && isOurPage(event.senderFrame.url);
