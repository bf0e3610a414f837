// The studio window: sandboxed, isolated, locked to our own page, allowed the camera and microphone and nothing more.
import { join } from 'node:path';
import { BrowserWindow, shell, type IpcMainInvokeEvent } from 'electron';

// The dev server in development, the bundled file otherwise.
const pageUrl = (): string => process.env.ELECTRON_RENDERER_URL ?? new URL(`file://${join(__dirname, '../renderer/index.html')}`).href;

/** Our page's origin: requests from any other page (a navigation, an iframe) are refused. */
const isOurPage = (url: string): boolean => {
  const ours = new URL(pageUrl());
  const theirs = new URL(url);
  return ours.protocol === 'file:' ? theirs.href.split(/[?#]/)[0] === ours.href : theirs.origin === ours.origin;
};

export interface WindowBounds {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

export function createMainWindow(bounds: WindowBounds): BrowserWindow {
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
  // Capture needs the camera and microphone; no other permission is granted.
  contents.session.setPermissionRequestHandler((requester, permission, callback) => callback(permission === 'media' && isOurPage(requester.getURL())));
  contents.session.setPermissionCheckHandler((_contents, permission, origin) => permission === 'media' && isOurPage(origin));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(pageUrl());
  return window;
}

/** Trusts a request only from one of the given windows, showing our page in its main frame. */
export const trustOwnWindows =
  (windows: () => readonly BrowserWindow[]) =>
  (event: IpcMainInvokeEvent): boolean =>
    windows().some((window) => window.webContents === event.sender) && event.senderFrame !== null && event.senderFrame.parent === null && isOurPage(event.senderFrame.url);
