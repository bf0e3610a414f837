// Client end of the RTMP handshake (Adobe RTMP 1.0 spec §5.2) as a push parser: C0+C1 out, S0+S1+S2 in,
// C2 out. In digest mode it speaks like Flash Player and verifies a digest server's S1 and S2.
import { ProtocolError } from '../../errors';
import {
  PLAYER_KEY,
  PLAYER_KEY_PUBLIC,
  SERVER_KEY,
  SERVER_KEY_PUBLIC,
  SIGNED_LENGTH,
  findDigest,
  hasValidSignature,
  imprintDigest,
  signPacket,
} from './digest';
import {
  EMPTY,
  PACKET_SIZE,
  PacketCollector,
  RTMP_VERSION,
  fillRandom,
  resolveOptions,
  writeTime,
} from './packet';
import type { HandshakeOptions, HandshakeProgress } from './packet';

// Flash Player version we announce in a digest C1 (9.0.124.2, as ffmpeg does); non-zero means "digest".
const CLIENT_VERSION = Buffer.from([9, 0, 124, 2]);
// A server whose S1 version byte is at least this claims the digest handshake and must prove it.
const DIGEST_SERVER_MIN_VERSION = 3;

export interface ClientHandshakeOptions extends HandshakeOptions {
  /** Send a Flash-style digest C1 and verify a digest answer (default true); false sends a simple C1. */
  digest?: boolean;
}

type State = 'idle' | 's0s1s2' | 'done';

export class ClientHandshake {
  private readonly options: Required<HandshakeOptions>;
  private readonly digest: boolean;
  private state: State = 'idle';
  private readonly s0s1s2 = new PacketCollector(1 + 2 * PACKET_SIZE);
  private c1Digest: Buffer | null = null;

  constructor(options: ClientHandshakeOptions = {}) {
    this.options = resolveOptions(options);
    this.digest = options.digest ?? true;
  }

  /** Returns C0+C1, to be sent first. */
  start(): Buffer {
    if (this.state !== 'idle') throw new Error('ClientHandshake.start() called twice');
    const { randomBytes, now } = this.options;
    const c0c1 = Buffer.allocUnsafe(1 + PACKET_SIZE);
    c0c1[0] = RTMP_VERSION;
    const c1 = c0c1.subarray(1);
    writeTime(c1, now);
    fillRandom(c1.subarray(8), randomBytes);
    if (this.digest) {
      CLIENT_VERSION.copy(c1, 4);
      // Copied: the caller owns the returned buffer.
      this.c1Digest = Buffer.from(imprintDigest(c1, 0, PLAYER_KEY_PUBLIC));
    } else {
      c1.writeUInt32BE(0, 4); // §5.2.3: zero field
    }
    this.state = 's0s1s2';
    return c0c1;
  }

  /** Feeds bytes from the server; once done, every byte is returned untouched in `rest`. */
  push(bytes: Buffer): HandshakeProgress {
    if (this.state === 'idle') throw new Error('ClientHandshake.push() before start()');
    if (this.state === 'done') return { output: null, done: true, rest: bytes };
    const consumed = this.s0s1s2.take(bytes);
    if (this.s0s1s2.length > 0 && this.s0s1s2.bytes[0] !== RTMP_VERSION) {
      throw new ProtocolError('HANDSHAKE_BAD_VERSION', `S0 answers RTMP version ${this.s0s1s2.bytes[0]}, not 3`);
    }
    if (!this.s0s1s2.complete) return { output: null, done: false, rest: EMPTY };
    const s1 = this.s0s1s2.bytes.subarray(1, 1 + PACKET_SIZE);
    const s2 = this.s0s1s2.bytes.subarray(1 + PACKET_SIZE);
    const c2 = this.reply(s1, s2);
    this.state = 'done';
    return { output: c2, done: true, rest: bytes.subarray(consumed) };
  }

  /** Builds C2: signed random for a digest server, otherwise an echo of S1 (§5.2.4). S2 is not checked
   * against C1 in the simple case: servers differ in what they put there and the relay must reach them all. */
  private reply(s1: Buffer, s2: Buffer): Buffer {
    if (this.c1Digest === null || s1[4] < DIGEST_SERVER_MIN_VERSION) return s1;
    const s1Digest = findDigest(s1, SERVER_KEY_PUBLIC);
    if (s1Digest === null) {
      throw new ProtocolError('HANDSHAKE_BAD_DIGEST', `S1 announces version ${s1[4]} but carries no valid digest`);
    }
    if (!hasValidSignature(s2, this.c1Digest, SERVER_KEY)) {
      throw new ProtocolError('HANDSHAKE_BAD_DIGEST', 'S2 signature does not match our C1 digest');
    }
    const c2 = Buffer.allocUnsafe(PACKET_SIZE);
    fillRandom(c2.subarray(0, SIGNED_LENGTH), this.options.randomBytes);
    signPacket(c2, s1Digest.digest, PLAYER_KEY);
    return c2;
  }
}
