// The Server screen's service as the app runs it: the media server in an Electron utility process, the RTMPS
// certificate under userData with its key sealed by the app's vault.
import { join } from 'node:path';
import { app } from 'electron';
import type { SecretVault } from '../studio/ports';
import { CertificateStore, ServerService, type ServerServiceDeps } from '../studio/server';
import { utilityServerChild } from './utility-child';

export type AppServerDeps = Pick<ServerServiceDeps, 'settings' | 'security' | 'emit' | 'serverLog'> & { vault: SecretVault };

/** Call after app 'ready' (utility processes cannot be forked before). */
export function createServerService(deps: AppServerDeps): ServerService {
  const { vault, ...rest } = deps;
  return new ServerService({
    ...rest,
    spawnChild: utilityServerChild(),
    certificates: new CertificateStore({ dir: join(app.getPath('userData'), 'certificates'), vault }),
  });
}
