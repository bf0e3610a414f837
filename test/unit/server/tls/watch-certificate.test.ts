import { X509Certificate } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../src/server/errors';
import { watchCertificate, type CertificateFiles, type LoadedCertificate } from '../../../../src/server/tls';
import { generateSelfSigned, type SelfSignedPem } from '../../../../src/server/tls/generate-self-signed';
import { timePasses, waitFor } from '../../../support/wait';

const NAMES = ['DNS:localhost', 'IP:127.0.0.1'];
const INTERVAL_MS = 20;
const OPTIONS = { intervalMs: INTERVAL_MS, debounceMs: 150, retryMs: 60, maxAttempts: 3 };

let first: SelfSignedPem;
let second: SelfSignedPem;
let dir: string;
let files: CertificateFiles;
let loads: LoadedCertificate[];
let errors: Error[];
let stop: (() => void) | undefined;

beforeAll(async () => {
  [first, second] = await Promise.all([generateSelfSigned(NAMES, new Date()), generateSelfSigned(NAMES, new Date())]);
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-tls-watch-'));
  files = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
  await Promise.all([writeFile(files.certFile, first.cert), writeFile(files.keyFile, first.key)]);
  loads = [];
  errors = [];
});

afterEach(async () => {
  stop?.();
  stop = undefined;
  await rm(dir, { recursive: true, force: true });
});

// Replaces a file the way a renewal tool does: write beside it, rename over it.
async function replace(file: string, content: string): Promise<void> {
  await writeFile(`${file}.new`, content);
  await rename(`${file}.new`, file);
}

const fingerprintOf = (pem: SelfSignedPem) => new X509Certificate(pem.cert).fingerprint256;

const watch = (options = {}) => {
  stop = watchCertificate(files, (loaded) => loads.push(loaded), { ...OPTIONS, onError: (error) => errors.push(error), ...options });
};

describe('watchCertificate', () => {
  it('loads a pair written one file after the other once', { timeout: 5000 }, async () => {
    watch();
    await timePasses(3 * INTERVAL_MS);
    await replace(files.certFile, second.cert);
    await timePasses(2 * INTERVAL_MS);
    await replace(files.keyFile, second.key);
    await waitFor(() => loads.length > 0, 'a reload', 3000);
    await timePasses(400);
    expect(loads).toHaveLength(1);
    expect(loads[0].fingerprint256).toBe(fingerprintOf(second));
    expect(errors).toEqual([]);
  });

  it('reports a mismatched pair mid-rotation and retries it, then loads the completed pair', { timeout: 5000 }, async () => {
    watch();
    await timePasses(3 * INTERVAL_MS);
    await replace(files.certFile, second.cert);
    // Several failures with no file change in between: the retries, not the polling, load it again.
    await waitFor(() => errors.length >= 2, 'two failed loads', 3000);
    expect(loads).toEqual([]);
    expect(errors.every((error) => error instanceof ProtocolError && error.code === 'TLS_CERTIFICATE_INVALID')).toBe(true);
    await replace(files.keyFile, second.key);
    await waitFor(() => loads.length > 0, 'a reload', 3000);
    expect(loads[0].fingerprint256).toBe(fingerprintOf(second));
  });

  it('stops retrying after maxAttempts until the files change again', { timeout: 5000 }, async () => {
    watch();
    await timePasses(3 * INTERVAL_MS);
    await replace(files.keyFile, second.key);
    await waitFor(() => errors.length >= OPTIONS.maxAttempts, 'every attempt', 3000);
    await timePasses(4 * OPTIONS.retryMs);
    expect(errors).toHaveLength(OPTIONS.maxAttempts);
    await replace(files.certFile, second.cert);
    await waitFor(() => loads.length > 0, 'a reload', 3000);
  });

  it('reports an error thrown by onChange without stopping', { timeout: 5000 }, async () => {
    stop = watchCertificate(
      files,
      () => {
        throw new Error('setSecureContext refused');
      },
      { ...OPTIONS, onError: (error) => errors.push(error) },
    );
    await timePasses(3 * INTERVAL_MS);
    await replace(files.certFile, first.cert);
    await waitFor(() => errors.length > 0, 'the error', 3000);
    expect(errors[0].message).toBe('setSecureContext refused');
  });

  it('calls nothing once stopped', { timeout: 5000 }, async () => {
    watch();
    await timePasses(3 * INTERVAL_MS);
    stop!();
    await replace(files.certFile, second.cert);
    await replace(files.keyFile, second.key);
    await timePasses(OPTIONS.debounceMs + 5 * INTERVAL_MS);
    expect(loads).toEqual([]);
    expect(errors).toEqual([]);
  });
});
