// Reads a PEM certificate and its private key, and proves they belong together before a listener uses them.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ProtocolError } from '../errors';
import { parseSubjectAltNames } from './subject-alt-names';

export interface CertificateFiles {
  /** PEM: the server certificate first, then any intermediates. */
  certFile: string;
  /** PEM: the certificate's private key, unencrypted. */
  keyFile: string;
}

export interface LoadedCertificate {
  cert: Buffer;
  key: Buffer;
  /** SHA-256 of the DER certificate as Node's X509Certificate prints it: upper-case hex pairs joined by colons. */
  fingerprint256: string;
  /** `DNS:name` and `IP:address` entries (see subject-alt-names). */
  subjectAltNames: string[];
  notBefore: Date;
  notAfter: Date;
}

const invalid = (message: string) => new ProtocolError('TLS_CERTIFICATE_INVALID', message);

// Only the reason: an error about a key file must never carry the key's bytes.
const reason = (error: unknown): string => (error instanceof Error ? ((error as NodeJS.ErrnoException).code ?? error.message) : String(error));

async function read(file: string, what: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw invalid(`cannot read the ${what} file ${file}: ${reason(error)}`);
  }
}

/** Loads a certificate and key pair; a TLS_CERTIFICATE_INVALID ProtocolError names the file at fault. */
export async function loadCertificate({ certFile, keyFile }: CertificateFiles): Promise<LoadedCertificate> {
  const [cert, key] = await Promise.all([read(certFile, 'certificate'), read(keyFile, 'key')]);
  return certificateFromPem(cert, key, { cert: `the certificate file ${certFile}`, key: `the key file ${keyFile}` });
}

/** What error messages call the two halves of a pair: file names, or words for a pair that came from elsewhere. */
export interface PemLabels {
  cert: string;
  key: string;
}

/** Checks a PEM certificate chain and its private key (from files, an import, a parent process) and describes them. */
export function certificateFromPem(cert: Buffer, key: Buffer, labels: PemLabels = { cert: 'the certificate', key: 'the key' }): LoadedCertificate {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (error) {
    throw invalid(`${labels.cert} holds no PEM certificate: ${reason(error)}`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch (error) {
    throw invalid(`${labels.key} holds no unencrypted PEM private key: ${reason(error)}`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw invalid(`${labels.key} does not belong to ${labels.cert}`);
  return {
    cert,
    key,
    fingerprint256: x509.fingerprint256,
    subjectAltNames: parseSubjectAltNames(x509.subjectAltName),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
  };
}
