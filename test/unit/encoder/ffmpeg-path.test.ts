import { describe, expect, it } from 'vitest';
import { asarUnpacked, resolveFfmpegPath } from '../../../src/encoder/ffmpeg-path';

const PACKAGED_LINUX = '/opt/Airlock Studio/resources/app.asar/node_modules/ffmpeg-static/ffmpeg';
const PACKAGED_WINDOWS = 'C:\\Program Files\\Airlock Studio\\resources\\app.asar\\node_modules\\ffmpeg-static\\ffmpeg.exe';
const PACKAGED_MAC = '/Applications/Airlock Studio.app/Contents/Resources/app.asar/node_modules/ffmpeg-static/ffmpeg';

describe('resolveFfmpegPath', () => {
  it('prefers FFMPEG_BIN over everything', async () => {
    expect(await resolveFfmpegPath({ FFMPEG_BIN: '/opt/ffmpeg' }, '/app.asar.unpacked/ffmpeg', async () => PACKAGED_LINUX)).toBe('/opt/ffmpeg');
  });

  it('takes the override when FFMPEG_BIN is not set', async () => {
    expect(await resolveFfmpegPath({}, '/app.asar.unpacked/ffmpeg', async () => PACKAGED_LINUX)).toBe('/app.asar.unpacked/ffmpeg');
  });

  it('moves ffmpeg-static’s binary inside app.asar to app.asar.unpacked, where electron-builder puts it', async () => {
    expect(await resolveFfmpegPath({}, undefined, async () => PACKAGED_LINUX)).toBe('/opt/Airlock Studio/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg');
  });

  it('refuses with FFMPEG_NOT_FOUND when ffmpeg-static has no binary for this platform', async () => {
    await expect(resolveFfmpegPath({}, undefined, async () => null)).rejects.toMatchObject({ code: 'FFMPEG_NOT_FOUND' });
  });

  it('falls back to the binary ffmpeg-static names for this platform', async () => {
    const { default: staticPath } = (await import('ffmpeg-static')) as { default: string | null };
    // ffmpeg-static itself answers FFMPEG_BIN when the process has it set (as CI does), else its own binary.
    if (process.env.FFMPEG_BIN) expect(staticPath).toBe(process.env.FFMPEG_BIN);
    else expect(staticPath).toMatch(/ffmpeg-static[/\\]ffmpeg(\.exe)?$/);
    expect(await resolveFfmpegPath({})).toBe(staticPath);
  });
});

describe('asarUnpacked', () => {
  it.each([
    [PACKAGED_LINUX, '/opt/Airlock Studio/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg'],
    [PACKAGED_WINDOWS, 'C:\\Program Files\\Airlock Studio\\resources\\app.asar.unpacked\\node_modules\\ffmpeg-static\\ffmpeg.exe'],
    [PACKAGED_MAC, '/Applications/Airlock Studio.app/Contents/Resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg'],
  ])('moves %s out of the archive', (path, unpacked) => {
    expect(asarUnpacked(path)).toBe(unpacked);
  });

  it.each([
    ['a development checkout', '/work/main/node_modules/ffmpeg-static/ffmpeg'],
    ['a path already unpacked', '/opt/app/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg'],
    ['a folder merely named like the archive', '/home/me/my-app.asar/node_modules/ffmpeg-static/ffmpeg'],
    ['a file named app.asar', '/opt/app/resources/app.asar'],
  ])('leaves %s alone', (_, path) => {
    expect(asarUnpacked(path)).toBe(path);
  });
});
