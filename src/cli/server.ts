// Headless media server: `npm run server -- --rtmp-port 1935 --http-port 8000 --host 127.0.0.1`.
import { parseArgs } from 'node:util';
import { MediaServer } from '../server/media-server';
import { jsonLogger } from '../server/log';

const USAGE = 'usage: npm run server -- [--rtmp-port N] [--http-port N] [--host ADDR] [--write-coalesce-ms N] [--quiet]';

function port(value: string | undefined, fallback: number, flag: string): number {
  if (value === undefined) return fallback;
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n <= 65535)) throw new Error(`${flag} must be a port number (0-65535), got "${value}"`);
  return n;
}

function milliseconds(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,4}$/.test(value)) throw new Error(`${flag} must be a whole number of milliseconds (0-9999), got "${value}"`);
  return Number(value);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'rtmp-port': { type: 'string' },
      'http-port': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'write-coalesce-ms': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const server = new MediaServer({
    host: values.host,
    rtmpPort: port(values['rtmp-port'], 1935, '--rtmp-port'),
    httpPort: port(values['http-port'], 8000, '--http-port'),
    writeCoalesceMs: milliseconds(values['write-coalesce-ms'], '--write-coalesce-ms'),
    log: values.quiet ? undefined : jsonLogger(),
  });
  const { rtmp, http } = await server.start();
  const host = values.host.includes(':') ? `[${values.host}]` : values.host;
  console.log(`Airlock media server ready: rtmp://${host}:${rtmp?.port}/APP/STREAM  http://${host}:${http?.port}/APP/STREAM.flv  ws://${host}:${http?.port}/APP/STREAM.flv  stats http://${host}:${http?.port}/api/stats`);
  const shutdown = (signal: string) => {
    console.log(`${signal}: stopping`);
    server.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  process.exit(1);
});
