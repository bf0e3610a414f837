import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateSelfSigned, type SelfSignedPem } from '../../../../src/server/tls/generate-self-signed';
import { FileVault } from '../../../../src/studio/secrets/file-vault';
import { CERT_FILE, CertificateStore, KEY_FILE } from '../../../../src/studio/server/certificate-store';

const DAY_MS = 24 * 60 * 60 * 1000;
let dir: string;
let vault: FileVault;
let other: SelfSignedPem;
let stranger: SelfSignedPem;

beforeAll(async () => {
  [other, stranger] = await Promise.all([generateSelfSigned(['DNS:example.test'], new Date()), generateSelfSigned(['DNS:example.test'], new Date())]);
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-certs-'));
  vault = FileVault.open({ keyFile: join(dir, 'vault.key'), env: {} });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const store = (now = () => new Date()) => new CertificateStore({ dir: join(dir, 'tls'), vault, now });
const keyLines = (pem: string) => pem.split('\n').filter((line) => line.length > 0 && !line.startsWith('-----'));

describe('CertificateStore', () => {
  it('makes a self-signed certificate on first need with the names OBS checks, and never writes its key in plain', async () => {
    const { pem, info } = await store().ensure([]);
    expect(info).toMatchObject({ source: 'generated', subject: 'CN=localhost, O=Airlock Studio' });
    expect(info.names).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', '::1']));
    const x509 = new X509Certificate(pem.certPem);
    expect(x509.subjectAltName).toContain('DNS:127.0.0.1');
    expect(x509.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(info.fingerprint256).toBe(x509.fingerprint256);
    expect(await readdir(join(dir, 'tls'))).toEqual([CERT_FILE, KEY_FILE].sort());
    const keyFile = await readFile(join(dir, 'tls', KEY_FILE), 'utf8');
    expect(keyFile).not.toContain('PRIVATE KEY');
    for (const line of keyLines(pem.keyPem)) expect(keyFile).not.toContain(line);
    expect((await stat(join(dir, 'tls', KEY_FILE))).mode & 0o077).toBe(0);
  });

  it('serves the stored certificate again, from a new store over the same directory', async () => {
    const first = await store().ensure([]);
    const again = store();
    expect(again.info).toBeUndefined();
    expect((await again.ensure([])).info.fingerprint256).toBe(first.info.fingerprint256);
    expect(again.info).toEqual(first.info);
  });

  it('renews a generated certificate that misses a LAN address, or is within 30 days of its end', async () => {
    const first = await store().ensure([]);
    const withLan = await store().ensure(['192.0.2.10']);
    expect(withLan.info.fingerprint256).not.toBe(first.info.fingerprint256);
    expect(withLan.info.names).toContain('192.0.2.10');
    const later = await store(() => new Date(Date.now() + 340 * DAY_MS)).ensure(['192.0.2.10']);
    expect(later.info.fingerprint256).not.toBe(withLan.info.fingerprint256);
  });

  it('imports a PEM pair and keeps serving it, whatever names the server needs', async () => {
    const imported = await store().import(other.cert, other.key);
    expect(imported.info).toMatchObject({ source: 'imported', names: ['example.test'], fingerprint256: new X509Certificate(other.cert).fingerprint256 });
    expect((await store().ensure(['192.0.2.10'])).info.fingerprint256).toBe(imported.info.fingerprint256);
  });

  it.each([
    ['a key that belongs to another certificate', () => [other.cert, stranger.key], 'does not belong'],
    ['text that is no certificate', () => ['hello', other.key], 'holds no PEM certificate'],
    ['a key with a passphrase or in no PEM form', () => [other.cert, 'not a key'], 'holds no unencrypted PEM private key'],
  ])('refuses %s with CERTIFICATE_INVALID, keeping what it had', async (_name, pair, words) => {
    const kept = await store().ensure([]);
    const [cert, key] = pair();
    const error = await store().import(cert, key).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'StudioError', code: 'CERTIFICATE_INVALID', message: expect.stringContaining(words), hint: expect.any(String) });
    for (const line of keyLines(stranger.key)) expect((error as Error).message).not.toContain(line);
    expect((await store().current())?.info.fingerprint256).toBe(kept.info.fingerprint256);
  });

  it('refuses an expired certificate', async () => {
    const old = await generateSelfSigned(['DNS:localhost'], new Date(Date.now() - 400 * DAY_MS));
    await expect(store().import(old.cert, old.key)).rejects.toMatchObject({ code: 'CERTIFICATE_INVALID', message: expect.stringContaining('expired') });
  });

  it('reports a key sealed under another vault key as SECRET_STORAGE, not as a missing certificate', async () => {
    await store().ensure([]);
    vault = FileVault.open({ keyFile: join(dir, 'other-vault.key'), env: {} });
    await expect(store().current()).rejects.toMatchObject({ code: 'SECRET_STORAGE' });
  });
});
