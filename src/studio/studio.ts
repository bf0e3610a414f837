// The studio's services wired together: settings, secrets, keys, the media server process, capture and the test bench.
// Main builds one with Electron's parts; the e2e tests build one in plain Node with the same handlers.
import { join } from 'node:path';
import type { SpawnChild } from '../server/host/channel';
import type { RequestHandlers } from '../shared/ipc/contract';
import { StudioError } from '../shared/ipc/errors';
import type { Settings } from '../shared/settings';
import { CaptureService, PreviewLinks, TestBench, type EncoderTuning } from './capture';
import { captureHandlers } from './capture/handlers';
import { keysHandlers } from './keys/handlers';
import { KeysService } from './keys/keys-service';
import type { Emit, SecretVault } from './ports';
import { CertificateStore, ServerService, serverHandlers, type ServerServiceDeps } from './server';
import { openSettings, type CreateSettingsStore, type SettingsService } from './settings';

export interface StudioOptions {
  /** Where settings.json, keys.json and the certificate live: app.getPath('userData') in the app. */
  dataDir: string;
  vault: SecretVault;
  createSettingsStore: CreateSettingsStore;
  spawnServer: SpawnChild;
  /** Null when no ffmpeg was found: capture and the test bench then say so. */
  ffmpegPath: string | null;
  emit: Emit;
  version: string;
  /** Tests: ports 0, quicker restarts. */
  server?: Pick<ServerServiceDeps, 'portsOverride' | 'host' | 'serverLog'>;
  encoder?: EncoderTuning;
}

export interface Studio {
  readonly handlers: RequestHandlers;
  readonly settings: SettingsService;
  readonly server: ServerService;
  readonly keys: KeysService;
  readonly capture: CaptureService;
  readonly testBench: TestBench;
  /** Starts the server when the settings ask for it; a failure shows in the server's status, not here. */
  start(): Promise<void>;
  /** Ends capture, the test bench and the server; everything is on disk when it resolves. */
  stop(): Promise<void>;
}

// Changes to these need the running server to hear its security document again.
const securityChanged = (before: Settings, after: Settings): boolean =>
  before.policy.publish !== after.policy.publish || before.policy.play !== after.policy.play || before.server.tokenWindowSeconds !== after.server.tokenWindowSeconds;

export async function createStudio(options: StudioOptions): Promise<Studio> {
  const { dataDir, vault, emit } = options;
  const settings = openSettings({ dir: dataDir, createStore: options.createSettingsStore, emit });
  const currentSettings = (): Settings => settings.get();
  const certificates = new CertificateStore({ dir: join(dataDir, 'certificates'), vault });
  // The keys service and the server need each other: keys for the server's security, the server's endpoints for the
  // shares. The server asks for its document only when it starts, after keyService exists.
  const server = new ServerService({
    ...options.server,
    spawnChild: options.spawnServer,
    settings: currentSettings,
    security: () => keyService.securityDocument(),
    certificates,
    emit,
  });
  const keyService = await KeysService.open({ file: join(dataDir, 'keys.json'), vault, settings: currentSettings, endpoints: () => server.endpoints() });
  // A revocation must reach the server: if the running process did not take the document, a fresh one starts with it.
  const applySecurity = (): void =>
    void server.updateSecurity().catch(() =>
      server
        .stop()
        .then(() => server.start())
        .catch(() => undefined),
    );
  keyService.on('changed', (snapshot) => emit('keys.changed', snapshot));
  keyService.on('security', applySecurity);
  settings.onChange((next, previous) => {
    if (securityChanged(previous, next)) applySecurity();
  });

  const ffmpegPath = options.ffmpegPath;
  const encoderDeps = {
    ffmpegPath: ffmpegPath ?? '',
    target: () => {
      const endpoints = server.endpoints();
      return { rtmpUrl: endpoints.rtmp, rtmpsUrl: endpoints.rtmps };
    },
    publishQuery: (app: string, stream: string) => keyService.studioPublishQuery(app, stream),
    settings: currentSettings,
    emit,
    tuning: options.encoder,
  };
  const capture = new CaptureService(encoderDeps);
  const testBench = new TestBench(encoderDeps);
  const previews = new PreviewLinks({ httpUrl: () => server.endpoints().http, playQuery: (app, stream, ttl) => keyService.studioPlayQuery(app, stream, ttl) });
  const needFfmpeg = <T extends (...args: never[]) => Promise<unknown>>(run: T): T =>
    ((...args) => {
      if (ffmpegPath === null) throw new StudioError('ENCODER_FAILED', 'No ffmpeg was found, so nothing can be encoded', 'Reinstall Airlock Studio, or set FFMPEG_BIN to an ffmpeg binary.');
      return run(...args);
    }) as T;

  const encoding = captureHandlers(capture, testBench, previews);
  const handlers: RequestHandlers = {
    'app.info': async () => ({
      version: options.version,
      platform: process.platform,
      secretStorage: vault.info,
      settingsRecoveredFrom: settings.recoveredFrom,
      ffmpegPath,
    }),
    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => settings.update(patch),
    ...serverHandlers(server),
    ...keysHandlers(keyService),
    ...encoding,
    'capture.start': needFfmpeg(encoding['capture.start']),
    'testBench.start': needFfmpeg(encoding['testBench.start']),
  };

  return {
    handlers,
    settings,
    server,
    keys: keyService,
    capture,
    testBench,
    start: async () => {
      if (settings.get().server.autoStart) await server.start().catch(() => undefined);
    },
    stop: async () => {
      await Promise.allSettled([capture.close(), testBench.stop()]);
      await server.stop();
      await keyService.flush();
    },
  };
}
