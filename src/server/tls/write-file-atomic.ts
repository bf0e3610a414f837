// Replaces a file in one step: a reader (or a certificate watcher) sees the old content or the new, never half of it.
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';

/** Writes `data` to a temporary file beside `file` with exactly `mode` (the umask does not apply), flushes it, renames it over `file`. */
export async function writeFileAtomic(file: string, data: string, mode: number): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    // Created with `mode` already, so a private key is never readable by others, not even for a moment.
    const handle = await open(temporary, 'wx', mode);
    try {
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
