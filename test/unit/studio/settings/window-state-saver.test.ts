import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StudioError } from '../../../../src/shared/ipc/errors';
import type { SettingsPatch } from '../../../../src/shared/settings';
import { createWindowStateSaver, type Rect } from '../../../../src/studio/settings';

describe('window state saver', () => {
  let bounds: Rect;
  let maximized: boolean;
  let saved: SettingsPatch[];
  let errors: unknown[];
  const window = { normalBounds: () => bounds, isMaximized: () => maximized };
  const saver = (update: (patch: SettingsPatch) => unknown = (patch) => saved.push(patch)) =>
    createWindowStateSaver({ update }, window, { delayMs: 500, onError: (error) => errors.push(error) });

  beforeEach(() => {
    vi.useFakeTimers();
    bounds = { x: 100, y: 80, width: 1200, height: 800 };
    maximized = false;
    saved = [];
    errors = [];
  });
  afterEach(() => vi.useRealTimers());

  it('saves once when a burst of moves has settled, with the bounds at the end', () => {
    const windowState = saver();
    for (let x = 100; x <= 300; x += 50) {
      bounds = { ...bounds, x };
      windowState.schedule();
      vi.advanceTimersByTime(100);
    }
    expect(saved).toEqual([]);
    vi.advanceTimersByTime(400);
    expect(saved).toEqual([{ window: { x: 300, y: 80, width: 1200, height: 800, maximized: false } }]);
  });

  it('saves at once on close and drops the pending save', () => {
    const windowState = saver();
    windowState.schedule();
    maximized = true;
    windowState.flush();
    vi.advanceTimersByTime(1000);
    expect(saved).toEqual([{ window: { x: 100, y: 80, width: 1200, height: 800, maximized: true } }]);
  });

  it('reports a failed save instead of throwing from its timer', () => {
    const failure = new StudioError('INTERNAL', 'cannot save the settings: disk full');
    const windowState = saver(() => {
      throw failure;
    });
    windowState.schedule();
    expect(() => vi.advanceTimersByTime(500)).not.toThrow();
    expect(errors).toEqual([failure]);
  });
});
