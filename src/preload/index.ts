// Exposes exactly the bridge of src/shared/ipc: requests and events in the studio's channel namespace, nothing generic.
// Main checks every name and input against the contract; this side only keeps the renderer inside the namespace.
import { contextBridge, ipcRenderer } from 'electron';
import { eventChannel, isContractName, requestChannel } from '../shared/ipc/channels';
import type { AirlockBridge, Reply } from '../shared/ipc';

const refused = (message: string): Reply<never> => ({ ok: false, error: { code: 'UNKNOWN_REQUEST', message } });

const bridge: AirlockBridge = {
  request: async (name, input) => {
    if (!isContractName(name)) return refused(`no request named ${String(name)}`);
    // Only a name main registered has a handler; any other rejects here.
    return ipcRenderer.invoke(requestChannel(name), input).catch(() => refused(`no request named ${name}`)) as Promise<Reply<unknown>>;
  },
  on: (name, listener) => {
    if (!isContractName(name)) throw new TypeError(`no event named ${String(name)}`);
    // The IPC event object stays here: the renderer gets the payload only.
    const forward = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload as Parameters<typeof listener>[0]);
    ipcRenderer.on(eventChannel(name), forward);
    return () => void ipcRenderer.removeListener(eventChannel(name), forward);
  },
};

contextBridge.exposeInMainWorld('airlock', bridge);
