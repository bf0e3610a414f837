// A ResizeObserver the test drives (happy-dom's never reports): hide or show what a screen observes, as a tab switch does.
import { vi } from 'vitest';

type Callback = (entries: { contentRect: { width: number; height: number } }[]) => void;

export interface FakeResizeObservers {
  /** Reports a new size to every observer: 0 × 0 is a hidden tab panel. */
  resize(width: number, height: number): void;
}

/** Installs the fake; undo with vi.unstubAllGlobals(). */
export function installFakeResizeObserver(): FakeResizeObservers {
  const callbacks = new Set<Callback>();
  vi.stubGlobal(
    'ResizeObserver',
    class {
      constructor(private readonly callback: Callback) {}
      observe() {
        callbacks.add(this.callback);
      }
      unobserve() {}
      disconnect() {
        callbacks.delete(this.callback);
      }
    },
  );
  return { resize: (width, height) => callbacks.forEach((callback) => callback([{ contentRect: { width, height } }])) };
}
