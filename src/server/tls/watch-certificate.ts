// Reloads a renewed certificate: polls both files, waits for the pair to settle, and hands over a pair that loads.
import { unwatchFile, watchFile } from 'node:fs';
import { loadCertificate, type CertificateFiles, type LoadedCertificate } from './load-certificate';

export interface WatchCertificateOptions {
  /** How often each file's status is polled (default 1000 ms). */
  intervalMs?: number;
  /** Quiet time after the last change before loading, so a pair written one file after the other loads once (default intervalMs). */
  debounceMs?: number;
  /** Wait before trying again a pair that does not load, such as a new certificate whose key is not written yet (default 1000 ms). */
  retryMs?: number;
  /** Loads tried for one change before waiting for the next change (default 10). */
  maxAttempts?: number;
  /** A pair that did not load (a TLS_CERTIFICATE_INVALID ProtocolError), or an error thrown by onChange; never fatal. */
  onError?: (error: Error) => void;
}

const DEFAULT_INTERVAL_MS = 1000;
const DEFAULT_RETRY_MS = 1000;
const DEFAULT_MAX_ATTEMPTS = 10;

/** Calls `onChange` with the loaded pair each time the files change and load; returns a function that stops watching. */
export function watchCertificate(files: CertificateFiles, onChange: (loaded: LoadedCertificate) => void, options: WatchCertificateOptions = {}): () => void {
  const intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const debounceMs = options.debounceMs ?? intervalMs;
  const retryMs = options.retryMs ?? DEFAULT_RETRY_MS;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const report = options.onError ?? (() => {});
  let timer: NodeJS.Timeout | undefined;
  // Counts changes; a load that finishes after a newer change (or after stop) is stale and dropped.
  let change = 0;

  const schedule = (delayMs: number, attempt: number) => {
    clearTimeout(timer);
    timer = setTimeout(() => void load(change, attempt), delayMs);
  };

  const load = async (loadingChange: number, attempt: number) => {
    let loaded: LoadedCertificate;
    try {
      loaded = await loadCertificate(files);
    } catch (error) {
      if (loadingChange !== change) return;
      report(error as Error);
      if (attempt < maxAttempts) schedule(retryMs, attempt + 1);
      return;
    }
    if (loadingChange !== change) return;
    try {
      onChange(loaded);
    } catch (error) {
      report(error as Error);
    }
  };

  const onStat = () => {
    change++;
    schedule(debounceMs, 1);
  };
  // Not persistent: watching a certificate never keeps the process alive on its own.
  for (const file of [files.certFile, files.keyFile]) watchFile(file, { interval: intervalMs, persistent: false }, onStat);

  return () => {
    change++;
    clearTimeout(timer);
    for (const file of [files.certFile, files.keyFile]) unwatchFile(file, onStat);
  };
}
