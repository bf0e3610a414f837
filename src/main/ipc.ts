// The only place main touches ipcMain: one handler per request of the contract, answering the app's own pages only.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { dispatch, eventChannel, requestChannel, requestNames, StudioError, type RequestHandlers } from '../shared/ipc';
import type { Emit } from '../studio/ports';

/** Whether a request comes from one of our windows, showing our own page (not a page it navigated to). */
export type TrustSender = (event: IpcMainInvokeEvent) => boolean;

export function registerRequestHandlers(handlers: RequestHandlers, trust: TrustSender): void {
  for (const name of requestNames) {
    ipcMain.handle(requestChannel(name), (event, input: unknown) =>
      trust(event) ? dispatch(handlers, name, input) : { ok: false, error: new StudioError('NOT_ALLOWED', 'this page may not use the studio API').toBody() },
    );
  }
}

/** Sends each event to every live window of ours. */
export const emitToWindows =
  (windows: () => readonly WebContents[]): Emit =>
  (name, payload) => {
    for (const contents of windows()) if (!contents.isDestroyed()) contents.send(eventChannel(name), payload);
  };
