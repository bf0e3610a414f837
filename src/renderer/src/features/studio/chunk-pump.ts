// Sends MediaRecorder chunks to the encoder one at a time and in order, holding at most maxBytes while the encoder is busy.

/** A recorded chunk: a Blob in the browser. Its size is known before its bytes are read. */
export interface RecordedChunk {
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface ChunkPumpOptions {
  /** Delivers one chunk; resolves once the encoder has taken it (capture.chunk). */
  send(sequence: number, bytes: Uint8Array<ArrayBuffer>): Promise<unknown>;
  /** Bytes waiting plus the one in flight: beyond this the encoder has stalled. */
  maxBytes: number;
  /** The encoder took chunk `sequence`. */
  onAccepted(sequence: number): void;
  /** A chunk would not fit: the pump has closed and dropped what it held. */
  onOverflow(heldBytes: number, chunkBytes: number): void;
  /** A send failed (the session ended): the pump has closed. */
  onError(error: unknown): void;
}

/**
 * Backpressure between MediaRecorder (which never waits) and the encoder (which may): a slow send holds every
 * later chunk, and when the held bytes would pass maxBytes the pump gives up rather than grow without bound.
 */
export class ChunkPump {
  private readonly queue: RecordedChunk[] = [];
  private held = 0;
  private sequence = 0;
  private sending = false;
  private closed = false;
  private idle: (() => void)[] = [];

  constructor(private readonly options: ChunkPumpOptions) {}

  /** Bytes recorded and not yet taken by the encoder. */
  get heldBytes(): number {
    return this.held;
  }

  /** Queues one chunk; false when the pump is closed or the chunk overflowed it. */
  push(chunk: RecordedChunk): boolean {
    if (this.closed) return false;
    if (chunk.size === 0) return true;
    if (this.held + chunk.size > this.options.maxBytes) {
      const held = this.held;
      this.close();
      this.options.onOverflow(held, chunk.size);
      return false;
    }
    this.queue.push(chunk);
    this.held += chunk.size;
    void this.run();
    return true;
  }

  /** Resolves when every queued chunk has been taken, or the pump closed. */
  drained(): Promise<void> {
    if (this.closed || (!this.sending && this.queue.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Drops what is held and refuses later chunks. */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.held = 0;
    this.settle();
  }

  private async run(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (!this.closed && this.queue.length > 0) {
        const chunk = this.queue[0]!;
        const bytes = new Uint8Array(await chunk.arrayBuffer());
        if (this.closed) break;
        const sequence = this.sequence++;
        await this.options.send(sequence, bytes);
        if (this.closed) break;
        this.queue.shift();
        this.held -= chunk.size;
        this.options.onAccepted(sequence);
      }
    } catch (error) {
      if (!this.closed) {
        this.close();
        this.options.onError(error);
      }
    } finally {
      this.sending = false;
      this.settle();
    }
  }

  private settle(): void {
    if (!this.closed && (this.sending || this.queue.length > 0)) return;
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}
