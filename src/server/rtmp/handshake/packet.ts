// Handshake framing shared by both ends (Adobe RTMP 1.0 spec §5.2): sizes, version byte, progress, collection.
import { randomBytes as cryptoRandomBytes } from 'node:crypto';

/** C0/S0 version byte (§5.2.2); 6 would ask for RTMPE, which we do not speak. */
export const RTMP_VERSION = 3;
/** Size of C1/S1/C2/S2 (§5.2.3, §5.2.4). */
export const PACKET_SIZE = 1536;

/** What one push produced. */
export interface HandshakeProgress {
  /** Bytes to send to the peer now. */
  output: Buffer | null;
  /** True once the handshake is complete; every later byte belongs to the chunk stream. */
  done: boolean;
  /** Bytes after the last handshake packet, already belonging to the chunk stream. */
  rest: Buffer;
}

/** Which handshake the server answered with. */
export type HandshakeStyle = 'simple' | 'digest';

export interface HandshakeOptions {
  /** Source of the random fill in C1/S1/C2/S2 (default: node:crypto randomBytes). */
  randomBytes?: (n: number) => Buffer;
  /** Clock for the 4-byte time field of C1/S1, in milliseconds, taken modulo 2^32 (default: Date.now). */
  now?: () => number;
}

export const EMPTY = Buffer.alloc(0);

/** Resolves options to their defaults once, so the hot path never checks for undefined. */
export function resolveOptions(options: HandshakeOptions): Required<HandshakeOptions> {
  return { randomBytes: options.randomBytes ?? cryptoRandomBytes, now: options.now ?? Date.now };
}

/** Writes the §5.2.3 time field: the sender's epoch for the chunks it will send. */
export function writeTime(packet: Buffer, now: () => number): void {
  packet.writeUInt32BE(now() >>> 0, 0);
}

/** Fills a region with random bytes from the configured source. */
export function fillRandom(target: Buffer, randomBytes: (n: number) => Buffer): void {
  randomBytes(target.length).copy(target);
}

/** Gathers a fixed-size run of bytes from arbitrary pieces into one preallocated buffer. */
export class PacketCollector {
  readonly bytes: Buffer;
  private filled = 0;

  constructor(size: number) {
    this.bytes = Buffer.allocUnsafe(size);
  }

  get length(): number {
    return this.filled;
  }

  get complete(): boolean {
    return this.filled === this.bytes.length;
  }

  /** Copies what still fits from `chunk` and returns how many bytes it took. */
  take(chunk: Buffer): number {
    const taken = Math.min(this.bytes.length - this.filled, chunk.length);
    chunk.copy(this.bytes, this.filled, 0, taken);
    this.filled += taken;
    return taken;
  }
}
