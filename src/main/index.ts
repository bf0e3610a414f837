// Composition root: start the media server, expose its status over typed IPC, open the window.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain } from 'electron';
import { Channels, type ServerStatus } from '../shared/api';
import { jsonLogger } from '../server/log';
import { MediaServer } from '../server/media-server';

const server = new MediaServer({ log: jsonLogger() });
let status: ServerStatus = { running: false, rtmpUrl: null, httpUrl: null, error: null };

async function setupServer(): Promise<void> {
  try {
    const { rtmp, http } = await server.start();
    status = { running: true, rtmpUrl: rtmp && `rtmp://127.0.0.1:${rtmp.port}`, httpUrl: http && `http://127.0.0.1:${http.port}`, error: null };
  } catch (error) {
    status = { ...status, error: error instanceof Error ? error.message : String(error) };
  }
}

function setupIpc(window: BrowserWindow): void {
  // Only our own window may ask.
  ipcMain.handle(Channels.serverStatus, (event) => (event.sender === window.webContents ? status : null));
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 720,
    title: 'Airlock Studio',
    webPreferences: { preload: join(__dirname, '../preload/index.js'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL);
  else void window.loadFile(join(__dirname, '../renderer/index.html'));
  return window;
}

async function onReady(): Promise<void> {
  await setupServer();
  setupIpc(createWindow());
}

if (!app.requestSingleInstanceLock()) app.quit();
else {
  app.whenReady().then(onReady, (error: unknown) => console.error(error));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => void server.stop());
}
