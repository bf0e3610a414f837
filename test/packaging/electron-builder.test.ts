// electron-builder.yml checked offline with electron-builder's own loader and schema (a real dist would download
// Electron), and the assets it names checked for what each OS needs of them.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
let config: Configuration;

beforeAll(async () => {
  config = await getConfig(ROOT, null, null);
});

/** Width and height of a PNG, from its IHDR chunk. */
const pngSize = (path: string): [number, number] => {
  const bytes = readFileSync(resolve(ROOT, path));
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
};

describe('electron-builder.yml', () => {
  it('matches electron-builder’s configuration schema', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('ships the electron-vite output and unpacks ffmpeg-static’s binary out of app.asar', () => {
    expect(config.files).toEqual([{ filter: expect.arrayContaining(['out/**', 'resources/**']) }]);
    expect(config.asarUnpack).toContain('node_modules/ffmpeg-static/**');
    expect(config.extraMetadata).toEqual({ main: 'out/main/index.js' });
  });

  it('gives macOS the camera and microphone reasons and entitlements under the hardened runtime', () => {
    expect(config.mac?.hardenedRuntime).toBe(true);
    expect(config.mac?.extendInfo).toMatchObject({ NSCameraUsageDescription: expect.any(String), NSMicrophoneUsageDescription: expect.any(String) });
    const entitlements = readFileSync(resolve(ROOT, config.mac!.entitlements!), 'utf8');
    for (const key of ['cs.allow-jit', 'device.camera', 'device.audio-input', 'network.server', 'network.client']) {
      expect(entitlements).toContain(`<key>com.apple.security.${key}</key>`);
    }
    // Every key has a <true/>: a dangling key breaks codesign, and only on a Mac.
    expect(entitlements.match(/<key>/g)?.length).toBe(entitlements.match(/<\/key>\s*<true\/>/g)?.length);
  });

  it('has icons electron-builder can turn into .icns and .ico, and 16/32 px tray icons', () => {
    for (const platform of [config.win, config.mac, config.linux]) expect(pngSize(platform!.icon!)).toEqual([1024, 1024]);
    expect(pngSize('resources/tray.png')).toEqual([16, 16]);
    expect(pngSize('resources/tray@2x.png')).toEqual([32, 32]);
    expect(existsSync(resolve(ROOT, 'build/icons.sh'))).toBe(true);
  });
});
