// Exposes exactly the bridge from src/shared: requests and events named in the contract, nothing generic.
import { contextBridge, ipcRenderer } from 'electron';
import { eventChannel, events, isRequestName, requestChannel, type AirlockBridge, type EventName, type Reply } from '../shared/ipc';

const isEventName = (name: unknown): name is EventName => typeof name === 'string' && Object.hasOwn(events, name);

const bridge: AirlockBridge = {
  request: async (name, input) => {
    if (!isRequestName(name)) return { ok: false, error: { code: 'UNKNOWN_REQUEST', message: `no request named ${String(name)}` } };
    return (await ipcRenderer.invoke(requestChannel(name), input)) as Reply<unknown>;
  },
  on: (name, listener) => {
    if (!isEventName(name)) throw new TypeError(`no event named ${String(name)}`);
    // The IPC event object stays here: the renderer gets the payload only.
    const forward = (_event: Electron.IpcRendererEvent, payload: unknown) => listener(payload as Parameters<typeof listener>[0]);
    ipcRenderer.on(eventChannel(name), forward);
    return () => void ipcRenderer.removeListener(eventChannel(name), forward);
  },
};

contextBridge.exposeInMainWorld('airlock', bridge);
