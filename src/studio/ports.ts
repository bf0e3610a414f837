// What the studio services need from their host: Electron in the app, plain Node in tests and e2e.
import type { EventName, EventPayload, SecretStorageInfo } from '../shared/ipc';

/** Pushes one event to the renderer (webContents.send in main, the page bridge in e2e). */
export type Emit = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

/** Encrypts secrets at rest: safeStorage in the app, a sealed key file in plain Node. */
export interface SecretVault {
  readonly info: SecretStorageInfo;
  /** Ciphertext as text, safe to write into a JSON file. */
  seal(plain: string): string;
  /** Throws when the ciphertext was altered or sealed by another key. */
  open(sealed: string): string;
}
