// Composition root: onReady() reads as the table of contents; each setup function is one concern.
import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';
import { resolveFfmpegPath } from '../encoder/ffmpeg-path';
import type { ServerStatus, StatsSample } from '../shared/ipc';
import type { Emit } from '../studio/ports';
import { createStudio, type Studio } from '../studio/studio';
import { emitToWindows, registerRequestHandlers } from './ipc';
import { openSafeStorageVault } from './safe-storage-vault';
import { electronSettingsStore } from './settings-store';
import { createTray, type StudioTray } from './tray';
import { traySummary } from './tray-status';
import { utilityServerChild } from './utility-child';
import { savedWindowBounds, trackWindowState } from './window-state';
import { createMainWindow, trustOwnWindows } from './windows';

const ownWindows = (): BrowserWindow[] => BrowserWindow.getAllWindows();
const toWindows = emitToWindows(() => ownWindows().map((window) => window.webContents));

let studio: Studio | null = null;
let tray: StudioTray | null = null;
let serverStatus: ServerStatus | null = null;
let latestStats: StatsSample | null = null;

// Every event goes to our windows; the server's also keep the tray's line current.
const emit: Emit = (name, payload) => {
  toWindows(name, payload);
  if (name === 'server.status') serverStatus = payload as ServerStatus;
  else if (name === 'server.stats') latestStats = payload as StatsSample;
  else return;
  if (serverStatus) tray?.update(traySummary(serverStatus, latestStats));
};

async function setupStudio(): Promise<Studio> {
  // No ffmpeg is not fatal: the server still runs, capture and the test bench say what is missing.
  const ffmpegPath = await resolveFfmpegPath().catch((error: unknown) => (console.error('ffmpeg not found:', error), null));
  const created = await createStudio({
    dataDir: app.getPath('userData'),
    vault: openSafeStorageVault(),
    createSettingsStore: electronSettingsStore,
    spawnServer: utilityServerChild(),
    ffmpegPath,
    emit,
    version: app.getVersion(),
  });
  // The window's banner says where the backup went; the log keeps what was wrong with the file.
  const { recoveredFrom, recoveryReason } = created.settings;
  if (recoveredFrom !== null) console.warn(`settings file was unreadable (${recoveryReason}); backed up to ${recoveredFrom}, defaults in use`);
  return created;
}

function showWindow(): void {
  const existing = ownWindows()[0];
  if (existing) {
    if (existing.isMinimized()) existing.restore();
    existing.focus();
    return;
  }
  if (!studio) return;
  const window = createMainWindow(savedWindowBounds(studio.settings.get()));
  trackWindowState(window, studio.settings);
}

function setupTray(current: Studio): void {
  tray = createTray(join(app.getAppPath(), 'resources', 'tray.png'), {
    showWindow,
    startServer: () => void current.server.start().catch(() => undefined),
    stopServer: () => void current.server.stop().catch(() => undefined),
    quit: () => app.quit(),
  });
}

// Quitting waits for ffmpeg and the server process to end cleanly and the keys to be on disk.
function setupQuit(current: Studio): void {
  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    stopped = true;
    void current.stop().finally(() => {
      tray?.destroy();
      app.quit();
    });
  });
  app.on('window-all-closed', () => app.quit());
}

async function onReady(): Promise<void> {
  const current = (studio = await setupStudio());
  registerRequestHandlers(current.handlers, trustOwnWindows(ownWindows));
  setupTray(current);
  setupQuit(current);
  showWindow();
  await current.start();
}

if (!app.requestSingleInstanceLock()) app.quit();
else {
  app.on('second-instance', showWindow);
  app.on('activate', showWindow);
  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      console.error('Airlock Studio could not start:', error);
      app.exit(1);
    });
}
