// Test doubles for the hub: a sink the test drives, a format that names packets, and readers.
import type { LiveStream } from '../../../../src/server/hub/live-stream';
import type { MediaPacket, PacketFormat } from '../../../../src/server/hub/media-packet';
import { OutputQueue, type OutputQueueOptions, type PacketSink } from '../../../../src/server/hub/output-queue';
import type { ReaderProtocol, StreamReader } from '../../../../src/server/hub/stream-reader';

/** A transport whose backlog and write result the test sets, and whose drain it fires. */
export class FakeSink implements PacketSink {
  pendingBytes = 0;
  /** What the next write returns: false asks the queue to wait for drain. */
  accept = true;
  readonly writes: Buffer[][] = [];
  private drainListeners: (() => void)[] = [];

  write(batch: Buffer[]): boolean {
    this.writes.push(batch);
    return this.accept;
  }

  onceDrain(listener: () => void): void {
    this.drainListeners.push(listener);
  }

  get drainListenerCount(): number {
    return this.drainListeners.length;
  }

  drain(): void {
    this.accept = true;
    const listeners = this.drainListeners;
    this.drainListeners = [];
    for (const listener of listeners) listener();
  }

  /** Every item written so far, as text, in order; a buffer holding several '|'-terminated items (a shared batch) counts as each. */
  get written(): string[] {
    return this.writes.flat().flatMap((bytes) => {
      const text = bytes.toString('latin1');
      return text.includes('|') ? text.split('|').slice(0, -1) : [text];
    });
  }
}

const NAMES = new WeakMap<Buffer, string>();

/** Gives a payload the name NamingFormat writes for it. */
export function named(name: string, payload: Buffer): Buffer {
  NAMES.set(payload, name);
  return payload;
}

/**
 * Encodes a packet as "name@timestamp|" (see `named`) and counts its calls: the hub must
 * encode each packet once per format. The terminator lets a shared batch be read item by item.
 */
export class NamingFormat implements PacketFormat {
  encodeCalls = 0;

  encode(packet: MediaPacket): Buffer {
    this.encodeCalls++;
    return Buffer.from(`${NAMES.get(packet.payload) ?? packet.kind}@${packet.timestamp}|`, 'latin1');
  }
}

/** A reader that records publish events, announcing them in its queue as a player would. */
export class FakeReader implements StreamReader {
  readonly protocol: ReaderProtocol = 'rtmp';
  readonly remoteAddress = '127.0.0.1';
  readonly sink = new FakeSink();
  readonly queue: OutputQueue;
  readonly events: string[] = [];

  constructor(
    readonly format: PacketFormat,
    readonly id = 1,
    options: OutputQueueOptions = {},
  ) {
    this.queue = new OutputQueue(this.sink, options);
  }

  publishStarted(stream: LiveStream): void {
    this.events.push(`started ${stream.path}`);
    this.queue.pushControl(Buffer.from('publishStarted|'));
  }

  publishEnded(stream: LiveStream): void {
    this.events.push(`ended ${stream.path}`);
    this.queue.pushControl(Buffer.from('publishEnded|'));
  }

  /** Packet names as written, timestamps stripped. */
  get names(): string[] {
    return this.sink.written.map((text) => text.split('@')[0]);
  }

  /** Output timestamps of the packets written with the given name prefix. */
  timestamps(prefix = ''): number[] {
    return this.sink.written.filter((text) => text.includes('@') && text.startsWith(prefix)).map((text) => Number(text.split('@')[1]));
  }
}

/** Lets the microtask that flushes a stream's readers run. */
export const afterFlush = (): Promise<void> => new Promise((resolve) => queueMicrotask(resolve));
