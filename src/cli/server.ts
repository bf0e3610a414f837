// Headless media server: `npm run server -- --config airlock.json --rtmp-port 1935 --rtmps-port 1936 --http-port 8000`.
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { openConfig } from '../server/auth/config-file';
import { parsePermissions, type Permission } from '../server/auth/permissions';
import { securityAuthorizer } from '../server/auth/policy';
import { redact } from '../server/auth/redact';
import { jsonLogger, silentLogger, splitLogger, type Logger } from '../server/log';
import { MediaServer, type MediaServerOptions } from '../server/media-server';
import { TrustedProxies } from '../server/proxy';
import { ensureSelfSigned, loadCertificate, watchCertificate, type CertificateFiles } from '../server/tls';

const USAGE = [
  'usage: npm run server -- [--config FILE [--require-auth publish,play]] [--host ADDR]',
  '  [--rtmp-port N | --no-rtmp] [--rtmps-port N] [--cert FILE --key FILE] [--http-port N] [--https-port N]',
  '  [--proxy-port N --trusted-proxy ADDR[/BITS]...] [--access-log FILE] [--write-coalesce-ms N] [--quiet]',
].join('\n');

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

function operations(value: string | undefined): Permission[] | undefined {
  if (value === undefined) return undefined;
  const parsed = parsePermissions(value);
  if (!parsed) throw new Error(`--require-auth takes publish, play or publish,play, got "${value}"`);
  return parsed;
}

/** The certificate files: --cert/--key as given, else a self-signed pair kept next to the config file. */
async function certificateFiles(cert: string | undefined, key: string | undefined, config: string | undefined): Promise<CertificateFiles | null> {
  if ((cert === undefined) !== (key === undefined)) throw new Error('--cert and --key go together');
  if (cert !== undefined && key !== undefined) return { certFile: cert, keyFile: key };
  return config === undefined ? null : ensureSelfSigned(join(dirname(config), 'airlock-tls'));
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      'require-auth': { type: 'string' },
      'rtmp-port': { type: 'string' },
      'no-rtmp': { type: 'boolean', default: false },
      'rtmps-port': { type: 'string' },
      cert: { type: 'string' },
      key: { type: 'string' },
      'http-port': { type: 'string' },
      'https-port': { type: 'string' },
      'proxy-port': { type: 'string' },
      'trusted-proxy': { type: 'string', multiple: true, default: [] },
      'access-log': { type: 'string' },
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
  const requireAuth = operations(values['require-auth']);
  if (requireAuth && values.config === undefined) throw new Error('--require-auth needs --config FILE (where the users and keys are)');
  const trusted = values['trusted-proxy'];
  if ((values['proxy-port'] === undefined) !== (trusted.length === 0)) throw new Error('--proxy-port and --trusted-proxy go together');

  const accessFile = values['access-log'] === undefined ? null : createWriteStream(values['access-log'], { flags: 'a', mode: 0o600 });
  accessFile?.on('error', (error) => {
    console.error(`error: access log ${values['access-log']}: ${error.message}`);
    process.exit(1);
  });
  const operationsLog = values.quiet ? silentLogger : jsonLogger();
  const accessLog = accessFile ? jsonLogger((line) => accessFile.write(line)) : values.quiet ? silentLogger : jsonLogger((line) => process.stdout.write(line));
  const log: Logger = splitLogger(accessLog, operationsLog);

  const config = values.config === undefined ? null : await openConfig(values.config);
  if (config?.created) console.log(`Created ${config.file} (signing key ${config.settings.signingKeys.active()?.id}); its secrets are sealed with ${config.file}.key or AIRLOCK_CONFIG_KEY`);
  if (!config) log.warn('server.open', { hint: 'no --config: every connect, publish and play is allowed' });
  const files = await certificateFiles(values.cert, values.key, values.config);
  const certificate = files && (await loadCertificate(files));

  const options: MediaServerOptions = {
    host: values.host,
    rtmpPort: values['no-rtmp'] ? null : port(values['rtmp-port'], 1935, '--rtmp-port'),
    httpPort: port(values['http-port'], 8000, '--http-port'),
    certificate: certificate ?? undefined,
    rtmpsPort: port(values['rtmps-port'], 1936, '--rtmps-port'),
    httpsPort: values['https-port'] === undefined ? null : port(values['https-port'], 0, '--https-port'),
    proxy: values['proxy-port'] === undefined ? undefined : { port: port(values['proxy-port'], 0, '--proxy-port'), trusted: new TrustedProxies(trusted) },
    authorize: config ? securityAuthorizer({ settings: config.settings, requireAuth, log }) : undefined,
    writeCoalesceMs: milliseconds(values['write-coalesce-ms'], '--write-coalesce-ms'),
    log,
  };
  if (options.rtmpPort === null && !certificate && !options.proxy) throw new Error('--no-rtmp leaves no RTMP listener: give --config or --cert/--key for RTMPS, or --proxy-port');
  const server = new MediaServer(options);
  const { rtmp, http, rtmps, https, proxy } = await server.start();
  const stopWatching = files && watchCertificate(files, (loaded) => server.setCertificate(loaded), { onError: (error) => log.warn('tls.reload-failed', { reason: error.message }) });

  const host = values.host.includes(':') ? `[${values.host}]` : values.host;
  const urls = [
    rtmp && `rtmp://${host}:${rtmp.port}/APP/STREAM`,
    rtmps && `rtmps://${host}:${rtmps.port}/APP/STREAM`,
    proxy && `PROXY-protocol rtmp on ${host}:${proxy.port}`,
    http && `http://${host}:${http.port}/APP/STREAM.flv  ws://${host}:${http.port}/APP/STREAM.flv  stats http://${host}:${http.port}/api/stats`,
    https && `https://${host}:${https.port}/APP/STREAM.flv  wss://${host}:${https.port}/APP/STREAM.flv`,
  ].filter(Boolean);
  if (files && certificate) console.log(`RTMPS certificate: ${files.certFile} SHA-256 ${certificate.fingerprint256}`);
  console.log(`Airlock media server ready: ${urls.join('  ')}`);
  const shutdown = (signal: string) => {
    console.log(`${signal}: stopping`);
    stopWatching?.();
    server.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`error: ${redact(error instanceof Error ? error.message : String(error))}\n${USAGE}`);
  process.exit(1);
});
