// Exposes exactly the typed API from src/shared, nothing generic.
import { contextBridge, ipcRenderer } from 'electron';
import { Channels, type AirlockApi } from '../shared/api';

const api: AirlockApi = {
  serverStatus: () => ipcRenderer.invoke(Channels.serverStatus),
};

contextBridge.exposeInMainWorld('airlock', api);
