// Takes a fresh connection on a PROXY-protocol listener: refuses an untrusted peer before reading a byte, reads the
// header within a time limit, and hands the socket back positioned on the first byte after the header.
import type { Socket } from 'node:net';
import { ProtocolError } from '../errors';
import type { ProxyEndpoint, ProxyHeader } from './header';
import { ProxyHeaderParser } from './proxy-header-parser';
import type { TrustedProxies } from './trusted-proxies';

export interface AcceptProxiedOptions {
  /** Peers allowed to speak PROXY; any other peer is refused before its first byte is read. */
  trusted: TrustedProxies;
  /** Time the proxy has to deliver the whole header (default 5000 ms; the spec asks for at least 3 s, §2). */
  timeoutMs?: number;
  /** Longest header accepted (default 4096 bytes); see ProxyHeaderParserOptions. */
  maxHeaderBytes?: number;
}

export interface ProxiedConnection {
  /** The same socket, not yet flowing: its next 'data' event starts with the first byte after the header. */
  socket: Socket;
  /** The client's address: the header's source for a relayed TCP connection, else the socket's own peer. */
  remote: ProxyEndpoint;
  header: ProxyHeader;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** Reads the PROXY header off a socket nothing has read yet. On rejection the caller destroys the socket. */
export function acceptProxied(socket: Socket, options: AcceptProxiedOptions): Promise<ProxiedConnection> {
  const peer = socket.remoteAddress;
  // A connection reset before it was accepted has no peer address left (haproxy's health checks do this).
  if (peer === undefined) return Promise.reject(new ProtocolError('SOCKET_ERROR', 'the connection was gone before its peer address could be read'));
  // §5: only known sources may use the protocol; an untrusted peer's header, however valid, is never read.
  if (!options.trusted.trusts(peer)) return Promise.reject(new ProtocolError('PROXY_UNTRUSTED_PEER', `${peer} is not a trusted proxy`));
  const parser = new ProxyHeaderParser({ maxHeaderBytes: options.maxHeaderBytes });
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      socket.off('readable', onReadable);
      socket.off('end', onEnd);
      socket.off('close', onClose);
      socket.off('error', onError);
    };
    const fail = (error: ProtocolError) => {
      stop();
      reject(error);
    };
    // Paused-mode reads: no byte can slip past in a 'data' event before the header is known.
    const onReadable = () => {
      let chunk: Buffer | null;
      while ((chunk = socket.read() as Buffer | null) !== null) {
        let progress;
        try {
          progress = parser.push(chunk);
        } catch (error) {
          fail(error as ProtocolError);
          return;
        }
        if (progress.state === 'done') {
          // The rest goes back in front of anything still buffered; the stream stays as a fresh socket's would.
          if (progress.rest.length > 0) socket.unshift(progress.rest);
          stop();
          const { header } = progress;
          const remote = header.command === 'proxy' && header.source !== undefined ? header.source : { address: peer, port: socket.remotePort ?? 0 };
          // Removing the last 'readable' listener lets the stream flow again on a later 'data' listener, but only
          // from a process.nextTick queued by off(); resolving after it keeps that order whatever the caller does.
          process.nextTick(resolve, { socket, remote, header });
          return;
        }
      }
    };
    const onEnd = () => fail(new ProtocolError('PROXY_HEADER_INVALID', 'the proxy ended the connection before a whole PROXY header'));
    const onClose = () => fail(new ProtocolError('SOCKET_ERROR', 'the connection closed before a whole PROXY header'));
    const onError = (error: Error) => fail(new ProtocolError('SOCKET_ERROR', error.message));
    const timer = setTimeout(() => fail(new ProtocolError('TIMEOUT_PROXY_HEADER', `no whole PROXY header within ${timeoutMs} ms`)), timeoutMs);
    socket.on('readable', onReadable);
    socket.once('end', onEnd);
    socket.once('close', onClose);
    socket.once('error', onError);
  });
}
