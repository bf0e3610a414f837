// The typed contract between main, preload and renderer: no Node, no DOM.

export interface ServerStatus {
  running: boolean;
  rtmpUrl: string | null;
  httpUrl: string | null;
  error: string | null;
}

/** What the preload exposes to the renderer as `window.airlock`. */
export interface AirlockApi {
  serverStatus(): Promise<ServerStatus>;
}

/** IPC channel names, one per request. */
export const Channels = {
  serverStatus: 'server:status',
} as const;
