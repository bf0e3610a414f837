// The real studio services in plain Node for e2e tests and the capture bench: createStudio with a file vault, Conf
// settings and forked server processes (the TypeScript entry under tsx) in a data directory, on ports picked at run
// time. Events go to whichever page is connected, and are kept so Node can wait on them too.
import { fileURLToPath } from 'node:url';
import { resolveFfmpegPath } from '../../../src/encoder/ffmpeg-path';
import { forkServerChild } from '../../../src/server/host/node-channel';
import type { EventName, EventPayload } from '../../../src/shared/ipc';
import type { Emit } from '../../../src/studio/ports';
import { FileVault } from '../../../src/studio/secrets/file-vault';
import { nodeSettingsStore } from '../../../src/studio/settings/node-store';
import { createStudio, type Studio } from '../../../src/studio/studio';
import { Watch } from '../../support/wait';

const SERVER_ENTRY = fileURLToPath(new URL('../../../src/server/host/node-entry.ts', import.meta.url));
/** Starting node with the TypeScript loader takes a while on a busy 2-core machine. */
const SERVER_STARTUP_MS = 30_000;

export interface Emitted {
  name: EventName;
  payload: unknown;
}

export interface StudioServices {
  studio: Studio;
  /** Every event the services emitted, in order. */
  events: Emitted[];
  /** Sends later events to this page bridge (and still keeps them here). */
  connect(emit: Emit): void;
  /** The first payload of `name` (already emitted or to come) that `match` accepts. */
  waitForEvent<N extends EventName>(name: N, match: (payload: EventPayload<N>) => boolean, what: string, timeoutMs?: number): Promise<EventPayload<N>>;
}

/** Opens the services on `dataDir` (settings, keys and certificate persist there) and starts them as the app does. */
export async function openStudioServices(dataDir: string): Promise<StudioServices> {
  const watch = new Watch();
  const events: Emitted[] = [];
  let forward: Emit | null = null;
  const emit: Emit = (name, payload) => {
    events.push({ name, payload });
    watch.notify();
    forward?.(name, payload);
  };
  const studio = await createStudio({
    dataDir,
    // The key comes from the file beside the data, never from the environment, so a restart reads what it sealed.
    vault: FileVault.open({ keyFile: `${dataDir}/vault.key`, env: {} }),
    createSettingsStore: nodeSettingsStore,
    spawnServer: forkServerChild(SERVER_ENTRY, { execArgv: ['--import', 'tsx'] }),
    ffmpegPath: await resolveFfmpegPath(process.env, '/usr/bin/ffmpeg'),
    emit,
    version: 'e2e',
    server: { portsOverride: { rtmpPort: 0, httpPort: 0, rtmpsPort: 0 }, host: { startTimeoutMs: SERVER_STARTUP_MS, initialDelayMs: 100 } },
    encoder: { initialBackoffMs: 200, stopGraceMs: 3000 },
  });
  await studio.start();
  const payloads = <N extends EventName>(name: N) => events.filter((event) => event.name === name).map(({ payload }) => payload as EventPayload<N>);
  return {
    studio,
    events,
    connect: (target) => {
      forward = target;
    },
    waitForEvent: (name, match, what, timeoutMs = SERVER_STARTUP_MS) => watch.until(() => payloads(name).find(match), what, timeoutMs),
  };
}
