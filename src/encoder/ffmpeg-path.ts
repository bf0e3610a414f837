// Where the ffmpeg binary is: in development, in CI, and inside a packaged app whose node_modules sit in app.asar.
import { EncoderError } from './errors';

/** ffmpeg-static's answer: the binary it ships for this platform, or null when it has none. */
export type StaticFfmpegPath = () => Promise<string | null>;

// Loaded only when asked: a packaged app or FFMPEG_BIN never needs the module.
const ffmpegStatic: StaticFfmpegPath = async () => ((await import('ffmpeg-static')) as { default: string | null }).default;

// An `app.asar` path segment, with either separator (Windows paths use backslashes).
const ASAR_SEGMENT = /([\\/])app\.asar(?=[\\/])/;

/**
 * The same path in `app.asar.unpacked`: a process cannot be spawned from inside an asar archive, so
 * electron-builder unpacks ffmpeg-static's binary there, while `__dirname` still names the archive.
 */
export function asarUnpacked(path: string): string {
  return path.replace(ASAR_SEGMENT, '$1app.asar.unpacked');
}

/**
 * The ffmpeg binary to run: FFMPEG_BIN when set, else `override` (a path main chooses), else the binary
 * ffmpeg-static ships for this platform, moved out of app.asar in a packaged app.
 */
export async function resolveFfmpegPath(env: NodeJS.ProcessEnv = process.env, override?: string, staticPath: StaticFfmpegPath = ffmpegStatic): Promise<string> {
  if (env.FFMPEG_BIN) return env.FFMPEG_BIN;
  if (override) return override;
  const path = await staticPath();
  if (path === null) throw new EncoderError('FFMPEG_NOT_FOUND', `ffmpeg-static has no binary for ${process.platform}/${process.arch}; set FFMPEG_BIN`);
  return asarUnpacked(path);
}
