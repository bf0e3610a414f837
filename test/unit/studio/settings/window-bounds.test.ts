import { describe, expect, it } from 'vitest';
import { defaultSettings, type WindowState } from '../../../../src/shared/settings';
import { initialBounds, windowStateOf } from '../../../../src/studio/settings';

const saved = (state: Partial<WindowState>): WindowState => ({ ...defaultSettings().window, ...state });
const laptop = { x: 0, y: 25, width: 1440, height: 875 };
const monitorOnTheRight = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('initialBounds', () => {
  it('lets Electron centre a window that has never been placed, at its saved size', () => {
    expect(initialBounds(saved({ width: 1200, height: 800 }), [laptop])).toEqual({ width: 1200, height: 800 });
  });

  it('reopens the window where it was when it fits there', () => {
    expect(initialBounds(saved({ x: 1600, y: 100, width: 1200, height: 800 }), [laptop, monitorOnTheRight])).toEqual({ x: 1600, y: 100, width: 1200, height: 800 });
  });

  it('pulls a window hanging off its screen fully onto the screen it overlaps most', () => {
    expect(initialBounds(saved({ x: 3500, y: 1000, width: 1200, height: 800 }), [laptop, monitorOnTheRight])).toEqual({ x: 2800, y: 640, width: 1200, height: 800 });
  });

  it('centres the window on the primary screen when its screen is gone', () => {
    expect(initialBounds(saved({ x: 1600, y: 100, width: 1200, height: 800 }), [laptop])).toEqual({ width: 1200, height: 800 });
  });

  it('shrinks a window larger than the screen it opens on', () => {
    expect(initialBounds(saved({ x: 500, y: 0, width: 2400, height: 1400 }), [laptop])).toEqual({ x: 0, y: 25, width: 1440, height: 875 });
    expect(initialBounds(saved({ width: 2400, height: 1400 }), [laptop])).toEqual({ width: 1440, height: 875 });
  });

  it('keeps the saved size when no screen is known', () => {
    expect(initialBounds(saved({ x: 10, y: 10, width: 1200, height: 800 }), [])).toEqual({ width: 1200, height: 800 });
  });
});

describe('windowStateOf', () => {
  it('remembers the normal bounds as whole pixels, and whether the window is maximized', () => {
    expect(windowStateOf({ x: 10.4, y: -20.6, width: 1024.2, height: 700 }, true)).toEqual({ x: 10, y: -21, width: 1024, height: 700, maximized: true });
  });

  it('keeps the size within what the settings schema accepts', () => {
    expect(windowStateOf({ x: 0, y: 0, width: 120, height: 90 }, false)).toMatchObject({ width: 400, height: 300 });
    expect(windowStateOf({ x: 0, y: 0, width: 20_000, height: 20_000 }, false)).toMatchObject({ width: 10_000, height: 10_000 });
  });
});
