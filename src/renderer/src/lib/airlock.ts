// The renderer's handle on main: the typed API the preload (or the e2e bridge) puts on window.airlock.
import type { AirlockApi } from '../../../shared/ipc';

declare global {
  interface Window {
    airlock: AirlockApi;
  }
}

export const airlock = (): AirlockApi => window.airlock;
