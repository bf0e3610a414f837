// A MediaServer on 127.0.0.1 with random ports and a log kept in memory, for real clients to talk to.
import { afterEach, beforeEach } from 'vitest';
import type { Logger } from '../../../src/server/log';
import { MediaServer, type MediaServerOptions } from '../../../src/server/media-server';
import { ClientPool } from './client-process';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  event: string;
  fields: Record<string, unknown>;
}

const POLL_MS = 50;

/** Keeps every log line so a test can assert on server events and show them when it fails. */
export class RecordingLogger implements Logger {
  readonly entries: LogEntry[] = [];

  info(event: string, fields: Record<string, unknown> = {}): void {
    this.entries.push({ level: 'info', event, fields });
  }

  warn(event: string, fields: Record<string, unknown> = {}): void {
    this.entries.push({ level: 'warn', event, fields });
  }

  error(event: string, fields: Record<string, unknown> = {}): void {
    this.entries.push({ level: 'error', event, fields });
  }

  events(event: string): LogEntry[] {
    return this.entries.filter((entry) => entry.event === event);
  }

  text(): string {
    return this.entries.map(({ level, event, fields }) => `${level} ${event} ${JSON.stringify(fields)}`).join('\n');
  }
}

export class InteropServer {
  readonly log = new RecordingLogger();
  readonly server: MediaServer;
  private rtmpPort = 0;
  private httpPort = 0;

  constructor(options: MediaServerOptions = {}) {
    this.server = new MediaServer({ host: '127.0.0.1', rtmpPort: 0, httpPort: 0, ...options, log: this.log });
  }

  async start(): Promise<this> {
    const { rtmp, http } = await this.server.start();
    this.rtmpPort = rtmp!.port;
    this.httpPort = http!.port;
    return this;
  }

  /** `rtmp://127.0.0.1:P/app/name` for a path `app/name`. */
  rtmpUrl(path: string): string {
    return `rtmp://127.0.0.1:${this.rtmpPort}/${path}`;
  }

  /** `http://127.0.0.1:H/app/name.flv`. */
  httpFlvUrl(path: string): string {
    return `http://127.0.0.1:${this.httpPort}/${path}.flv`;
  }

  /** `ws://127.0.0.1:H/app/name.flv`. */
  wsFlvUrl(path: string): string {
    return `ws://127.0.0.1:${this.httpPort}/${path}.flv`;
  }

  /** Resolves once `app/name` is published and has received `packets` media packets, so players join a running stream. */
  waitForMedia(path: string, packets: number, timeoutMs: number, report: () => string = () => ''): Promise<void> {
    const [app, name] = path.split('/');
    return this.waitUntil(
      () => {
        const stream = this.server.registry.get(app, name);
        return stream !== undefined && stream.isLive && stream.codecs.video !== '' && stream.inbound.packets >= packets;
      },
      timeoutMs,
      `${path} with ${packets} packets`,
      report,
    );
  }

  /** Resolves once the server has logged `count` lines of `event`. */
  waitForEvent(event: string, count: number, timeoutMs: number, report: () => string = () => ''): Promise<void> {
    return this.waitUntil(() => this.log.events(event).length >= count, timeoutMs, `${count} ${event} events`, report);
  }

  private async waitUntil(condition: () => boolean, timeoutMs: number, what: string, report: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms\n${this.report()}\n${report()}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }

  /** The server's log, for failure messages. */
  report(): string {
    return `--- server log\n${this.log.text()}`;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}

/**
 * Per test: a fresh InteropServer and a pool of real clients, both gone after the test;
 * `report()` joins what the clients printed and the server logged, for failure messages.
 */
export function useInteropServer() {
  const clients = new ClientPool();
  let current: InteropServer | undefined;
  beforeEach(async () => {
    current = await new InteropServer().start();
  });
  afterEach(async () => {
    await clients.killAll();
    await current?.stop();
    current = undefined;
  });
  const run = {
    clients,
    get server(): InteropServer {
      if (!current) throw new Error('the interop server runs only inside a test');
      return current;
    },
    report: (): string => `${clients.report()}\n${run.server.report()}`,
  };
  return run;
}
