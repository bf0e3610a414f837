// What the soak run throws at the server while a legitimate stream plays: garbage bytes, slow and silent
// half-open connections, connect/disconnect floods up to the connection limit, oversized chunk sizes and
// messages, and broken AMF commands. Each attack loops until stopped and counts what it did.
import net from 'node:net';
import { encodeAmf0 } from '../src/server/rtmp/amf';
import { ChunkEncoder } from '../src/server/rtmp/chunk';
import { ClientHandshake } from '../src/server/rtmp/handshake';
import { amf0Tokens } from './generators/amf';
import { chunkInput } from './generators/chunk';
import { mutate } from './mutate';
import { Rng } from './random';

export interface AttackCounts {
  garbage: number;
  slow: number;
  silent: number;
  flood: number;
  oversized: number;
  brokenAmf: number;
  fuzzedChunks: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A connection that is destroyed when the attack stops or after `lifeMs`, whichever comes first. */
function open(port: number, lifeMs: number, sockets: Set<net.Socket>): net.Socket {
  const socket = net.connect({ host: '127.0.0.1', port });
  sockets.add(socket);
  socket.on('error', () => {});
  socket.on('close', () => sockets.delete(socket));
  socket.setTimeout(lifeMs, () => socket.destroy());
  return socket;
}

/** Does a real (digest) handshake on a raw socket, then writes `after`. */
function handshakeThen(socket: net.Socket, after: Buffer): void {
  const handshake = new ClientHandshake();
  socket.on('connect', () => socket.write(handshake.start()));
  let done = false;
  socket.on('data', (bytes: Buffer) => {
    if (done) return;
    try {
      const progress = handshake.push(bytes);
      if (progress.output) socket.write(progress.output);
      if (!progress.done) return;
      done = true;
      socket.write(after);
    } catch {
      socket.destroy();
    }
  });
}

/** A chunk stream: one command message on chunk stream 3. */
function command(payload: Buffer, encoder = new ChunkEncoder()): Buffer {
  return encoder.encode({ chunkStreamId: 3, typeId: 20, streamId: 0, timestamp: 0, payload });
}

const CONNECT = encodeAmf0(['connect', 1, { app: 'live', tcUrl: 'rtmp://127.0.0.1/live', flashVer: 'FMLE/3.0' }]);

export class Attacks {
  readonly counts: AttackCounts = { garbage: 0, slow: 0, silent: 0, flood: 0, oversized: 0, brokenAmf: 0, fuzzedChunks: 0 };
  private readonly sockets = new Set<net.Socket>();
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private readonly rng = new Rng(Date.now() >>> 0);

  constructor(
    private readonly port: number,
    private readonly options: { maxConnections: number; halfOpen: number; floodPerSecond: number; amfCorpus: readonly Buffer[] },
  ) {}

  start(): void {
    this.loops.push(
      this.every(20, () => this.garbage()),
      this.every(1000, () => this.halfOpen()),
      this.every(100, () => this.flood(Math.ceil(this.options.floodPerSecond / 10))),
      this.every(50, () => this.oversized()),
      this.every(20, () => this.brokenAmf()),
      this.every(20, () => this.fuzzedChunks()),
    );
  }

  /** Opens connections until the server's limit is passed, holds them a moment, and counts the refused ones. */
  async saturate(): Promise<{ refused: number }> {
    const held: net.Socket[] = [];
    let refused = 0;
    const count = this.options.maxConnections + 50;
    for (let i = 0; i < count; i++) {
      const socket = open(this.port, 10_000, this.sockets);
      socket.on('close', () => refused++);
      held.push(socket);
    }
    await sleep(1500);
    for (const socket of held) socket.destroy();
    return { refused };
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    for (const socket of this.sockets) socket.destroy();
  }

  private async every(ms: number, run: () => void): Promise<void> {
    while (this.running) {
      run();
      await sleep(ms);
    }
  }

  // Random bytes: half start with the RTMP version byte, so some get as far as the handshake.
  private garbage(): void {
    const socket = open(this.port, 3000, this.sockets);
    const bytes = this.rng.bytes(1 + this.rng.size(4096));
    if (this.rng.chance(0.5)) bytes[0] = 3;
    socket.on('connect', () => socket.end(bytes));
    this.counts.garbage++;
  }

  // Keeps `halfOpen` connections that send C0 and then one byte a second, and as many that send nothing;
  // the server's handshake timeout must reap them.
  private halfOpen(): void {
    let slow = 0;
    let silent = 0;
    for (const socket of this.sockets) {
      if ((socket as SlowSocket).slow === true) slow++;
      else if ((socket as SlowSocket).slow === false) silent++;
    }
    for (; slow < this.options.halfOpen; slow++) {
      const socket = open(this.port, 60_000, this.sockets) as SlowSocket;
      socket.slow = true;
      socket.on('connect', () => socket.write(Buffer.of(3)));
      const drip = setInterval(() => (socket.destroyed ? clearInterval(drip) : socket.write(this.rng.bytes(1))), 1000);
      socket.on('close', () => clearInterval(drip));
      this.counts.slow++;
    }
    for (; silent < this.options.halfOpen; silent++) {
      const socket = open(this.port, 60_000, this.sockets) as SlowSocket;
      socket.slow = false;
      this.counts.silent++;
    }
  }

  // Connects and disconnects at once (some right after connecting, some after a random C0C1).
  private flood(count: number): void {
    for (let i = 0; i < count; i++) {
      const socket = open(this.port, 1000, this.sockets);
      socket.on('connect', () => {
        if (this.rng.chance(0.5)) socket.write(new ClientHandshake().start());
        setImmediate(() => socket.destroy());
      });
      this.counts.flood++;
    }
  }

  // After a good handshake: a Set Chunk Size of 0 or 2^31-1 or above the limit, or a message header claiming
  // 16 MB, or a real 9 MB message, or a command sent in chunks of 1 byte.
  private oversized(): void {
    const encoder = new ChunkEncoder();
    const kind = this.rng.below(4);
    let after: Buffer;
    if (kind === 0) {
      const size = Buffer.allocUnsafe(4);
      size.writeUInt32BE(this.rng.pick([0, 0x7fffffff, 0x80000000, 65537, 0xffffffff]));
      after = encoder.encode({ chunkStreamId: 2, typeId: 1, streamId: 0, timestamp: 0, payload: size });
    } else if (kind === 1) {
      after = Buffer.from([0x03, 0, 0, 0, 0xff, 0xff, 0xff, 20, 0, 0, 0, 0, ...this.rng.bytes(512)]);
    } else if (kind === 2) {
      encoder.setChunkSize(65536);
      const size = Buffer.allocUnsafe(4);
      size.writeUInt32BE(65536);
      after = Buffer.concat([
        encoder.encode({ chunkStreamId: 2, typeId: 1, streamId: 0, timestamp: 0, payload: size }),
        encoder.encode({ chunkStreamId: 6, typeId: 9, streamId: 1, timestamp: 0, payload: Buffer.alloc(9 * 1024 * 1024) }),
      ]);
    } else {
      encoder.setChunkSize(1);
      const size = Buffer.of(0, 0, 0, 1);
      after = Buffer.concat([new ChunkEncoder().encode({ chunkStreamId: 2, typeId: 1, streamId: 0, timestamp: 0, payload: size }), encoder.encode({ chunkStreamId: 3, typeId: 20, streamId: 0, timestamp: 0, payload: CONNECT })]);
    }
    handshakeThen(open(this.port, 5000, this.sockets), after);
    this.counts.oversized++;
  }

  // A connect whose AMF is mutated or made of random tokens, or a good connect then broken commands.
  private brokenAmf(): void {
    const encoder = new ChunkEncoder();
    const kind = this.rng.below(3);
    const after =
      kind === 0
        ? command(mutate(this.rng, this.options.amfCorpus), encoder)
        : kind === 1
          ? command(amf0Tokens(this.rng), encoder)
          : Buffer.concat([
              command(CONNECT, encoder),
              command(encodeAmf0([this.rng.pick(['createStream', 'publish', 'play', 'deleteStream', 'FCPublish']), this.rng.pick([2, -1, NaN, 'x']), null, this.rng.pick([null, 7, '', 'a'.repeat(5000), { a: 1 }, []])]), encoder),
              command(amf0Tokens(this.rng), encoder),
            ]);
    handshakeThen(open(this.port, 3000, this.sockets), after);
    this.counts.brokenAmf++;
  }

  // The chunk fuzzer's generator, over a real socket.
  private fuzzedChunks(): void {
    handshakeThen(open(this.port, 3000, this.sockets), chunkInput(this.rng));
    this.counts.fuzzedChunks++;
  }
}

type SlowSocket = net.Socket & { slow?: boolean };
