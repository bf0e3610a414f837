// The TLS settings of an RTMPS (and HTTPS/WSS) listener for a loaded certificate.
import type { SecureContextOptions } from 'node:tls';
import type { LoadedCertificate } from './load-certificate';

export type RtmpsTlsOptions = SecureContextOptions & { minVersion: 'TLSv1.2' };

/**
 * TLS 1.2 and 1.3. Not 1.3 only: librtmp clients (rtmpdump, GStreamer rtmpsrc) and OBS (mbedTLS 2) speak 1.2 at most.
 * Works for tls.createServer and, for a renewed certificate, server.setSecureContext.
 */
export function createTlsOptions({ cert, key }: Pick<LoadedCertificate, 'cert' | 'key'>): RtmpsTlsOptions {
  return { cert, key, minVersion: 'TLSv1.2' };
}
