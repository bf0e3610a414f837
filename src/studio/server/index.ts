// The Server screen's services: the media server process, its certificate, stats, access log and kicks.
export { CertificateStore } from './certificate-store';
export { serverHandlers } from './handlers';
export { ServerService, type ServerServiceDeps } from './server-service';
