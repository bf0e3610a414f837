// The resolutions and frame rates the Studio offers for the camera.

export interface Resolution {
  width: number;
  height: number;
  label: string;
}

const RESOLUTIONS: readonly Resolution[] = [
  { width: 640, height: 360, label: '640 × 360 (360p)' },
  { width: 854, height: 480, label: '854 × 480 (480p)' },
  { width: 1280, height: 720, label: '1280 × 720 (720p)' },
  { width: 1920, height: 1080, label: '1920 × 1080 (1080p)' },
  { width: 2560, height: 1440, label: '2560 × 1440 (1440p)' },
  { width: 3840, height: 2160, label: '3840 × 2160 (4K)' },
];

const FRAME_RATES: readonly number[] = [15, 24, 25, 30, 50, 60];

export const resolutionKey = ({ width, height }: { width: number; height: number }): string => `${width}x${height}`;

/** The presets, plus the saved size when it is not one of them, so the picker always shows what is saved. */
export function resolutionChoices(saved: { width: number; height: number }): Resolution[] {
  const known = RESOLUTIONS.some((preset) => resolutionKey(preset) === resolutionKey(saved));
  return known ? [...RESOLUTIONS] : [...RESOLUTIONS, { ...saved, label: `${saved.width} × ${saved.height}` }];
}

export function frameRateChoices(saved: number): number[] {
  return FRAME_RATES.includes(saved) ? [...FRAME_RATES] : [...FRAME_RATES, saved].sort((a, b) => a - b);
}
