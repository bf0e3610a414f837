// Composition root (being rebuilt on the typed contract in src/shared/ipc and the studio services).
import { app } from 'electron';

if (!app.requestSingleInstanceLock()) app.quit();
else app.on('window-all-closed', () => app.quit());
