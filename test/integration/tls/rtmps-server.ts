// The real MediaServer behind a TLS listener on 127.0.0.1, the way the CLI will wire RTMPS.
import { once } from 'node:events';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { MediaServer } from '../../../src/server/media-server';
import { createTlsOptions, type LoadedCertificate, type TlsVersionOptions } from '../../../src/server/tls';
import { RecordingLogger } from '../../interop/support/interop-server';
import { waitFor } from '../../support/wait';

export class RtmpsServer {
  readonly log = new RecordingLogger();
  readonly server = new MediaServer({ rtmpPort: 0, httpPort: null, host: '127.0.0.1', log: this.log });
  readonly listener: tls.Server;
  /** The TLS version each accepted connection negotiated, in order. */
  readonly versions: string[] = [];
  private port = 0;

  constructor(
    loaded: LoadedCertificate,
    private readonly tlsVersions: TlsVersionOptions = {},
  ) {
    this.listener = tls.createServer(createTlsOptions(loaded, tlsVersions), (socket) => {
      this.versions.push(socket.getProtocol() ?? '?');
      this.server.acceptRtmp(socket, 'rtmps', { address: socket.remoteAddress!, port: socket.remotePort! });
    });
    // A client that gives up during the handshake (a refused certificate) is its own business, not the server's.
    this.listener.on('tlsClientError', (error) => this.log.warn('tls.clientError', { reason: error.message }));
  }

  async start(): Promise<this> {
    this.listener.listen(0, '127.0.0.1');
    await once(this.listener, 'listening');
    this.port = (this.listener.address() as AddressInfo).port;
    return this;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** `rtmps://127.0.0.1:P/app/name`. */
  url(path: string): string {
    return `rtmps://${this.address}/${path}`;
  }

  /** Serves `loaded` to every connection from now on; sessions already running keep theirs. */
  setCertificate(loaded: LoadedCertificate): void {
    this.listener.setSecureContext(createTlsOptions(loaded, this.tlsVersions));
  }

  /** Resolves once `app/name` is published and has received `packets` media packets. */
  waitForMedia(path: string, packets: number, timeoutMs: number, report: () => string): Promise<void> {
    const [app, name] = path.split('/');
    const running = () => {
      const stream = this.server.registry.get(app, name);
      return stream !== undefined && stream.isLive && stream.codecs.video !== '' && stream.inbound.packets >= packets;
    };
    return waitFor(running, `${path} with ${packets} packets`, timeoutMs).catch((error: Error) => {
      throw new Error(`${error.message}\n${report()}\n--- server log\n${this.log.text()}`);
    });
  }

  async stop(): Promise<void> {
    const closed = new Promise((resolve) => this.listener.close(resolve));
    await this.server.stop();
    await closed;
  }
}
