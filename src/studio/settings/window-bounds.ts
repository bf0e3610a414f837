// Where the main window opens and what of it is remembered: pure geometry, so the Electron adapter stays a few lines.
import type { z } from 'zod';
import { WindowStateSchema, type WindowState } from '../../shared/settings';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Size, and place when one is known: without x and y Electron centres the window on the primary screen. */
export interface InitialBounds {
  width: number;
  height: number;
  x?: number;
  y?: number;
}

/**
 * The saved bounds fitted to today's screens (work areas, primary first): kept on the screen they overlap most,
 * shrunk to fit it and moved fully onto it; centred on the primary screen when they overlap none (a monitor unplugged).
 */
export function initialBounds(saved: WindowState, workAreas: readonly Rect[]): InitialBounds {
  const primary = workAreas[0];
  if (primary === undefined) return { width: saved.width, height: saved.height };
  if (saved.x === null || saved.y === null) return fittedSize(saved, primary);
  const wanted = { x: saved.x, y: saved.y, width: saved.width, height: saved.height };
  const home = mostOverlapped(wanted, workAreas);
  if (home === null) return fittedSize(saved, primary);
  const { width, height } = fittedSize(saved, home);
  return { width, height, x: clamp(wanted.x, home.x, home.x + home.width - width), y: clamp(wanted.y, home.y, home.y + home.height - height) };
}

/** What to remember of the window: its normal (not maximized) bounds within the schema's limits, and whether it is maximized. */
export function windowStateOf(normalBounds: Rect, maximized: boolean): WindowState {
  const { width, height } = WindowStateSchema.shape;
  return {
    width: withinSchema(normalBounds.width, width.unwrap()),
    height: withinSchema(normalBounds.height, height.unwrap()),
    x: Math.round(normalBounds.x),
    y: Math.round(normalBounds.y),
    maximized,
  };
}

/** A whole number within the field's bounds, so the state saved always validates. */
const withinSchema = (value: number, field: z.ZodNumber): number => clamp(Math.round(value), field.minValue ?? -Infinity, field.maxValue ?? Infinity);

const fittedSize = (size: { width: number; height: number }, area: Rect): InitialBounds => ({ width: Math.min(size.width, area.width), height: Math.min(size.height, area.height) });

function mostOverlapped(rect: Rect, areas: readonly Rect[]): Rect | null {
  let best: Rect | null = null;
  let bestOverlap = 0;
  for (const area of areas) {
    const overlap = Math.max(0, Math.min(rect.x + rect.width, area.x + area.width) - Math.max(rect.x, area.x)) * Math.max(0, Math.min(rect.y + rect.height, area.y + area.height) - Math.max(rect.y, area.y));
    if (overlap > bestOverlap) [best, bestOverlap] = [area, overlap];
  }
  return best;
}

const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value, low), high);
