import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensureSelfSigned, loadCertificate } from '../../../../src/server/tls';

const DAY_MS = 24 * 60 * 60 * 1000;
const NOW = new Date('2030-01-15T12:00:00Z');
const at = (date: Date) => () => date;
const machineName = hostname().toLowerCase();

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'airlock-tls-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const certificateIn = async (certFile: string) => new X509Certificate(await readFile(certFile));
const fingerprintIn = async (certFile: string) => (await certificateIn(certFile)).fingerprint256;
const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe('ensureSelfSigned', () => {
  it('generates cert.pem and key.pem on first run', async () => {
    const files = await ensureSelfSigned(dir, { now: at(NOW) });
    expect(files).toEqual({ certFile: join(dir, 'cert.pem'), keyFile: join(dir, 'key.pem'), generated: true });
    expect((await readdir(dir)).sort()).toEqual(['cert.pem', 'key.pem']);
  });

  it('covers exactly localhost, 127.0.0.1 as DNS and IP, ::1, the host name and the extra names', async () => {
    const { certFile } = await ensureSelfSigned(dir, { now: at(NOW), hostnames: ['studio.example', '192.0.2.7'] });
    const names = (await certificateIn(certFile)).subjectAltName!.split(', ');
    const expected = new Set([
      'DNS:localhost',
      'DNS:127.0.0.1',
      'IP Address:127.0.0.1',
      'IP Address:0:0:0:0:0:0:0:1',
      `DNS:${machineName}`,
      'DNS:studio.example',
      'DNS:192.0.2.7',
      'IP Address:192.0.2.7',
    ]);
    expect(names).toHaveLength(expected.size);
    expect(new Set(names)).toEqual(expected);
  });

  it('makes an RSA 2048 key, a SHA-256 signature and a one-year end-entity certificate for TLS servers', async () => {
    const { certFile } = await ensureSelfSigned(dir, { now: at(NOW) });
    const node = await certificateIn(certFile);
    expect(node.publicKey.asymmetricKeyType).toBe('rsa');
    expect(node.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(node.ca).toBe(false);
    expect(node.verify(node.publicKey)).toBe(true);
    expect(new Date(node.validTo).getTime() - NOW.getTime()).toBe(365 * DAY_MS);
    expect(new Date(node.validFrom).getTime()).toBeLessThanOrEqual(NOW.getTime());
    const parsed = new x509.X509Certificate(await readFile(certFile, 'latin1'));
    expect(parsed.signatureAlgorithm).toMatchObject({ name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } });
    expect(parsed.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([x509.ExtendedKeyUsage.serverAuth]);
  });

  it('writes the key readable by its owner only and the certificate readable by all', async () => {
    const { certFile, keyFile } = await ensureSelfSigned(dir, { now: at(NOW) });
    expect(await mode(keyFile)).toBe(0o600);
    expect(await mode(certFile)).toBe(0o644);
  });

  it('writes a key that matches the certificate', async () => {
    const files = await ensureSelfSigned(dir, { now: at(NOW) });
    await expect(loadCertificate(files)).resolves.toMatchObject({ fingerprint256: await fingerprintIn(files.certFile) });
  });

  it('keeps a certificate that is valid for more than 30 days and covers the names', async () => {
    const first = await ensureSelfSigned(dir, { now: at(NOW), hostnames: ['studio.example'] });
    const before = await fingerprintIn(first.certFile);
    const again = await ensureSelfSigned(dir, { now: at(new Date(NOW.getTime() + 334 * DAY_MS)), hostnames: ['studio.example'] });
    expect(again.generated).toBe(false);
    expect(await fingerprintIn(again.certFile)).toBe(before);
  });

  it('keeps a certificate that covers more names than asked for', async () => {
    await ensureSelfSigned(dir, { now: at(NOW), hostnames: ['studio.example'] });
    expect((await ensureSelfSigned(dir, { now: at(NOW) })).generated).toBe(false);
  });

  it('replaces a certificate that expires within 30 days', async () => {
    const first = await ensureSelfSigned(dir, { now: at(NOW) });
    const before = await fingerprintIn(first.certFile);
    const later = new Date(NOW.getTime() + 336 * DAY_MS);
    const again = await ensureSelfSigned(dir, { now: at(later) });
    expect(again.generated).toBe(true);
    expect(await fingerprintIn(again.certFile)).not.toBe(before);
    expect(new Date((await certificateIn(again.certFile)).validTo).getTime()).toBe(later.getTime() + 365 * DAY_MS);
  });

  it('replaces a certificate that has expired', async () => {
    await ensureSelfSigned(dir, { now: at(NOW) });
    expect((await ensureSelfSigned(dir, { now: at(new Date(NOW.getTime() + 400 * DAY_MS)) })).generated).toBe(true);
  });

  it('replaces a certificate that is not valid yet (the clock went back)', async () => {
    await ensureSelfSigned(dir, { now: at(NOW) });
    expect((await ensureSelfSigned(dir, { now: at(new Date(NOW.getTime() - DAY_MS)) })).generated).toBe(true);
  });

  it('replaces a certificate that does not cover a newly wanted name', async () => {
    await ensureSelfSigned(dir, { now: at(NOW), hostnames: ['studio.example'] });
    const again = await ensureSelfSigned(dir, { now: at(NOW), hostnames: ['studio.example', 'edge.example'] });
    expect(again.generated).toBe(true);
    expect((await certificateIn(again.certFile)).subjectAltName).toContain('DNS:edge.example');
  });

  it('replaces a pair whose key does not match', async () => {
    const files = await ensureSelfSigned(dir, { now: at(NOW) });
    const other = await mkdtemp(join(tmpdir(), 'airlock-tls-other-'));
    try {
      const stranger = await ensureSelfSigned(other, { now: at(NOW) });
      await writeFile(files.keyFile, await readFile(stranger.keyFile));
    } finally {
      await rm(other, { recursive: true, force: true });
    }
    expect((await ensureSelfSigned(dir, { now: at(NOW) })).generated).toBe(true);
    await expect(loadCertificate(files)).resolves.toBeDefined();
  });

  it('creates a missing directory, readable by its owner only', async () => {
    const nested = join(dir, 'config', 'tls');
    const files = await ensureSelfSigned(nested, { now: at(NOW) });
    expect(files.generated).toBe(true);
    expect(await mode(nested)).toBe(0o700);
  });

  it('refuses an extra name that is neither a host name nor an address, writing nothing', async () => {
    await expect(ensureSelfSigned(dir, { now: at(NOW), hostnames: ['bad name'] })).rejects.toThrow(RangeError);
    expect(await readdir(dir)).toEqual([]);
  });
});
