import { EncoderError } from './errors';

/**
 * The ffmpeg binary to run: FFMPEG_BIN when set, else `override` (the packaged app's
 * app.asar.unpacked path, passed by main), else the binary ffmpeg-static ships for this platform.
 */
export async function resolveFfmpegPath(env: NodeJS.ProcessEnv = process.env, override?: string): Promise<string> {
  if (env.FFMPEG_BIN) return env.FFMPEG_BIN;
  if (override) return override;
  // Loaded only here: a packaged app or FFMPEG_BIN never needs the module.
  const { default: staticPath } = (await import('ffmpeg-static')) as { default: string | null };
  if (staticPath === null) throw new EncoderError('FFMPEG_NOT_FOUND', `ffmpeg-static has no binary for ${process.platform}/${process.arch}; set FFMPEG_BIN`);
  return staticPath;
}
