// RTMPS certificates: self-signed generation on first run, loading PEM pairs, TLS options, reload on renewal.
export { ensureSelfSigned, selfSignedNames, stillGood, CERT_FILE_NAME, KEY_FILE_NAME, type SelfSignedFiles, type SelfSignedOptions } from './self-signed';
export { certificateFromPem, loadCertificate, type CertificateFiles, type LoadedCertificate, type PemLabels } from './load-certificate';
export { createTlsOptions, type RtmpsTlsOptions, type TlsMaxVersion, type TlsVersionOptions } from './tls-options';
export { watchCertificate, type WatchCertificateOptions } from './watch-certificate';
