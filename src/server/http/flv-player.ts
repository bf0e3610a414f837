import { encodeFlvHeader } from '../flv/header';
import { flvTagFormat } from '../flv/tag-format';
import type { LiveStream } from '../hub/live-stream';
import { OutputQueue, type PacketSink } from '../hub/output-queue';
import type { StreamReader } from '../hub/stream-reader';
import type { StreamRegistry } from '../hub/stream-registry';

/** Why a player ends: its publisher left, or the server shuts down. */
export type EndReason = 'unpublished' | 'shutdown';

/** The byte stream a player writes to: an HTTP response body or a WebSocket. */
export interface FlvTransport {
  readonly sink: PacketSink;
  /** Ends the stream cleanly after everything written so far. */
  end(reason: EndReason): void;
}

export interface FlvPlayerOptions {
  id: number;
  protocol: 'http-flv' | 'ws-flv';
  remoteAddress: string;
  registry: StreamRegistry;
  stream: LiveStream;
  transport: FlvTransport;
  maxQueueBytes?: number;
}

/**
 * One HTTP-FLV or WS-FLV client of a live stream: the FLV header, then decoder headers, the
 * cached GOP and live tags through its bounded queue. It ends when the publisher leaves.
 */
export class FlvPlayer implements StreamReader {
  readonly id: number;
  readonly protocol: 'http-flv' | 'ws-flv';
  readonly remoteAddress: string;
  readonly format = flvTagFormat;
  readonly queue: OutputQueue;
  readonly stream: LiveStream;
  private readonly registry: StreamRegistry;
  private readonly transport: FlvTransport;
  private attached = false;

  constructor(options: FlvPlayerOptions) {
    this.id = options.id;
    this.protocol = options.protocol;
    this.remoteAddress = options.remoteAddress;
    this.registry = options.registry;
    this.stream = options.stream;
    this.transport = options.transport;
    this.queue = new OutputQueue(options.transport.sink, { maxQueueBytes: options.maxQueueBytes });
  }

  /** Sends the FLV header (flags from the codecs seen so far, both when none yet), then joins the stream. */
  start(): void {
    const { video, audio } = this.stream.codecs;
    const unknown = video === '' && audio === '';
    this.queue.pushControl(encodeFlvHeader({ audio: unknown || audio !== '', video: unknown || video !== '' }));
    this.attached = true;
    this.stream.addReader(this);
  }

  // A player only ever joins a live stream and leaves with its publisher: nothing to announce.
  publishStarted(): void {}

  publishEnded(): void {
    this.detach();
    this.endAfterQueue();
  }

  /** The client went away: stop reading the stream and forget what was queued for it. */
  stop(): void {
    this.detach();
    this.queue.close();
  }

  /** Server shutdown: stop and end the transport. */
  close(): void {
    this.stop();
    this.transport.end('shutdown');
  }

  private detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.stream.removeReader(this);
    this.registry.release(this.stream);
  }

  // Delivers the tags still queued behind a full transport before ending it.
  private endAfterQueue(): void {
    this.queue.flush();
    if (this.queue.hasPending) this.transport.sink.onceDrain(() => this.endAfterQueue());
    else this.transport.end('unpublished');
  }
}
