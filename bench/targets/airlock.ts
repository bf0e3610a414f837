// Our server, through its CLI (src/cli/server.ts, the entry of `npm run server`), run one of two ways:
// "tsx" transpiles at load time as `npm run server` does; "bundle" runs an esbuild bundle with plain
// node, as the anchors run (tsx's loader thread and transpiler add about 40 MB of RSS).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launch } from './target';
import type { RunningTarget, TargetContext } from './target';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(REPO, 'src/cli/server.ts');
const BUNDLE = join(REPO, 'bench/.cache/airlock/server.cjs');

export const AIRLOCK_RUNTIMES = ['tsx', 'bundle'] as const;
export type AirlockRuntime = (typeof AIRLOCK_RUNTIMES)[number];

/** Bundles the CLI and what it imports into one CommonJS file (esbuild comes with tsx and vite). */
async function bundle(): Promise<string> {
  const { build } = await import('esbuild');
  await build({ entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: BUNDLE, logLevel: 'warning' });
  return BUNDLE;
}

export async function startAirlock(ctx: TargetContext): Promise<RunningTarget> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} does not exist yet`);
  mkdirSync(ctx.workDir, { recursive: true });
  const rtmpPort = await freePort();
  const httpPort = await freePort();
  const entry = ctx.airlockRuntime === 'bundle' ? [await bundle()] : ['--import', 'tsx', ENTRY];
  // --quiet: no per-session log lines, like the anchors (nms at errors only, nginx at warn).
  const args = [...entry, '--rtmp-port', String(rtmpPort), '--http-port', String(httpPort), '--host', '127.0.0.1', '--quiet'];
  return launch('airlock', { command: process.execPath, args, cwd: REPO, logFile: join(ctx.workDir, 'stdout.log') }, rtmpPort, ctx);
}
