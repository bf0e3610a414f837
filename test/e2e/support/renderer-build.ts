// Builds the real renderer once for the e2e tests with electron.vite.config.ts's renderer config, and keeps the
// build keyed by the sources it came from, so parallel test files and later runs share one build.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';

const ROOT = resolve(import.meta.dirname, '../../..');
const CACHE = join(ROOT, 'node_modules/.cache/airlock-e2e-renderer');
/** What the renderer bundle is made of: its sources, the contract it imports, its build config and the locked dependencies. */
const INPUTS = ['src/renderer', 'src/shared', 'electron.vite.config.ts', 'package-lock.json'];
const BUILD_TIMEOUT_MS = 180_000;
/** A lock older than this was left by a worker that died mid-build. */
const STALE_LOCK_MS = BUILD_TIMEOUT_MS;

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => filesUnder(join(path, entry.name)));
}

/** A digest of every input's path and bytes: a new digest means a new build. */
function sourceDigest(): string {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap((input) => filesUnder(join(ROOT, input)))) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex').slice(0, 16);
}

/** Runs electron-vite's renderer config through vite into `outDir`, as `electron-vite build` would for out/renderer. */
async function buildInto(outDir: string): Promise<void> {
  const nodeEnv = process.env.NODE_ENV;
  try {
    const { config } = await resolveConfig({ root: ROOT, mode: 'production', logLevel: 'warn', build: { outDir } }, 'build', 'production');
    const renderer = config?.renderer;
    if (renderer === undefined) throw new Error('electron.vite.config.ts has no renderer config');
    await build({ ...renderer, root: join(ROOT, 'src/renderer'), configFile: false, logLevel: 'warn', build: { ...renderer.build, outDir, emptyOutDir: true } });
  } finally {
    // electron-vite sets NODE_ENV for the build; the test process keeps its own.
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Takes the build lock (an atomic mkdir), waiting while another worker holds it; false if that worker finished the build meanwhile. */
async function lock(lockDir: string, outDir: string): Promise<boolean> {
  const deadline = Date.now() + BUILD_TIMEOUT_MS;
  for (;;) {
    if (existsSync(join(outDir, 'index.html'))) return false;
    try {
      mkdirSync(lockDir);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // The holder may let go between our mkdir and this stat: then just try again.
      const held = statSync(lockDir, { throwIfNoEntry: false });
      if (held === undefined) continue;
      if (Date.now() - held.mtimeMs > STALE_LOCK_MS) rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`timed out waiting for another worker's renderer build (${lockDir})`);
      else await sleep(250);
    }
  }
}

/** The directory of a production build of the current renderer sources, with index.html at its top. */
export async function rendererBuild(): Promise<string> {
  const digest = sourceDigest();
  const outDir = join(CACHE, digest);
  if (existsSync(join(outDir, 'index.html'))) return outDir;
  mkdirSync(CACHE, { recursive: true });
  const lockDir = join(CACHE, `${digest}.lock`);
  if (!(await lock(lockDir, outDir))) return outDir;
  const staging = join(CACHE, `${digest}.${process.pid}.tmp`);
  try {
    await buildInto(staging);
    // Builds of older sources go: only the current one is ever served.
    for (const old of readdirSync(CACHE)) if (!old.startsWith(digest)) rmSync(join(CACHE, old), { recursive: true, force: true });
    renameSync(staging, outDir);
    return outDir;
  } finally {
    // A failed build leaves no half-written directory beside the good ones.
    rmSync(staging, { recursive: true, force: true });
    rmSync(lockDir, { recursive: true, force: true });
  }
}
