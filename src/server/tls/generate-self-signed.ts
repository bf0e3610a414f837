// A self-signed server certificate built with @peculiar/x509 over Node's WebCrypto: no openssl binary needed.
import type * as X509 from '@peculiar/x509';
import { KeyObject, randomBytes, webcrypto } from 'node:crypto';

export interface SelfSignedPem {
  cert: string;
  key: string;
}

// RSA 2048 with SHA-256: what OBS's mbedTLS 2 and librtmp's GnuTLS both verify and negotiate.
const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const VALIDITY_MS = 365 * 24 * 60 * 60 * 1000;
// Valid from an hour ago, so a client whose clock runs a little behind ours still accepts it.
const BACKDATE_MS = 60 * 60 * 1000;
const SUBJECT = 'CN=localhost, O=Airlock Studio';

// The library's own Crypto type is the DOM one; Node's webcrypto implements it.
const crypto = webcrypto as unknown as Crypto;

/** `DNS:x` / `IP:x` entries (see subject-alt-names) as the library's GeneralName objects. */
function generalNames(subjectAltNames: readonly string[]): X509.JsonGeneralName[] {
  return subjectAltNames.map((entry) => {
    const colon = entry.indexOf(':');
    return { type: entry.startsWith('DNS:') ? 'dns' : 'ip', value: entry.slice(colon + 1) };
  });
}

/** A fresh key pair and a one-year certificate for exactly `subjectAltNames`, valid from `now`. */
export async function generateSelfSigned(subjectAltNames: readonly string[], now: Date): Promise<SelfSignedPem> {
  // Loaded only when a certificate is made: the library and its polyfills cost a server ~6 MB of RSS otherwise.
  const x509 = await import('@peculiar/x509');
  const keys = (await crypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 16 random ones, the top bit clear and the next set.
  const serial = randomBytes(16);
  serial[0] = (serial[0] & 0x7f) | 0x40;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: serial.toString('hex'),
      name: SUBJECT,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter: new Date(now.getTime() + VALIDITY_MS),
      signingAlgorithm: ALGORITHM,
      keys,
      extensions: [
        // An end-entity certificate (browsers refuse a CA certificate as a server's), for TLS servers only.
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(generalNames(subjectAltNames)),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const key = KeyObject.from(keys.privateKey).export({ type: 'pkcs8', format: 'pem' }) as string;
  return { cert: certificate.toString('pem'), key };
}
