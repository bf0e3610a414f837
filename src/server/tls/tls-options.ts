// The TLS settings of an RTMPS (and HTTPS/WSS) listener for a loaded certificate.
import type { SecureContextOptions } from 'node:tls';
import type { LoadedCertificate } from './load-certificate';

export type TlsMaxVersion = 'TLSv1.2' | 'TLSv1.3';

export interface TlsVersionOptions {
  /**
   * Newest TLS version offered (default TLSv1.2). librtmp (rtmpdump, GStreamer rtmpsrc; Debian, GnuTLS) offers TLS 1.3
   * but, once it is negotiated, takes the server's post-handshake NewSessionTicket for a failed read and drops the
   * connection before the RTMP handshake; Node cannot turn those tickets off. TLSv1.3 suits listeners that need no librtmp client.
   */
  maxVersion?: TlsMaxVersion;
}

export type RtmpsTlsOptions = SecureContextOptions & { minVersion: 'TLSv1.2'; maxVersion: TlsMaxVersion };

/**
 * Never below TLS 1.2: OBS (mbedTLS 2) and librtmp speak 1.2 at most, anything older is broken.
 * Works for tls.createServer and, for a renewed certificate, server.setSecureContext.
 */
export function createTlsOptions({ cert, key }: Pick<LoadedCertificate, 'cert' | 'key'>, { maxVersion = 'TLSv1.2' }: TlsVersionOptions = {}): RtmpsTlsOptions {
  return { cert, key, minVersion: 'TLSv1.2', maxVersion };
}
