// The Server screen's services: the media server process, its certificate, stats, access log and kicks.
export { ACCESS_LOG_SIZE, AccessLog, accessEntryFromLine } from './access-log';
export { CertificateStore, type CertificateStoreOptions, type StoredCertificate } from './certificate-store';
export { serverHandlers } from './handlers';
export { lanAddresses } from './lan';
export { ServerService, type ServerServiceDeps } from './server-service';
export { HISTORY_SAMPLES, SAMPLE_INTERVAL_MS } from './stats-history';
