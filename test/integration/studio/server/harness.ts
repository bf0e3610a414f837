// A ServerService over real forked server processes (the TypeScript entry under tsx) on ports picked at run time,
// with a real certificate store and vault in a temporary directory, recording every event it emits.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { defaultSecurityDocument, type SecurityDocument } from '../../../../src/server/auth/security-document';
import type { ServerChild } from '../../../../src/server/host/channel';
import { forkServerChild } from '../../../../src/server/host/node-channel';
import type { EventName, EventPayload } from '../../../../src/shared/ipc';
import { defaultSettings, type Settings } from '../../../../src/shared/settings';
import { FileVault } from '../../../../src/studio/secrets/file-vault';
import { CertificateStore } from '../../../../src/studio/server/certificate-store';
import { ServerService, type ServerServiceDeps } from '../../../../src/studio/server/server-service';
import { ClientPool } from '../../../interop/support/client-process';
import { Watch } from '../../../support/wait';

const ENTRY = fileURLToPath(new URL('../../../../src/server/host/node-entry.ts', import.meta.url));
// Starting node with the TypeScript loader takes a while on a busy 2-core machine.
export const STARTUP_MS = 20_000;

export interface Emitted {
  name: EventName;
  payload: unknown;
}

export interface StudioServer {
  service: ServerService;
  /** Every server process the service spawned, in order. */
  children: ServerChild[];
  /** Change freely: the service reads them on each start (and updateSecurity). */
  settings: Settings;
  security: SecurityDocument;
  certificates: CertificateStore;
  events: Emitted[];
  /** Payloads of one event, in order. */
  payloads<N extends EventName>(name: N): EventPayload<N>[];
  /** Resolves with the first payload of `name` (seen already or to come) that `match` accepts. */
  waitForEvent<N extends EventName>(name: N, match: (payload: EventPayload<N>) => boolean, what: string, timeoutMs?: number): Promise<EventPayload<N>>;
}

/** Opens StudioServers for a test and stops them, their clients and their files after it. */
export function useStudioServer() {
  const opened: Array<{ service: ServerService; dir: string }> = [];
  const clients = new ClientPool();
  afterEach(async () => {
    await clients.killAll();
    for (const { service, dir } of opened.splice(0)) {
      await service.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  async function open(configure: (settings: Settings) => void = () => {}, deps: Partial<ServerServiceDeps> = {}): Promise<StudioServer> {
    const dir = await mkdtemp(join(tmpdir(), 'airlock-studio-server-'));
    const vault = FileVault.open({ keyFile: join(dir, 'vault.key'), env: {} });
    const certificates = new CertificateStore({ dir: join(dir, 'certificates'), vault });
    const fork = forkServerChild(ENTRY, { execArgv: ['--import', 'tsx'] });
    const watch = new Watch();
    const settings = defaultSettings();
    configure(settings);
    const server: StudioServer = {
      children: [],
      settings,
      security: defaultSecurityDocument(),
      certificates,
      events: [],
      payloads: <N extends EventName>(name: N) => server.events.filter((event) => event.name === name).map(({ payload }) => payload as EventPayload<N>),
      waitForEvent: (name, match, what, timeoutMs = STARTUP_MS) => watch.until(() => server.payloads(name).find(match), what, timeoutMs),
      service: undefined as unknown as ServerService,
    };
    server.service = new ServerService({
      spawnChild: () => server.children[server.children.push(fork()) - 1],
      settings: () => server.settings,
      security: () => server.security,
      certificates,
      emit: (name, payload) => {
        server.events.push({ name, payload });
        watch.notify();
      },
      portsOverride: { rtmpPort: 0, httpPort: 0, rtmpsPort: 0 },
      host: { startTimeoutMs: STARTUP_MS, initialDelayMs: 100 },
      ...deps,
    });
    opened.push({ service: server.service, dir });
    return server;
  }

  return { open, clients };
}
