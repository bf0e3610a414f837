// The tray icon: live status in its tooltip and menu, and the few actions that make sense without the window.
import { Menu, nativeImage, Tray } from 'electron';
import type { TraySummary } from './tray-status';

export interface TrayActions {
  showWindow(): void;
  startServer(): void;
  stopServer(): void;
  quit(): void;
}

export interface StudioTray {
  update(summary: TraySummary): void;
  destroy(): void;
}

export function createTray(iconPath: string, actions: TrayActions): StudioTray {
  const tray = new Tray(nativeImage.createFromPath(iconPath));
  tray.on('click', actions.showWindow);
  const update = (summary: TraySummary): void => {
    tray.setToolTip(summary.line);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: summary.line, enabled: false },
        { type: 'separator' },
        { label: 'Show Airlock Studio', click: actions.showWindow },
        summary.serverRunning ? { label: 'Stop server', click: actions.stopServer } : { label: 'Start server', click: actions.startServer },
        { type: 'separator' },
        { label: 'Quit', click: actions.quit },
      ]),
    );
  };
  update({ line: 'Airlock Studio', serverRunning: false });
  return { update, destroy: () => tray.destroy() };
}
