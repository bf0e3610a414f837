// The studio's RTMPS certificate on disk: cert.pem in plain, its private key only ever sealed by the SecretVault.
import { X509Certificate } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import type { PemCertificate } from '../../server/host/protocol';
import { certificateFromPem, createTlsOptions, selfSignedNames, stillGood, type LoadedCertificate } from '../../server/tls';
import { generateSelfSigned } from '../../server/tls/generate-self-signed';
import { writeFileAtomic } from '../../server/tls/write-file-atomic';
import { StudioError } from '../../shared/ipc/errors';
import type { CertificateInfo } from '../../shared/ipc/server';
import type { SecretVault } from '../ports';

export interface CertificateStoreOptions {
  /** A directory the studio owns (created 0700). */
  dir: string;
  vault: SecretVault;
  /** The clock; tests move it. */
  now?: () => Date;
}

/** A certificate ready to serve: the PEM pair for the server process and what the Server screen shows of it. */
export interface StoredCertificate {
  pem: PemCertificate;
  info: CertificateInfo;
}

type Source = CertificateInfo['source'];

/** key.json: where the certificate came from and its private key, sealed. */
interface KeyFile {
  source: Source;
  sealedKey: string;
}

export const CERT_FILE = 'cert.pem';
export const KEY_FILE = 'key.json';

const IMPORT_HINT = 'Export the certificate chain and its private key as PEM (the key without a passphrase), and check the key belongs to this certificate.';

/** "DNS:localhost", "IP:127.0.0.1" → "localhost", "127.0.0.1", each name once. */
const namesOf = (subjectAltNames: readonly string[]): string[] => [...new Set(subjectAltNames.map((entry) => entry.slice(entry.indexOf(':') + 1)))];

function describe(loaded: LoadedCertificate, source: Source): CertificateInfo {
  return {
    source,
    fingerprint256: loaded.fingerprint256,
    subject: new X509Certificate(loaded.cert).subject.split('\n').join(', '),
    names: namesOf(loaded.subjectAltNames),
    notAfter: loaded.notAfter.toISOString(),
  };
}

const isKeyFile = (value: unknown): value is KeyFile => {
  const record = value as Partial<KeyFile> | null;
  return typeof record === 'object' && record !== null && (record.source === 'generated' || record.source === 'imported') && typeof record.sealedKey === 'string';
};

/**
 * Keeps one certificate in `dir`: a self-signed one made on first need (with the names OBS needs to verify it), or one
 * the user imported. An imported certificate is never replaced behind the user's back; a generated one is renewed when
 * it nears its end or misses a name the server now answers to.
 */
export class CertificateStore {
  private cached: { loaded: LoadedCertificate; stored: StoredCertificate } | null | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: CertificateStoreOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** What the last read or write found; null when there is no certificate, undefined before the first read. */
  get info(): CertificateInfo | null | undefined {
    return this.cached === undefined ? undefined : (this.cached?.stored.info ?? null);
  }

  /** The stored certificate, or null when there is none or its files do not make a pair (a SECRET_STORAGE error when its key cannot be opened). */
  async current(): Promise<StoredCertificate | null> {
    if (this.cached === undefined) this.cached = await this.read();
    return this.cached?.stored ?? null;
  }

  /** The certificate to serve for `hostnames` (besides localhost, the loopback addresses and this machine's name). */
  async ensure(hostnames: readonly string[]): Promise<StoredCertificate> {
    await this.current();
    const cached = this.cached;
    if (cached && (cached.stored.info.source === 'imported' || stillGood(cached.loaded, selfSignedNames(hostnames), this.now()))) return cached.stored;
    return this.generate(hostnames);
  }

  /** Makes and keeps a new self-signed certificate for `hostnames`, replacing whatever was there. */
  async generate(hostnames: readonly string[]): Promise<StoredCertificate> {
    const { cert, key } = await generateSelfSigned(selfSignedNames(hostnames), this.now());
    return this.write('generated', cert, key);
  }

  /** Checks and keeps an imported PEM chain and key; CERTIFICATE_INVALID (with what to try) when they cannot serve RTMPS. */
  async import(certPem: string, keyPem: string): Promise<StoredCertificate> {
    let loaded: LoadedCertificate;
    try {
      loaded = certificateFromPem(Buffer.from(certPem), Buffer.from(keyPem), { cert: 'the certificate', key: 'the private key' });
      createSecureContext(createTlsOptions(loaded));
    } catch (error) {
      throw new StudioError('CERTIFICATE_INVALID', `The certificate cannot be used: ${error instanceof Error ? error.message : String(error)}`, IMPORT_HINT);
    }
    const now = this.now();
    if (loaded.notAfter <= now) throw new StudioError('CERTIFICATE_INVALID', `The certificate expired on ${loaded.notAfter.toISOString()}`, 'Renew it with its issuer, or generate a self-signed one.');
    if (loaded.notBefore > now) throw new StudioError('CERTIFICATE_INVALID', `The certificate is not valid before ${loaded.notBefore.toISOString()}`, "Check this computer's clock, or import a certificate valid now.");
    return this.write('imported', certPem, keyPem);
  }

  // The key first: a crash between the two writes leaves a pair that does not match, which reads as none.
  private async write(source: Source, certPem: string, keyPem: string): Promise<StoredCertificate> {
    const { dir, vault } = this.options;
    const keyFile: KeyFile = { source, sealedKey: vault.seal(keyPem) };
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(join(dir, KEY_FILE), `${JSON.stringify(keyFile)}\n`, 0o600);
    await writeFileAtomic(join(dir, CERT_FILE), certPem, 0o644);
    const loaded = certificateFromPem(Buffer.from(certPem), Buffer.from(keyPem));
    const stored = { pem: { certPem, keyPem }, info: describe(loaded, source) };
    this.cached = { loaded, stored };
    return stored;
  }

  private async read(): Promise<{ loaded: LoadedCertificate; stored: StoredCertificate } | null> {
    const { dir, vault } = this.options;
    let certPem: string;
    let keyFile: unknown;
    try {
      certPem = await readFile(join(dir, CERT_FILE), 'utf8');
      keyFile = JSON.parse(await readFile(join(dir, KEY_FILE), 'utf8'));
    } catch {
      return null;
    }
    if (!isKeyFile(keyFile)) return null;
    const keyPem = vault.open(keyFile.sealedKey);
    try {
      const loaded = certificateFromPem(Buffer.from(certPem), Buffer.from(keyPem));
      return { loaded, stored: { pem: { certPem, keyPem }, info: describe(loaded, keyFile.source) } };
    } catch {
      return null;
    }
  }
}
