// The renderer's handle on main: the typed API over the bridge the preload (or the e2e bridge) puts on window.airlock.
import { airlockApi, type AirlockApi, type AirlockBridge } from '../../../shared/ipc';

declare global {
  interface Window {
    airlock: AirlockBridge;
  }
}

// One typed view per bridge (tests give each test its own bridge).
const views = new WeakMap<AirlockBridge, AirlockApi>();

export function airlock(): AirlockApi {
  const bridge = window.airlock;
  let view = views.get(bridge);
  if (!view) views.set(bridge, (view = airlockApi(bridge)));
  return view;
}
