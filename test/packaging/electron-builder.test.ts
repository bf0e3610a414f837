// electron-builder.yml checked offline with electron-builder's own loader and schema (a real dist would download
// Electron), and the assets it names checked for what each OS needs of them.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { beforeAll, describe, expect, it } from 'vitest';
import { beforePack, checkFfmpeg, executableTarget } from '../../build/check-ffmpeg';

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

  it('builds each OS’s installers for the host’s architecture alone, and checks ffmpeg-static’s binary before packing', () => {
    for (const platform of [config.win, config.mac, config.linux]) {
      for (const target of platform!.target as unknown[]) expect(typeof target, 'a target naming no arch').toBe('string');
    }
    expect(config.beforePack).toBe('./build/check-ffmpeg.js');
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

// The beforePack hook, on this machine's own node binary as the stand-in for an ffmpeg.
describe('build/check-ffmpeg.js', () => {
  it('reads the OS and architecture from ELF, Mach-O and PE headers', () => {
    expect(executableTarget(readFileSync(process.execPath).subarray(0, 4096))).toEqual({ platform: process.platform, arch: process.arch });
    const macho = Buffer.alloc(16);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(0x0100000c, 4);
    expect(executableTarget(macho)).toEqual({ platform: 'darwin', arch: 'arm64' });
    const pe = Buffer.alloc(0x100);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(0x80, 0x3c);
    pe.write('PE\0\0', 0x80, 'latin1');
    pe.writeUInt16LE(0x8664, 0x84);
    expect(executableTarget(pe)).toEqual({ platform: 'win32', arch: 'x64' });
    expect(executableTarget(Buffer.from('#!/bin/sh\n'))).toBeNull();
  });

  it('passes a binary for the target, and refuses one for another OS or architecture, or none', () => {
    expect(() => checkFfmpeg(process.execPath, process.platform, process.arch)).not.toThrow();
    const other = process.arch === 'arm64' ? 'x64' : 'arm64';
    expect(() => checkFfmpeg(process.execPath, process.platform, other)).toThrow(`not for the ${process.platform}/${other} app`);
    expect(() => checkFfmpeg(process.execPath, 'win32', 'x64')).toThrow('not for the win32/x64 app');
    expect(() => checkFfmpeg(resolve(ROOT, 'build/no-such-ffmpeg'), 'linux', 'x64')).toThrow('would have none');
    expect(() => checkFfmpeg(resolve(ROOT, 'build/icons.sh'), 'linux', 'x64')).toThrow('is not an executable ffmpeg');
  });

  it('as the hook, looks in ffmpeg-static’s own directory, not at FFMPEG_BIN, for the target electron-builder names', async () => {
    // Arch 4 is universal: ffmpeg-static has no universal binary, whatever is installed.
    await expect(beforePack({ electronPlatformName: 'darwin', arch: 4 })).rejects.toThrow(/node_modules\/ffmpeg-static\/ffmpeg.*darwin\/universal/);
  });
});
