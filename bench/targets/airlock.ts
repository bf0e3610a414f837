// Our server, through its CLI: node --import tsx src/cli/server.ts (the same entry as `npm run server`).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launch } from './target';
import type { RunningTarget, TargetContext } from './target';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const ENTRY = join(REPO, 'src/cli/server.ts');

export async function startAirlock(ctx: TargetContext): Promise<RunningTarget> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} does not exist yet`);
  const dir = ctx.workDir;
  mkdirSync(dir, { recursive: true });
  const rtmpPort = await freePort();
  const httpPort = await freePort();
  // --quiet: no per-session log lines, like the anchors (nms at errors only, nginx at warn).
  const args = ['--import', 'tsx', ENTRY, '--rtmp-port', String(rtmpPort), '--http-port', String(httpPort), '--host', '127.0.0.1', '--quiet'];
  return launch('airlock', { command: process.execPath, args, cwd: REPO, logFile: join(dir, 'stdout.log') }, rtmpPort, ctx);
}
