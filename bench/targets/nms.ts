// node-media-server v4 (the devDependency) in its own plain-node process, through nms-runner.cjs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launch } from './target';
import type { RunningTarget, TargetContext } from './target';

const RUNNER = fileURLToPath(new URL('./nms-runner.cjs', import.meta.url));

export async function startNms(ctx: TargetContext): Promise<RunningTarget> {
  const dir = ctx.workDir;
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const spec = { command: process.execPath, args: [RUNNER, String(port), dir], logFile: join(dir, 'stdout.log') };
  return launch('nms', spec, port, ctx);
}
