// Loopback RTMP test harness: MediaServers on 127.0.0.1 with random ports, publishers, players and raw
// peers that are all closed after each test, and an inbox that records what a client received.
import { once } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { afterEach } from 'vitest';
import { MediaServer, type MediaServerOptions } from '../../src/server/media-server';
import type { AmfValue } from '../../src/server/rtmp/amf';
import { ChunkDecoder, ChunkEncoder } from '../../src/server/rtmp/chunk';
import { ClientHandshake } from '../../src/server/rtmp/handshake';
import { MessageTypeId, decodeMessage, encodeMessage, type CommandMessage, type RtmpMessage } from '../../src/server/rtmp/messages';
import type { RawMessage } from '../../src/server/rtmp/raw-message';
import { RtmpClient, type RtmpClientOptions } from '../../src/server/session/rtmp-client';
import { CapturingLogger } from './capturing-logger';
import type { Packet, PacketKind } from './media';
import { Watch, within } from './wait';

export interface Received {
  message: RtmpMessage;
  raw: RawMessage;
}

const KIND_BY_TYPE_ID: Partial<Record<number, PacketKind>> = {
  [MessageTypeId.Audio]: 'audio',
  [MessageTypeId.Video]: 'video',
  [MessageTypeId.DataAmf0]: 'data',
};

/** The server's own `|RtmpSampleAccess` data message on play is protocol, not part of the stream. */
const isSampleAccess = ({ message }: Received): boolean => message.type === 'data' && message.values[0] === '|RtmpSampleAccess';

/** Every message a client received outside request replies (media, data, onStatus, user control), in order. */
export class Inbox {
  readonly messages: Received[] = [];
  private readonly watch = new Watch();
  private pings = 0;

  readonly onMessage = (message: RtmpMessage, raw: RawMessage): void => {
    this.messages.push({ message, raw: { ...raw, payload: Buffer.from(raw.payload) } });
    this.watch.notify();
  };

  /** Audio, video and data messages of the stream. */
  get media(): Received[] {
    return this.messages.filter((received) => KIND_BY_TYPE_ID[received.raw.typeId] !== undefined && !isSampleAccess(received));
  }

  /** The media as packets, to compare with what a publisher sent. */
  get packets(): Packet[] {
    return this.media.map(({ raw }) => ({ kind: KIND_BY_TYPE_ID[raw.typeId]!, timestamp: raw.timestamp, payload: raw.payload }));
  }

  /** Commands other than onStatus (`_result`, `_error`…) with this name, in order. */
  commands(name: string): CommandMessage[] {
    return this.messages.flatMap(({ message }) => (message.type === 'command' && message.name === name ? [message] : []));
  }

  /** onStatus codes, in order. */
  get statuses(): string[] {
    return this.messages.flatMap(({ message }) => {
      if (message.type !== 'command' || message.name !== 'onStatus') return [];
      const info = message.args[0] as { code?: unknown } | null;
      return [String(info?.code)];
    });
  }

  untilMedia(count: number, timeoutMs?: number): Promise<Packet[]> {
    return this.until(() => (this.media.length >= count ? this.packets : undefined), `${count} media messages (have ${this.media.length})`, timeoutMs);
  }

  /**
   * Sends a ping through `send` and resolves on the server's answer. The server queues the answer
   * behind everything it had queued for this client, so all of that has arrived by then.
   */
  async roundTrip(send: (message: RtmpMessage) => void, timeoutMs?: number): Promise<void> {
    const timestamp = ++this.pings;
    send({ type: 'userControl', event: 'pingRequest', timestamp });
    const answered = () => this.messages.some(({ message }) => message.type === 'userControl' && message.event === 'pingResponse' && message.timestamp === timestamp);
    await this.until(() => answered() || undefined, `the answer to ping ${timestamp}`, timeoutMs);
  }

  untilStatus(code: string, timeoutMs?: number): Promise<void> {
    return this.until(() => (this.statuses.includes(code) ? true : undefined), `onStatus ${code}`, timeoutMs).then(() => undefined);
  }

  until<T>(probe: () => T | undefined, what: string, timeoutMs?: number): Promise<T> {
    return this.watch.until(probe, what, timeoutMs);
  }
}

export interface TestServer {
  server: MediaServer;
  log: CapturingLogger;
  rtmpPort: number;
  httpPort: number;
  /** rtmp://127.0.0.1:PORT/APP */
  url(app?: string): string;
}

export interface Connected {
  client: RtmpClient;
  inbox: Inbox;
}

export interface Publisher extends Connected {
  streamId: number;
  send(packets: Packet[]): void;
}

export interface Player extends Connected {
  streamId: number;
}

export interface PlayerOptions {
  /** Message streams to create (and leave unused) before the one that plays, so its id is not 1. */
  unusedStreams?: number;
}

/** How the server names a client in its log lines: the client TCP socket's own address:port. */
export function peerName(socket: Duplex): string {
  const { localAddress, localPort } = socket as net.Socket;
  return `${localAddress}:${localPort}`;
}

/** A TCP connection that speaks RTMP by hand: for peers that misbehave on purpose. */
export class RawPeer {
  readonly closed: Promise<void>;
  /** Everything the server sent after the handshake, decoded, Set Chunk Size and Abort included. */
  readonly inbox = new Inbox();
  private readonly decoder = new ChunkDecoder((raw) => this.inbox.onMessage(decodeMessage(raw), raw), {
    maxMessageSize: 16 * 1024 * 1024,
    // The decoder applies these itself; they are recorded as if they came on the control chunk stream.
    onControl: (message) => this.inbox.onMessage(message, { chunkStreamId: 2, streamId: 0, timestamp: 0, ...encodeMessage(message) }),
  });
  private readonly encoder = new ChunkEncoder();
  private handshaking: { handshake: ClientHandshake; done: () => void } | null = null;
  private handshaken = false;
  private isClosed = false;

  private constructor(readonly socket: net.Socket) {
    this.closed = once(socket, 'close').then(() => {
      this.isClosed = true;
    });
    socket.on('error', () => {}); // a reset from the server is what some tests expect
    // Always reading, so the server's close is seen even when it sent bytes this peer does not want.
    socket.on('data', (bytes: Buffer) => this.receive(bytes));
  }

  static async open(port: number): Promise<RawPeer> {
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    const peer = new RawPeer(socket);
    await once(socket, 'connect');
    return peer;
  }

  get closedYet(): boolean {
    return this.isClosed;
  }

  /** address:port as the server logs this peer. */
  get name(): string {
    return peerName(this.socket);
  }

  /** Completes a simple handshake (C0+C1, then C2); later server bytes are decoded into `inbox`. */
  async handshake(): Promise<void> {
    const handshake = new ClientHandshake({ digest: false });
    const done = new Promise<void>((resolve, reject) => {
      this.handshaking = { handshake, done: resolve };
      this.closed.then(() => reject(new Error('closed during the handshake')));
    });
    this.socket.write(handshake.start());
    await within(done, 'the handshake');
  }

  // Server bytes before a handshake was asked for are read and dropped.
  private receive(bytes: Buffer): void {
    if (this.handshaken) return this.decoder.push(bytes);
    if (!this.handshaking) return;
    const progress = this.handshaking.handshake.push(bytes);
    if (progress.output) this.socket.write(progress.output);
    if (!progress.done) return;
    this.handshaken = true;
    this.handshaking.done();
    this.handshaking = null;
    if (progress.rest.length > 0) this.decoder.push(progress.rest);
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends one message through this peer's own chunk encoder (chunk size 128). */
  send(message: { chunkStreamId: number; typeId: number; payload: Buffer; streamId?: number; timestamp?: number }): void {
    this.write(this.encoder.encode({ streamId: 0, timestamp: 0, ...message }));
  }

  /** Sends a typed message: protocol control on chunk stream 2, the rest on 3. */
  sendMessage(message: RtmpMessage, streamId = 0): void {
    const { typeId, payload } = encodeMessage(message);
    this.send({ chunkStreamId: typeId <= 6 ? 2 : 3, typeId, payload, streamId });
  }

  /** Sends an AMF0 command. */
  command(name: string, transactionId: number, commandObject: AmfValue, args: AmfValue[] = [], streamId = 0): void {
    this.sendMessage({ type: 'command', name, transactionId, commandObject, args }, streamId);
  }

  /** Sends `connect` for rtmp://127.0.0.1/APP the way RtmpClient does. */
  connect(app = 'live', transactionId = 1): void {
    this.command('connect', transactionId, { app, tcUrl: `rtmp://127.0.0.1/${app}`, flashVer: 'FMLE/3.0 (compatible; test)', objectEncoding: 0 });
  }
}

/**
 * Registers an afterEach that closes everything the test opened, newest first (clients before
 * their server), and returns the factories that open them.
 */
export function useRtmpHarness() {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const defer = (cleanup: () => unknown): void => {
    cleanups.push(cleanup);
  };

  async function startServer(options: MediaServerOptions = {}): Promise<TestServer> {
    const log = new CapturingLogger();
    const server = new MediaServer({ host: '127.0.0.1', rtmpPort: 0, httpPort: 0, log, ...options });
    const addresses = await server.start();
    defer(() => server.stop());
    const rtmpPort = addresses.rtmp?.port ?? 0;
    return { server, log, rtmpPort, httpPort: addresses.http?.port ?? 0, url: (app = 'live') => `rtmp://127.0.0.1:${rtmpPort}/${app}` };
  }

  async function connect(url: string, options: RtmpClientOptions = {}): Promise<Connected> {
    const inbox = new Inbox();
    const client = await RtmpClient.connect(url, { timeoutMs: 5000, ...options, onMessage: inbox.onMessage });
    defer(() => client.close());
    return { client, inbox };
  }

  async function publisher(url: string, name: string, options: RtmpClientOptions = {}): Promise<Publisher> {
    const connected = await connect(url, options);
    const streamId = await connected.client.createStream();
    await connected.client.publish(streamId, name);
    const send = (packets: Packet[]) => {
      for (const { kind, timestamp, payload } of packets) connected.client.sendMedia(kind, streamId, timestamp, payload);
    };
    return { ...connected, streamId, send };
  }

  async function player(url: string, name: string, options: PlayerOptions = {}): Promise<Player> {
    const connected = await connect(url);
    for (let i = 0; i < (options.unusedStreams ?? 0); i++) await connected.client.createStream();
    const streamId = await connected.client.createStream();
    await connected.client.play(streamId, name);
    return { ...connected, streamId };
  }

  async function rawPeer(port: number, handshake = true): Promise<RawPeer> {
    const peer = await RawPeer.open(port);
    defer(() => peer.socket.destroy());
    if (handshake) await peer.handshake();
    return peer;
  }

  return { defer, startServer, connect, publisher, player, rawPeer };
}
