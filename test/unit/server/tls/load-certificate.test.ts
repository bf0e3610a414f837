import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../src/server/errors';
import { createTlsOptions, loadCertificate, type CertificateFiles } from '../../../../src/server/tls';
import { generateSelfSigned, type SelfSignedPem } from '../../../../src/server/tls/generate-self-signed';

const NAMES = ['DNS:localhost', 'DNS:127.0.0.1', 'IP:127.0.0.1', 'IP:::1'];
const NOW = new Date('2030-01-15T12:00:00Z');

let dir: string;
let pair: SelfSignedPem;
let stranger: SelfSignedPem;
let files: CertificateFiles;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-tls-load-'));
  [pair, stranger] = await Promise.all([generateSelfSigned(NAMES, NOW), generateSelfSigned(NAMES, NOW)]);
  files = { certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem') };
  await Promise.all([writeFile(files.certFile, pair.cert), writeFile(files.keyFile, pair.key)]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes a pair under new names in the test directory. */
async function writePair(name: string, cert: string, key: string): Promise<CertificateFiles> {
  const written = { certFile: join(dir, `${name}.cert.pem`), keyFile: join(dir, `${name}.key.pem`) };
  await Promise.all([writeFile(written.certFile, cert), writeFile(written.keyFile, key)]);
  return written;
}

/** The ProtocolError `loadCertificate` rejects with. */
async function failure(pairFiles: CertificateFiles): Promise<ProtocolError> {
  const error = await loadCertificate(pairFiles).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProtocolError);
  return error as ProtocolError;
}

// Every base64 line of a PEM key: none of them may show up in an error message.
const keyLines = (pem: string) => pem.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));

describe('loadCertificate', () => {
  it('returns the PEM bytes as read', async () => {
    const loaded = await loadCertificate(files);
    expect(loaded.cert.equals(Buffer.from(pair.cert))).toBe(true);
    expect(loaded.key.equals(Buffer.from(pair.key))).toBe(true);
  });

  it('gives the SHA-256 fingerprint as colon-separated upper-case hex, as Node prints it', async () => {
    const loaded = await loadCertificate(files);
    const der = new X509Certificate(pair.cert).raw;
    const expected = createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');
    expect(loaded.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(loaded.fingerprint256).toBe(expected);
    expect(loaded.fingerprint256).toBe(new X509Certificate(pair.cert).fingerprint256);
  });

  it('lists the subject alternative names and the validity period', async () => {
    const loaded = await loadCertificate(files);
    expect(loaded.subjectAltNames).toEqual(NAMES);
    expect(loaded.notAfter).toEqual(new Date(NOW.getTime() + 365 * 24 * 60 * 60 * 1000));
    expect(loaded.notBefore.getTime()).toBeLessThan(NOW.getTime());
  });

  it('rejects a key that does not belong to the certificate, naming both files and showing no key material', async () => {
    const mismatched = await writePair('mismatched', pair.cert, stranger.key);
    const error = await failure(mismatched);
    expect(error.code).toBe('TLS_CERTIFICATE_INVALID');
    expect(error.message).toContain(mismatched.certFile);
    expect(error.message).toContain(mismatched.keyFile);
    for (const line of [...keyLines(stranger.key), ...keyLines(pair.key)]) expect(error.message).not.toContain(line);
  });

  it('rejects a missing key file, naming it', async () => {
    const error = await failure({ certFile: files.certFile, keyFile: join(dir, 'absent.pem') });
    expect(error.code).toBe('TLS_CERTIFICATE_INVALID');
    expect(error.message).toContain(join(dir, 'absent.pem'));
    expect(error.message).toContain('ENOENT');
  });

  it('rejects a certificate file without a certificate, naming it', async () => {
    const garbage = await writePair('garbage-cert', 'not a certificate\n', pair.key);
    const error = await failure(garbage);
    expect(error.code).toBe('TLS_CERTIFICATE_INVALID');
    expect(error.message).toContain(garbage.certFile);
  });

  it('rejects a key file that holds a certificate instead of a key, naming it', async () => {
    const swapped = await writePair('swapped', pair.cert, pair.cert);
    const error = await failure(swapped);
    expect(error.code).toBe('TLS_CERTIFICATE_INVALID');
    expect(error.message).toContain(swapped.keyFile);
  });

  it('rejects a truncated key without echoing what it read', async () => {
    const truncated = pair.key.slice(0, 400);
    const broken = await writePair('truncated', pair.cert, truncated);
    const error = await failure(broken);
    expect(error.code).toBe('TLS_CERTIFICATE_INVALID');
    for (const line of keyLines(truncated)) expect(error.message).not.toContain(line);
  });
});

describe('createTlsOptions', () => {
  it('speaks TLS 1.2 only by default, for librtmp and OBS', async () => {
    const options = createTlsOptions(await loadCertificate(files));
    expect(options.minVersion).toBe('TLSv1.2');
    expect(options.maxVersion).toBe('TLSv1.2');
  });

  it('allows TLS 1.3 when asked, never less than 1.2', async () => {
    const options = createTlsOptions(await loadCertificate(files), { maxVersion: 'TLSv1.3' });
    expect(options.minVersion).toBe('TLSv1.2');
    expect(options.maxVersion).toBe('TLSv1.3');
  });

  it('makes a secure context from the loaded pair', async () => {
    const loaded = await loadCertificate(files);
    const options = createTlsOptions(loaded);
    expect(options.cert).toBe(loaded.cert);
    expect(options.key).toBe(loaded.key);
    expect(() => createSecureContext(options)).not.toThrow();
  });
});
