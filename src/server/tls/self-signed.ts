// The self-signed certificate a fresh install serves RTMPS with: made on first run, kept while it is good.
import { mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { generateSelfSigned } from './generate-self-signed';
import { loadCertificate, type CertificateFiles, type LoadedCertificate } from './load-certificate';
import { isHostName, LOOPBACK_NAMES, subjectAltNamesFor } from './subject-alt-names';
import { writeFileAtomic } from './write-file-atomic';

export interface SelfSignedOptions {
  /** Host names and addresses to cover besides localhost, 127.0.0.1, ::1 and the machine's host name. */
  hostnames?: readonly string[];
  /** The clock; tests move it. */
  now?: () => Date;
}

export interface SelfSignedFiles extends CertificateFiles {
  /** True when a new certificate was written, false when the one on disk was kept. */
  generated: boolean;
}

export const CERT_FILE_NAME = 'cert.pem';
export const KEY_FILE_NAME = 'key.pem';
// A certificate this close to its end is replaced, so no client meets an expired one between two starts.
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

/** The SAN entries a self-signed certificate carries: the loopback names, this machine's name, and `hostnames`. */
export function selfSignedNames(hostnames: readonly string[] = []): string[] {
  const machine = hostname();
  return subjectAltNamesFor([...LOOPBACK_NAMES, ...(isHostName(machine) ? [machine] : []), ...hostnames]);
}

/** Whether `loaded` may still be served at `now` for every name in `wanted` (valid, and not within 30 days of its end). */
export function stillGood(loaded: LoadedCertificate, wanted: readonly string[], now: Date): boolean {
  const names = new Set(loaded.subjectAltNames);
  return loaded.notBefore <= now && loaded.notAfter.getTime() - now.getTime() > RENEW_BEFORE_MS && wanted.every((name) => names.has(name));
}

/**
 * Makes sure `dir` holds cert.pem and key.pem for the wanted names, valid for more than 30 days: keeps a pair that is,
 * replaces anything else (missing, unreadable, not a pair, expiring, missing a name). Only for a directory this server owns.
 */
export async function ensureSelfSigned(dir: string, options: SelfSignedOptions = {}): Promise<SelfSignedFiles> {
  const now = (options.now ?? (() => new Date()))();
  const files = { certFile: join(dir, CERT_FILE_NAME), keyFile: join(dir, KEY_FILE_NAME) };
  const wanted = selfSignedNames(options.hostnames);
  const current = await loadCertificate(files).catch(() => null);
  if (current !== null && stillGood(current, wanted, now)) return { ...files, generated: false };

  const pem = await generateSelfSigned(wanted, now);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Key first: a watcher that sees the new certificate finds its key already in place.
  await writeFileAtomic(files.keyFile, pem.key, 0o600);
  await writeFileAtomic(files.certFile, pem.cert, 0o644);
  return { ...files, generated: true };
}
