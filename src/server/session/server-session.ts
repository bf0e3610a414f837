import { ProtocolError } from '../errors';
import type { LiveStream } from '../hub/live-stream';
import type { PacketFormat } from '../hub/media-packet';
import type { StreamRegistry } from '../hub/stream-registry';
import type { ReaderProtocol, StreamReader } from '../hub/stream-reader';
import type { Logger } from '../log';
import { encodeAmf0, type AmfObject, type AmfValue } from '../rtmp/amf';
import { decodeMessage, splitAggregate, type CommandMessage, type DataMessage, type RtmpMessage } from '../rtmp/messages';
import type { RawMessage } from '../rtmp/raw-message';
import { decide, type Action, type AuthorizationRequest, type Authorizer, type Decision, type Identity } from './authorization';
import { statusInfo, type StatusCode } from './net-status';
import type { ConnectionHandler, RtmpConnection } from './rtmp-connection';
import type { RtmpFormats } from './rtmp-format';
import { parseName, tcUrlQuery, withoutQuery } from './stream-name';

/** Where a client connects from: the socket's peer, or the address a trusted proxy vouched for. */
export interface PeerAddress {
  address: string;
  port: number;
}

/** What every session of one server shares. */
export interface SessionContext {
  registry: StreamRegistry;
  formats: RtmpFormats;
  authorize: Authorizer;
  authorizationTimeoutMs: number;
  log: Logger;
  /** Message streams (createStream) one connection may open. */
  maxStreamsPerConnection: number;
}

type Phase = 'connecting' | 'connected' | 'closed';

type NetStream =
  | { role: 'idle' }
  | { role: 'publishing'; stream: LiveStream }
  | { role: 'playing'; stream: LiveStream; reader: PlayerReader };

// Messages a client may send while a decision is pending, before we stop listening.
const MAX_HELD_MESSAGES = 64;
const SERVER_INFO: AmfObject = { fmsVer: 'FMS/3,5,7,7009', capabilities: 31, mode: 1 };

/**
 * The server side of one RTMP connection: connect, createStream, publish, play and their
 * endings. Nothing is acknowledged before the authorizer has decided.
 */
export class ServerSession implements ConnectionHandler {
  app = '';
  private phase: Phase = 'connecting';
  private commandObject: AmfValue = null;
  private connectArgs: AmfValue[] = [];
  private connectQuery = new URLSearchParams();
  private identity: Identity | undefined;
  private readonly netStreams = new Map<number, NetStream>();
  private nextStreamId = 1;
  private held: Array<[RtmpMessage, RawMessage]> | null = null;

  readonly remoteAddress: string;
  /** address:port, for log lines. */
  readonly peer: string;

  constructor(
    readonly id: number,
    readonly connection: RtmpConnection,
    readonly protocol: 'rtmp' | 'rtmps',
    remote: PeerAddress,
    private readonly context: SessionContext,
  ) {
    this.remoteAddress = remote.address;
    this.peer = remote.address.includes(':') ? `[${remote.address}]:${remote.port}` : `${remote.address}:${remote.port}`;
    connection.attach(this);
  }

  /** Streams this session publishes or plays, for stats and kicking. */
  get streams(): Array<{ role: 'publishing' | 'playing'; stream: LiveStream }> {
    const out: Array<{ role: 'publishing' | 'playing'; stream: LiveStream }> = [];
    for (const ns of this.netStreams.values()) if (ns.role !== 'idle') out.push({ role: ns.role, stream: ns.stream });
    return out;
  }

  onMessage(message: RtmpMessage, raw: RawMessage): void {
    if (this.held) {
      if (this.held.length >= MAX_HELD_MESSAGES) {
        return this.connection.destroy(new ProtocolError('COMMAND_INVALID', 'too many messages while authorization is pending'));
      }
      this.held.push([message, raw]);
      return;
    }
    switch (message.type) {
      case 'video':
      case 'audio':
        return this.onMedia(message.type, raw);
      case 'data':
        return this.onData(message, raw);
      case 'command':
        return this.onCommand(message, raw.streamId);
      case 'aggregate':
        for (const sub of splitAggregate(raw)) this.onMessage(decodeMessage(sub), sub);
        return;
      default:
        return; // shared objects, buffer length: nothing for a live server to do
    }
  }

  onClose(error: ProtocolError | null): void {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    for (const streamId of [...this.netStreams.keys()]) this.closeNetStream(streamId);
    const fields = { session: this.id, peer: this.peer, protocol: this.protocol, app: this.app, user: this.identity?.user, bytesIn: this.connection.bytesReceived, bytesOut: this.connection.queue.stats.bytesSent, durationMs: Date.now() - this.connection.openedAt };
    if (error) this.context.log.warn('rtmp.close', { ...fields, code: error.code, reason: error.message });
    else this.context.log.info('rtmp.close', fields);
  }

  /** Ends the session from the server's side (kick, shutdown). */
  close(): void {
    this.connection.destroy();
  }

  private onMedia(kind: 'audio' | 'video', raw: RawMessage): void {
    const ns = this.netStreams.get(raw.streamId);
    if (ns?.role !== 'publishing') return;
    if (kind === 'video') ns.stream.pushVideo(raw.timestamp, raw.payload);
    else ns.stream.pushAudio(raw.timestamp, raw.payload);
  }

  // `@setDataFrame onMetaData {…}` is stored and sent to players as `onMetaData {…}`.
  private onData(message: DataMessage, raw: RawMessage): void {
    const ns = this.netStreams.get(raw.streamId);
    if (ns?.role !== 'publishing') return;
    const values = message.values[0] === '@setDataFrame' ? message.values.slice(1) : message.values;
    const isMetadata = values[0] === 'onMetaData';
    const payload = values === message.values && message.encoding === 'amf0' && message.payload ? message.payload : encodeAmf0(values);
    ns.stream.pushData(raw.timestamp, payload, isMetadata);
  }

  private onCommand(command: CommandMessage, streamId: number): void {
    if (this.phase === 'connecting') {
      if (command.name !== 'connect') throw new ProtocolError('COMMAND_INVALID', `${command.name} before connect`);
      return this.onConnect(command);
    }
    switch (command.name) {
      case 'connect':
        throw new ProtocolError('COMMAND_INVALID', 'connect on a connected session');
      case 'createStream':
        return this.onCreateStream(command);
      case 'publish':
        return this.onPublish(command, streamId);
      case 'play':
        return this.onPlay(command, streamId);
      case 'deleteStream':
        return this.onDeleteStream(command);
      case 'closeStream':
        return this.closeNetStream(streamId, true);
      case 'FCUnpublish':
        this.onFCUnpublish(command);
        return this.result(command);
      case 'releaseStream':
      case 'FCPublish':
      case 'getStreamLength':
        return this.result(command);
      default:
        return; // receiveAudio, pause, _checkbw…: not meaningful for live, ignored
    }
  }

  private onConnect(command: CommandMessage): void {
    const object = command.commandObject;
    const properties = object !== null && typeof object === 'object' && !Array.isArray(object) && !(object instanceof Date) && !Buffer.isBuffer(object) ? (object as AmfObject) : {};
    const app = parseName(properties.app, 'app');
    this.commandObject = object;
    this.connectArgs = command.args;
    this.connectQuery = tcUrlQuery(properties.tcUrl);
    if (app) for (const [key, value] of app.query) this.connectQuery.append(key, value);
    this.app = app?.name ?? '';
    // An app name that cannot exist is refused without asking the authorizer (which may hash a password).
    if (!app) return this.rejectConnect(command, 'invalid app name', 'APP_INVALID');
    this.authorize('connect', '', this.connectQuery, (decision) => {
      if (!decision.allow) return this.rejectConnect(command, decision.reason, decision.code);
      this.phase = 'connected';
      this.identity = decision.identity;
      const { windowAckSize, outChunkSize } = this.connection.limits;
      this.connection.send({ type: 'windowAcknowledgementSize', size: windowAckSize });
      this.connection.send({ type: 'setPeerBandwidth', size: windowAckSize, limitType: 'dynamic' });
      this.connection.setOutChunkSize(outChunkSize);
      const encoding = properties.objectEncoding === 3 ? 3 : 0;
      this.connection.send({
        type: 'command',
        name: '_result',
        transactionId: command.transactionId,
        commandObject: SERVER_INFO,
        args: [statusInfo('NetConnection.Connect.Success', 'Connection succeeded.', { objectEncoding: encoding })],
      });
      this.context.log.info('rtmp.connect', {
        session: this.id,
        peer: this.peer,
        protocol: this.protocol,
        app: this.app,
        user: this.identity?.user,
        code: decision.code,
        flashVer: typeof properties.flashVer === 'string' ? properties.flashVer : undefined,
        tcUrl: typeof properties.tcUrl === 'string' ? withoutQuery(properties.tcUrl) : undefined,
      });
    });
  }

  private rejectConnect(command: CommandMessage, description: string, code: string | undefined): void {
    this.context.log.warn('rtmp.reject', { session: this.id, peer: this.peer, protocol: this.protocol, action: 'connect', app: this.app, code, reason: description });
    this.connection.send(command.transactionId ? this.errorCommand(command, 'NetConnection.Connect.Rejected', description) : this.status('NetConnection.Connect.Rejected', description));
    this.connection.end();
  }

  private onCreateStream(command: CommandMessage): void {
    if (this.netStreams.size >= this.context.maxStreamsPerConnection) {
      throw new ProtocolError('COMMAND_INVALID', `more than ${this.context.maxStreamsPerConnection} streams on one connection`);
    }
    const streamId = this.nextStreamId++;
    this.netStreams.set(streamId, { role: 'idle' });
    this.result(command, streamId);
  }

  private onPublish(command: CommandMessage, streamId: number): void {
    const parsed = this.idleNetStream(streamId, 'publish') && parseName(command.args[0]);
    if (!parsed) return this.rejectStream(streamId, 'publish', 'NetStream.Publish.BadName', 'invalid stream name', '', 'STREAM_NAME_INVALID');
    this.authorize('publish', parsed.name, parsed.query, (decision) => {
      if (!decision.allow) return this.rejectStream(streamId, 'publish', 'NetStream.Publish.Unauthorized', decision.reason, parsed.name, decision.code);
      if (this.netStreams.get(streamId)?.role !== 'idle') return;
      const name = decision.stream ?? parsed.name;
      const stream = this.context.registry.claim(this.app, name, { id: this.id, protocol: this.protocol, remoteAddress: this.remoteAddress });
      if (!stream) return this.rejectStream(streamId, 'publish', 'NetStream.Publish.BadName', 'stream is already being published', name, 'STREAM_BUSY');
      this.netStreams.set(streamId, { role: 'publishing', stream });
      this.connection.send({ type: 'userControl', event: 'streamBegin', streamId });
      this.sendStatus(streamId, 'NetStream.Publish.Start', `${stream.path} is now published.`);
      this.context.log.info('rtmp.publish', { session: this.id, peer: this.peer, protocol: this.protocol, stream: stream.path, user: this.identity?.user, code: decision.code });
    });
  }

  private onPlay(command: CommandMessage, streamId: number): void {
    const parsed = this.idleNetStream(streamId, 'play') && parseName(command.args[0]);
    if (!parsed) return this.rejectStream(streamId, 'play', 'NetStream.Play.Failed', 'invalid stream name', '', 'STREAM_NAME_INVALID');
    const [, , duration, resetArg] = command.args; // play(name, start, duration, reset), RTMP 1.0 §7.2.2.1
    const reset = resetArg !== false;
    this.authorize('play', parsed.name, parsed.query, (decision) => {
      if (!decision.allow) return this.rejectStream(streamId, 'play', 'NetStream.Play.Failed', decision.reason, parsed.name, decision.code);
      if (this.netStreams.get(streamId)?.role !== 'idle') return;
      const stream = this.context.registry.open(this.app, parsed.name);
      const format = this.context.formats.get(this.connection.outChunkSize, streamId);
      const reader = new PlayerReader(this, streamId, format);
      this.netStreams.set(streamId, { role: 'playing', stream, reader });
      this.connection.send({ type: 'userControl', event: 'streamBegin', streamId });
      if (reset) this.sendStatus(streamId, 'NetStream.Play.Reset', `Playing and resetting ${stream.path}.`);
      this.sendStatus(streamId, 'NetStream.Play.Start', `Started playing ${stream.path}.`);
      this.connection.send({ type: 'data', values: ['|RtmpSampleAccess', true, true] }, streamId);
      stream.addReader(reader);
      // A positive duration plays that many milliseconds, then stops (rtmpdump --stop).
      if (typeof duration === 'number' && duration > 0) reader.stopAfter(duration, () => this.stopPlaying(streamId, reader));
      this.context.log.info('rtmp.play', { session: this.id, peer: this.peer, protocol: this.protocol, stream: stream.path, live: stream.isLive, user: this.identity?.user, code: decision.code });
    });
  }

  private stopPlaying(streamId: number, reader: PlayerReader): void {
    const ns = this.netStreams.get(streamId);
    if (ns?.role !== 'playing' || ns.reader !== reader) return;
    this.closeNetStream(streamId, true);
    this.sendStatus(streamId, 'NetStream.Play.Stop', `Stopped playing ${ns.stream.path}.`);
    this.connection.send({ type: 'userControl', event: 'streamEof', streamId });
  }

  private onDeleteStream(command: CommandMessage): void {
    const streamId = command.args[0];
    if (typeof streamId === 'number') this.closeNetStream(streamId, true);
  }

  private onFCUnpublish(command: CommandMessage): void {
    const parsed = parseName(command.args[0]);
    for (const [streamId, ns] of this.netStreams) {
      if (ns.role === 'publishing' && ns.stream.name === parsed?.name) this.closeNetStream(streamId, true);
    }
  }

  /** Stops whatever a message stream does; `keep` leaves the id usable for another publish or play. */
  private closeNetStream(streamId: number, keep = false): void {
    const ns = this.netStreams.get(streamId);
    if (!ns) return;
    if (keep) this.netStreams.set(streamId, { role: 'idle' });
    else this.netStreams.delete(streamId);
    if (ns.role === 'idle') return;
    const { registry, log } = this.context;
    if (ns.role === 'publishing') {
      if (keep) this.sendStatus(streamId, 'NetStream.Unpublish.Success', `${ns.stream.path} is now unpublished.`);
      ns.stream.stopPublishing();
      log.info('rtmp.unpublish', { session: this.id, peer: this.peer, stream: ns.stream.path });
    } else {
      ns.reader.cancelStop();
      ns.stream.removeReader(ns.reader);
      log.info('rtmp.stop', { session: this.id, peer: this.peer, stream: ns.stream.path, bytesOut: ns.reader.queue.stats.bytesSent, dropped: ns.reader.queue.stats.packetsDropped });
    }
    registry.release(ns.stream);
  }

  private idleNetStream(streamId: number, action: Action): boolean {
    const ns = this.netStreams.get(streamId);
    if (!ns) throw new ProtocolError('COMMAND_INVALID', `${action} on message stream ${streamId}, which createStream did not open`);
    return ns.role === 'idle';
  }

  private rejectStream(streamId: number, action: Action, status: StatusCode, reason: string, stream = '', code?: string): void {
    this.context.log.warn('rtmp.reject', { session: this.id, peer: this.peer, protocol: this.protocol, action, app: this.app, stream, code, reason });
    this.sendStatus(streamId, status, reason);
    this.connection.end();
  }

  // Holds every later message until the decision, so replies keep the order of requests.
  private authorize(action: Action, stream: string, query: URLSearchParams, then: (decision: Decision) => void): void {
    const request: AuthorizationRequest = {
      action,
      app: this.app,
      stream,
      query,
      commandObject: this.commandObject,
      connectArgs: this.connectArgs,
      remoteAddress: this.remoteAddress,
      protocol: this.protocol,
      connectQuery: this.connectQuery,
      identity: this.identity,
    };
    this.held = [];
    void decide(this.context.authorize, request, this.context.authorizationTimeoutMs).then((decision) => {
      const held = this.held ?? [];
      this.held = null;
      if (this.phase === 'closed' || this.connection.isClosed) return;
      try {
        then(decision);
        for (const [message, raw] of held) this.onMessage(message, raw);
      } catch (error) {
        this.connection.destroy(error instanceof ProtocolError ? error : new ProtocolError('COMMAND_INVALID', String(error)));
      }
    });
  }

  private result(command: CommandMessage, value?: AmfValue): void {
    if (command.transactionId === 0) return;
    this.connection.send({ type: 'command', name: '_result', transactionId: command.transactionId, commandObject: null, args: value === undefined ? [] : [value] });
  }

  private errorCommand(command: CommandMessage, code: StatusCode, description: string): RtmpMessage {
    return { type: 'command', name: '_error', transactionId: command.transactionId, commandObject: null, args: [statusInfo(code, description)] };
  }

  private status(code: StatusCode, description: string): RtmpMessage {
    return { type: 'command', name: 'onStatus', transactionId: 0, commandObject: null, args: [statusInfo(code, description)] };
  }

  sendStatus(streamId: number, code: StatusCode, description: string): void {
    this.connection.send(this.status(code, description), streamId);
  }
}

/** A playing RTMP message stream as a reader of the hub. */
class PlayerReader implements StreamReader {
  readonly protocol: ReaderProtocol;
  readonly remoteAddress: string;
  private stopTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly session: ServerSession,
    private readonly streamId: number,
    readonly format: PacketFormat,
  ) {
    this.protocol = session.protocol;
    this.remoteAddress = session.remoteAddress;
  }

  get id(): number {
    return this.session.id;
  }

  get queue() {
    return this.session.connection.queue;
  }

  stopAfter(ms: number, stop: () => void): void {
    this.stopTimer = setTimeout(stop, ms);
  }

  cancelStop(): void {
    clearTimeout(this.stopTimer);
  }

  publishStarted(stream: LiveStream): void {
    this.session.connection.send({ type: 'userControl', event: 'streamBegin', streamId: this.streamId });
    this.session.sendStatus(this.streamId, 'NetStream.Play.PublishNotify', `${stream.path} is now published.`);
  }

  publishEnded(stream: LiveStream): void {
    this.session.sendStatus(this.streamId, 'NetStream.Play.UnpublishNotify', `${stream.path} is now unpublished.`);
  }
}
