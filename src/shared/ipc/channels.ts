// IPC channel names: one namespace for the studio, so nothing else can collide with it. No zod here: the sandboxed
// preload imports this file and must bundle nothing but Electron.

/** A contract name: group.request, as in 'server.start'. */
export const isContractName = (name: unknown): name is string => typeof name === 'string' && /^[a-zA-Z]+\.[a-zA-Z]+$/.test(name);

export const requestChannel = (name: string): string => `airlock:request:${name}`;
export const eventChannel = (name: string): string => `airlock:event:${name}`;
