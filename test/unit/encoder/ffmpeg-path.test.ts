import { describe, expect, it } from 'vitest';
import { resolveFfmpegPath } from '../../../src/encoder/ffmpeg-path';

describe('resolveFfmpegPath', () => {
  it('prefers FFMPEG_BIN over everything', async () => {
    expect(await resolveFfmpegPath({ FFMPEG_BIN: '/opt/ffmpeg' }, '/app.asar.unpacked/ffmpeg')).toBe('/opt/ffmpeg');
  });

  it('takes the override (the packaged app path) when FFMPEG_BIN is not set', async () => {
    expect(await resolveFfmpegPath({}, '/app.asar.unpacked/ffmpeg')).toBe('/app.asar.unpacked/ffmpeg');
  });

  it('falls back to the binary ffmpeg-static names for this platform', async () => {
    const { default: staticPath } = (await import('ffmpeg-static')) as { default: string | null };
    // ffmpeg-static itself answers FFMPEG_BIN when the process has it set (as CI does), else its own binary.
    if (process.env.FFMPEG_BIN) expect(staticPath).toBe(process.env.FFMPEG_BIN);
    else expect(staticPath).toMatch(/ffmpeg-static[/\\]ffmpeg(\.exe)?$/);
    expect(await resolveFfmpegPath({})).toBe(staticPath);
  });
});
