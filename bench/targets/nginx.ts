// nginx with the RTMP module (Debian nginx-light + libnginx-mod-rtmp): one process, no master, config in the work dir.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, launch } from './target';
import type { RunningTarget, TargetContext } from './target';

const RTMP_MODULE = '/usr/lib/nginx/modules/ngx_rtmp_module.so';
function config(dir: string, port: number, connections: number): string {
  return `load_module ${RTMP_MODULE};
worker_processes 1;
daemon off;
master_process off;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
worker_rlimit_nofile ${connections + 32};
events { worker_connections ${connections}; }
rtmp {
  server {
    listen 127.0.0.1:${port};
    chunk_size 4096;
    application live { live on; }
  }
}
`;
}

export async function startNginx(ctx: TargetContext): Promise<RunningTarget> {
  const dir = ctx.workDir;
  mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const conf = join(dir, 'nginx.conf');
  // nginx preallocates every connection slot: size them to the run, not to a large constant that inflates RSS.
  writeFileSync(conf, config(dir, port, ctx.maxConnections));
  const spec = { command: 'nginx', args: ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf], logFile: join(dir, 'stdout.log') };
  return launch('nginx', spec, port, ctx);
}
