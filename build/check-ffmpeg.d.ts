// Types of build/check-ffmpeg.js, electron-builder's beforePack hook (plain JavaScript: electron-builder loads it as is).
export function executableTarget(header: Buffer): { platform: string; arch: string } | null;
export function checkFfmpeg(binary: string, platform: string, arch: string): void;
export function beforePack(context: { electronPlatformName: string; arch: number }): Promise<void>;
