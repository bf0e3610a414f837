// The e2e stand-in for Electron's preload and IPC: window.airlock in the page, the preload's AirlockBridge, calling
// dispatch() on the real handlers in Node through a Playwright binding; events pushed back into the page.
import type { Page } from 'playwright-core';
import { dispatch, eventNames, type EventName, type EventPayload, type RequestHandlers } from '../../../src/shared/ipc';
import type { Emit } from '../../../src/studio/ports';
import { pageScript } from './page-script';

const INVOKE_BINDING = '__airlockInvoke';
const EVENT_SINK = '__airlockEvent';

interface PageApi {
  invokeBinding: string;
  eventSink: string;
  eventNames: string[];
}

/**
 * Runs in the page before its own scripts (so window.airlock is there when the renderer starts): an AirlockBridge as
 * src/preload/index.ts makes it. request() answers a Reply, never rejects; main (here dispatch() in Node) decides
 * whether the name exists. Playwright carries Uint8Array arguments (capture.chunk's bytes) across the binding as bytes.
 */
function installAirlock({ invokeBinding, eventSink, eventNames }: PageApi): void {
  const scope = window as unknown as Record<string, unknown>;
  const call = scope[invokeBinding] as (name: string, input: unknown) => Promise<unknown>;
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  scope.airlock = Object.freeze({
    request: (name: string, input: unknown) => call(name, input),
    on: (name: string, listener: (payload: unknown) => void) => {
      if (!eventNames.includes(name)) throw new TypeError(`no event named ${String(name)}`);
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      // Each subscription is its own, as with ipcRenderer.on: the same function twice is two subscriptions.
      const forward = (payload: unknown) => listener(payload);
      set.add(forward);
      return () => void set.delete(forward);
    },
  });
  Object.defineProperty(window, eventSink, {
    value: (name: string, payload: unknown) => {
      for (const listener of [...(listeners.get(name) ?? [])]) listener(payload);
    },
  });
}

/** A page that is closing or navigating loses the events sent to it, as a reloading Electron window does. */
const isGone = (page: Page, error: unknown): boolean =>
  page.isClosed() || /Target (page, context or browser )?(has been )?closed|Execution context was destroyed|navigat/i.test(String(error));

export interface PageBridge {
  /** Pushes an event to the page's subscribers (webContents.send's stand-in). */
  emit: Emit;
  /** Resolves once every event emitted so far has reached the page; rejects with the first that could not be delivered. */
  flush(): Promise<void>;
}

/** Gives `page` (before it loads the renderer) a window.airlock answered by `handlers`. */
export async function bridgePage(page: Page, handlers: RequestHandlers): Promise<PageBridge> {
  await page.exposeBinding(INVOKE_BINDING, (_source, name: unknown, input: unknown) => dispatch(handlers, name, input));
  await page.addInitScript(pageScript(installAirlock, { invokeBinding: INVOKE_BINDING, eventSink: EVENT_SINK, eventNames }));
  // Events leave one after another, so the page sees them in the order they were emitted.
  let delivered: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  const emit: Emit = <N extends EventName>(name: N, payload: EventPayload<N>) => {
    delivered = delivered
      .then(() => page.evaluate(([sink, event, body]) => (window as unknown as Record<string, (n: string, p: unknown) => void>)[sink]?.(event, body), [EVENT_SINK, name, payload] as const))
      .catch((error: unknown) => {
        if (!isGone(page, error)) failure ??= error;
      });
  };
  const flush = async () => {
    await delivered;
    if (failure !== null) throw failure;
  };
  return { emit, flush };
}
