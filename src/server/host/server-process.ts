// The server process: one MediaServer, driven by requests over a channel from its parent.
import { securityAuthorizer } from '../auth/policy';
import { parseSecurityDocument, type SecurityDocument } from '../auth/security-document';
import { jsonLogger, type Logger } from '../log';
import { MediaServer, type MediaServerOptions } from '../media-server';
import { allowAll, type Authorizer } from '../session/authorization';
import type { ParentChannel } from './channel';
import { HostError } from './host-error';
import { loadPem, MAX_LOG_LINE, parseRequest, type ChildMessage, type HostRequest, type HostedServerOptions, type PemCertificate } from './protocol';

export type CreateServer = (options: MediaServerOptions) => MediaServer;

const errorBody = (error: unknown) =>
  error instanceof HostError ? { code: error.code, message: error.message } : { code: 'HOST_STATE' as const, message: error instanceof Error ? error.message : String(error) };

/**
 * Answers start, stop, stats, kick, security and certificate for one MediaServer. Ends by closing the channel, after a stop or when the
 * parent is gone; the process then exits once its event loop drains.
 */
export class ServerProcess {
  private server: MediaServer | null = null;
  private starting: Promise<unknown> = Promise.resolve();
  private closed = false;
  // Every connect, publish and play asks whatever this is at that moment: a security update applies to the next one.
  private authorizer: Authorizer = allowAll;

  constructor(
    private readonly channel: ParentChannel,
    private readonly createServer: CreateServer = (options) => new MediaServer(options),
  ) {
    channel.onMessage((message) => void this.receive(message));
    channel.onParentGone(() => void this.shutdown().then(() => this.close()));
  }

  private send(message: ChildMessage): void {
    if (!this.closed) this.channel.send(message);
  }

  private async receive(message: unknown): Promise<void> {
    const parsed = parseRequest(message);
    if (!parsed.ok) return this.send({ kind: 'reply', id: parsed.id, ok: false, error: { code: 'HOST_MESSAGE_INVALID', message: parsed.reason } });
    const request = parsed.value;
    try {
      this.send({ kind: 'reply', id: request.id, ok: true, result: await this.handle(request) });
    } catch (error) {
      this.send({ kind: 'reply', id: request.id, ok: false, error: errorBody(error) });
    }
    if (request.method === 'stop') this.close();
  }

  private handle(request: HostRequest): Promise<unknown> | unknown {
    switch (request.method) {
      case 'start':
        return (this.starting = this.start(request.options));
      case 'stop':
        return this.shutdown().then(() => null);
      case 'stats':
        return this.running().stats();
      case 'kick':
        return this.running().kick(request.sessionId);
      case 'security': {
        const { log } = this.running();
        this.authorizer = this.buildAuthorizer(request.document, log);
        log.info('security.update', {});
        return null;
      }
      case 'certificate':
        this.setCertificate(request.certificate);
        return null;
    }
  }

  // Without a document every request is allowed, as the server is without a config.
  private buildAuthorizer(document: SecurityDocument | undefined, log: Logger): Authorizer {
    return document === undefined ? allowAll : securityAuthorizer({ settings: parseSecurityDocument(document), log });
  }

  private setCertificate(certificate: PemCertificate): void {
    const server = this.running();
    const loaded = loadPem(certificate);
    try {
      server.setCertificate(loaded);
    } catch (error) {
      throw new HostError('HOST_STATE', error instanceof Error ? error.message : String(error));
    }
  }

  private running(): MediaServer {
    if (!this.server) throw new HostError('HOST_STATE', 'the server is not started');
    return this.server;
  }

  private async start({ security, certificate, ...options }: HostedServerOptions) {
    if (this.server) throw new HostError('HOST_STATE', 'the server is already started');
    // The logger's writer redacts each line before it leaves the process.
    const log = jsonLogger((line) => this.send({ kind: 'event', event: 'log', line: line.trimEnd().slice(0, MAX_LOG_LINE) }));
    this.authorizer = this.buildAuthorizer(security, log);
    const loaded = certificate && loadPem(certificate);
    const authorize: Authorizer = (request) => this.authorizer(request);
    const server = (this.server = this.createServer({ ...options, certificate: loaded, authorize, log }));
    try {
      const addresses = await server.start();
      this.send({ kind: 'event', event: 'ready', addresses });
      return addresses;
    } catch (error) {
      this.server = null;
      await server.stop();
      throw new HostError('HOST_START_FAILED', error instanceof Error ? error.message : String(error));
    }
  }

  /** Stops the server (after a start in progress has settled); safe to call twice. */
  async shutdown(): Promise<void> {
    await this.starting.catch(() => {});
    const server = this.server;
    this.server = null;
    await server?.stop();
  }

  private close(): void {
    this.closed = true;
    this.channel.close();
  }
}
