import type { Writable } from 'node:stream';
import type { PacketSink } from './output-queue';

/** A socket (plain or TLS) or HTTP response as a PacketSink: one writev per batch. */
export function writableSink(stream: Writable): PacketSink {
  return {
    get pendingBytes() {
      return stream.writableLength;
    },
    write(batch) {
      if (batch.length === 1) return stream.write(batch[0]);
      stream.cork();
      let ok = true;
      for (const bytes of batch) ok = stream.write(bytes);
      stream.uncork();
      return ok;
    },
    onceDrain(listener) {
      stream.once('drain', listener);
    },
  };
}
