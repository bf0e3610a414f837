// Our server exactly as `npm run server` runs it: the esbuild bundle of src/cli/server.ts on plain node.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launch } from './target';
import type { RunningTarget, TargetContext } from './target';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE = join(REPO, 'out/cli/server.mjs');
// The node flags of `npm run server` (package.json): a 2 MB young generation keeps RSS down.
const NODE_FLAGS = ['--max-semi-space-size=2'];

export async function startAirlock(ctx: TargetContext): Promise<RunningTarget> {
  mkdirSync(ctx.workDir, { recursive: true });
  execFileSync('npm', ['run', '-s', 'build:cli'], { cwd: REPO, stdio: 'inherit' });
  const rtmpPort = await freePort();
  const httpPort = await freePort();
  // --quiet: no per-session log lines, like the anchors (nms at errors only, nginx at warn).
  const args = [...NODE_FLAGS, BUNDLE, '--rtmp-port', String(rtmpPort), '--http-port', String(httpPort), '--host', '127.0.0.1', '--quiet', ...ctx.airlockArgs];
  return launch('airlock', { command: process.execPath, args, cwd: REPO, logFile: join(ctx.workDir, 'stdout.log') }, rtmpPort, ctx);
}
