// A security config for integration tests: two users, a stream key, the default policy (tokens for publish and play).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConfig, type OpenedConfig } from '../../../src/server/auth/config-file';
import type { ConnectToken } from '../../../src/server/auth/connect-token-builder';
import { securityAuthorizer } from '../../../src/server/auth/policy';
import type { Permission } from '../../../src/server/auth/permissions';
import type { CapturingLogger } from '../../support/capturing-logger';
import { afterEach } from 'vitest';
import { ClientPool } from '../../interop/support/client-process';
import { publishTestPattern } from '../../interop/support/ffmpeg';
import { useRtmpHarness } from '../../support/rtmp-harness';

/** May publish and play. */
export const ALICE = { user: 'alice', password: 'correct horse battery' };
/** May only play. */
export const VIEWER = { user: 'viewer', password: 'popcorn-and-a-film' };

export interface SecurityFixture {
  config: OpenedConfig;
  /** A publish key for live/cam. */
  streamKey: string;
  dir: string;
  remove(): void;
}

export async function securityFixture(): Promise<SecurityFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'airlock-security-'));
  const config = await openConfig(join(dir, 'airlock.json'), { env: { AIRLOCK_CONFIG_KEY: randomBytes(32).toString('base64') } });
  await config.settings.users.add(ALICE.user, ALICE.password, ['publish', 'play']);
  await config.settings.users.add(VIEWER.user, VIEWER.password, ['play']);
  const { key: streamKey } = config.settings.streamKeys.create('live', 'cam');
  return { config, streamKey, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * What every security test opens: the RTMP harness, a pool of real clients, and fixtures;
 * after each test the clients are killed and the fixture's files removed.
 */
export function useSecurityTest() {
  const h = useRtmpHarness();
  const clients = new ClientPool();
  let current: SecurityFixture | undefined;
  afterEach(async () => {
    await clients.killAll();
    current?.remove();
    current = undefined;
  });
  const fixture = async (): Promise<SecurityFixture> => (current = await securityFixture());
  return { h, clients, fixture };
}

/** The server options that apply the fixture's config, logging to the test's logger. */
export const authorizeWith = (fixture: SecurityFixture, log: CapturingLogger, requireAuth?: Permission[]) =>
  securityAuthorizer({ settings: fixture.config.settings, log, requireAuth });

/** ffmpeg's `-rtmp_conn` value that appends the token object to connect. */
export const rtmpConn = (token: Pick<ConnectToken, 'ntoken' | 'ptoken' | 'ttoken' | 'ftoken'>): string[] => [
  '-rtmp_conn',
  `O:1 NS:ntoken:${token.ntoken} NS:ptoken:${token.ptoken} NS:ttoken:${token.ttoken} NS:ftoken:${token.ftoken} O:0`,
];

/** ffmpeg publishing a live test pattern for `seconds` to `url`, with extra output options before the URL. */
export function ffmpegPublish(url: string, seconds: number, options: string[] = []): string[] {
  const command = publishTestPattern(url, { seconds });
  return [...command.slice(0, -1), ...options, url];
}

/** ffmpeg reading `seconds` of `url` and throwing the frames away; input options before -i. */
export const ffmpegPlay = (url: string, seconds: number, options: string[] = []): string[] => [
  'ffmpeg', '-nostdin', '-hide_banner', '-loglevel', 'level+info', '-rw_timeout', '5000000',
  ...options, '-i', url, '-t', String(seconds), '-f', 'null', '-',
];

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
