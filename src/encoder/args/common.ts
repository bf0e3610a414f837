// Argument groups both publishing commands share: quiet logs with machine-readable progress, x264 for live, AAC.

/** Warnings only on stderr (for failure reasons), key=value progress blocks on stdout (see FfmpegProgress). */
export const REPORTING_ARGS: readonly string[] = ['-hide_banner', '-loglevel', 'warning', '-nostats', '-progress', 'pipe:1'];

export interface X264Options {
  bitrateKbps: number;
  fps: number;
  keyframeIntervalSeconds: number;
}

/** libx264 tuned for live: no lookahead or B-frame delay, a fixed GOP so players join within one interval. */
export function x264Args({ bitrateKbps, fps, keyframeIntervalSeconds }: X264Options): string[] {
  const gop = String(Math.max(1, Math.round(fps * keyframeIntervalSeconds)));
  return [
    '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
    '-b:v', `${bitrateKbps}k`, '-maxrate', `${bitrateKbps}k`, '-bufsize', `${bitrateKbps * 2}k`,
    '-g', gop, '-keyint_min', gop,
  ];
}

/** FLV carries AAC (FLV spec E.4.2.1, SoundFormat 10); 48 kHz matches what browsers capture. */
export const AAC_ARGS: readonly string[] = ['-c:a', 'aac', '-b:a', '128k', '-ar', '48000'];
