// electron-builder's beforePack hook: refuses to package an app whose ffmpeg would not run where it is installed.
// ffmpeg-static downloads one binary at `npm ci`, for the OS and architecture npm ran on (or npm_config_platform and
// npm_config_arch), and none when FFMPEG_BIN was set; the app spawns that file from app.asar.unpacked.
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// electron-builder's Arch enum (builder-util), by value.
const ARCH_NAMES = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];
const ELF_MACHINES = { 0x03: 'ia32', 0x28: 'armv7l', 0x3e: 'x64', 0xb7: 'arm64' };
const MACHO_CPUS = { 0x01000007: 'x64', 0x0100000c: 'arm64' };
const PE_MACHINES = { 0x014c: 'ia32', 0x8664: 'x64', 0xaa64: 'arm64' };

/** The OS and architecture an executable's first bytes name (little-endian ELF, 64-bit Mach-O, PE), or null. */
export function executableTarget(header) {
  if (header.length >= 20 && header.readUInt32BE(0) === 0x7f454c46) {
    const machine = header.readUInt16LE(18);
    return { platform: 'linux', arch: ELF_MACHINES[machine] ?? `ELF machine ${machine}` };
  }
  if (header.length >= 8 && header.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = header.readUInt32LE(4);
    return { platform: 'darwin', arch: MACHO_CPUS[cpu] ?? `Mach-O cpu ${cpu}` };
  }
  if (header.length >= 0x40 && header.toString('latin1', 0, 2) === 'MZ') {
    const pe = header.readUInt32LE(0x3c);
    if (pe + 6 > header.length || header.toString('latin1', pe, pe + 4) !== 'PE\0\0') return null;
    const machine = header.readUInt16LE(pe + 4);
    return { platform: 'win32', arch: PE_MACHINES[machine] ?? `PE machine ${machine}` };
  }
  return null;
}

/** The first 4 KiB of a file. */
function headerOf(path) {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(4096);
    return header.subarray(0, readSync(fd, header, 0, header.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** Throws, saying what to do, unless `binary` is an executable for `platform`/`arch`. */
export function checkFfmpeg(binary, platform, arch) {
  const wanted = `${platform}/${arch}`;
  const redo = `run npm ci without FFMPEG_BIN on a ${wanted} machine (or with npm_config_platform and npm_config_arch naming ${wanted}), then package again`;
  let found;
  try {
    found = executableTarget(headerOf(binary));
  } catch {
    throw new Error(`ffmpeg-static has no ffmpeg at ${binary}, so the ${wanted} app would have none: ${redo}`);
  }
  if (found === null) throw new Error(`${binary} is not an executable ffmpeg for ${wanted}: ${redo}`);
  if (`${found.platform}/${found.arch}` !== wanted) throw new Error(`${binary} is ffmpeg for ${found.platform}/${found.arch}, not for the ${wanted} app: ${redo}`);
}

/** The hook: the binary electron-builder will copy (not FFMPEG_BIN, which ffmpeg-static's own path would honour). */
export async function beforePack({ electronPlatformName, arch }) {
  const dir = dirname(createRequire(import.meta.url).resolve('ffmpeg-static/package.json'));
  checkFfmpeg(join(dir, electronPlatformName === 'win32' ? 'ffmpeg.exe' : 'ffmpeg'), electronPlatformName, ARCH_NAMES[arch] ?? `arch ${arch}`);
}
