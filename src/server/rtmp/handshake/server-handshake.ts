// Server end of the RTMP handshake (Adobe RTMP 1.0 spec §5.2) as a push parser: C0+C1 in, S0+S1+S2 out,
// then C2 read and set aside. Answers a Flash-style digest C1 in kind, anything else with the simple handshake.
import { ProtocolError } from '../../errors';
import {
  PLAYER_KEY_PUBLIC,
  SERVER_KEY,
  SERVER_KEY_PUBLIC,
  SIGNED_LENGTH,
  findDigest,
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
import type { HandshakeOptions, HandshakeProgress, HandshakeStyle } from './packet';

// Version we announce in a digest S1: FMS 3.5.1.1. Byte 0 >= 3 tells the client to verify S1 and S2.
const SERVER_VERSION = Buffer.from([3, 5, 1, 1]);

type State = 'c0c1' | 'c2' | 'done';

export class ServerHandshake {
  private readonly options: Required<HandshakeOptions>;
  private state: State = 'c0c1';
  private readonly c0c1 = new PacketCollector(1 + PACKET_SIZE);
  private c2Missing = PACKET_SIZE;
  private answeredWith: HandshakeStyle | null = null;

  constructor(options: HandshakeOptions = {}) {
    this.options = resolveOptions(options);
  }

  /** The handshake chosen for this client, once C1 is in. */
  get style(): HandshakeStyle | null {
    return this.answeredWith;
  }

  /** Feeds bytes from the client; once done, every byte is returned untouched in `rest`. */
  push(bytes: Buffer): HandshakeProgress {
    if (this.state === 'done') return { output: null, done: true, rest: bytes };
    let consumed = 0;
    let output: Buffer | null = null;
    if (this.state === 'c0c1') {
      consumed = this.c0c1.take(bytes);
      // Fail on the first byte, so an HTTP request or an RTMPE client is refused before 1537 bytes pile up.
      if (this.c0c1.length > 0 && this.c0c1.bytes[0] !== RTMP_VERSION) {
        throw new ProtocolError('HANDSHAKE_BAD_VERSION', `C0 asks for RTMP version ${this.c0c1.bytes[0]}, not 3`);
      }
      if (!this.c0c1.complete) return { output: null, done: false, rest: EMPTY };
      output = this.answer(this.c0c1.bytes.subarray(1));
      this.state = 'c2';
    }
    // C2 content is not checked: ffmpeg publishers echo S1, ffmpeg players sign random bytes, librtmp echoes
    // S1 with its own times, some encoders send anything. Like FMS and nginx-rtmp we only need its 1536
    // bytes to find where the chunk stream starts; the handshake authenticates nothing.
    const skipped = Math.min(this.c2Missing, bytes.length - consumed);
    this.c2Missing -= skipped;
    consumed += skipped;
    if (this.c2Missing > 0) return { output, done: false, rest: EMPTY };
    this.state = 'done';
    return { output, done: true, rest: bytes.subarray(consumed) };
  }

  /** Builds S0+S1+S2 in one buffer for the given C1. */
  private answer(c1: Buffer): Buffer {
    const { randomBytes, now } = this.options;
    const answer = Buffer.allocUnsafe(1 + 2 * PACKET_SIZE);
    answer[0] = RTMP_VERSION;
    const s1 = answer.subarray(1, 1 + PACKET_SIZE);
    const s2 = answer.subarray(1 + PACKET_SIZE);
    writeTime(s1, now);
    fillRandom(s1.subarray(8), randomBytes);
    const c1Digest = findDigest(c1, PLAYER_KEY_PUBLIC);
    if (c1Digest === null) {
      this.answeredWith = 'simple';
      s1.writeUInt32BE(0, 4); // §5.2.3: zero field
      c1.copy(s2); // §5.2.4: S2 echoes C1
      return answer;
    }
    this.answeredWith = 'digest';
    SERVER_VERSION.copy(s1, 4);
    imprintDigest(s1, c1Digest.schema, SERVER_KEY_PUBLIC);
    fillRandom(s2.subarray(0, SIGNED_LENGTH), randomBytes);
    signPacket(s2, c1Digest.digest, SERVER_KEY);
    return answer;
  }
}
