// The fuzz targets: each parser driven the way the server drives it, with a generator of mostly-valid
// inputs and a seed corpus (fuzz/corpus/<target>/) for the mutator. A target throws only ProtocolError on
// bad input; anything else (including an InvariantError from the checks here) is a crash.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlvDemuxer } from '../src/server/flv/demuxer';
import { audioInfo, videoInfo } from '../src/server/flv/media-info';
import { ProxyHeaderParser } from '../src/server/proxy';
import { decodeAmf0, decodeAmf3 } from '../src/server/rtmp/amf';
import { ChunkDecoder } from '../src/server/rtmp/chunk';
import { ServerHandshake } from '../src/server/rtmp/handshake';
import { PACKET_SIZE } from '../src/server/rtmp/handshake/packet';
import { decodeMessage, splitAggregate } from '../src/server/rtmp/messages';
import type { RawMessage } from '../src/server/rtmp/raw-message';
import { DEFAULT_LIMITS } from '../src/server/session/rtmp-connection';
import { amf0Input, amf3Input } from './generators/amf';
import { chunkInput } from './generators/chunk';
import { flvInput } from './generators/flv';
import { handshakeInput } from './generators/handshake';
import { mediaBody } from './generators/media';
import { proxyInput } from './generators/proxy';
import type { Rng } from './random';

export const TARGET_NAMES = ['handshake', 'chunk', 'amf0', 'amf3', 'flv', 'proxy', 'media-info'] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

export interface FuzzTarget {
  name: TargetName;
  /** A structured, mostly-valid input. */
  generate(rng: Rng): Buffer;
  /** Push parsers get their input in random pieces; whole-buffer decoders get it in one. */
  pieced: boolean;
  /** Parses one input, delivered as `pieces`. */
  execute(pieces: Buffer[]): void;
}

/** A parser broke a promise of its API (not a ProtocolError: counted as a crash). */
export class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

export const FUZZ_DIR = fileURLToPath(new URL('.', import.meta.url));

// S1/S2 fill: the handshake's answer is not under test, the parsing of C0/C1/C2 is.
const ZEROS = Buffer.alloc(PACKET_SIZE);
const answerFill = (n: number): Buffer => ZEROS.subarray(0, n);
const S0S1S2_LENGTH = 1 + 2 * PACKET_SIZE;
const C0C1C2_LENGTH = 1 + 2 * PACKET_SIZE;

/** Checks that a push parser handed back exactly the input's tail after its header: no byte lost or doubled. */
function expectTail(pieces: Buffer[], rests: Buffer[], headerLength: number | null): void {
  const input = Buffer.concat(pieces);
  const rest = Buffer.concat(rests);
  if (headerLength !== null && rest.length !== input.length - headerLength) {
    throw new InvariantError(`rest is ${rest.length} bytes, expected ${input.length - headerLength}`);
  }
  if (!rest.equals(input.subarray(input.length - rest.length))) throw new InvariantError('rest is not the tail of the input');
}

// The server's path (RtmpConnection.onData): C0+C1 answered with S0+S1+S2, C2 skipped, the rest handed on.
function executeHandshake(pieces: Buffer[]): void {
  const handshake = new ServerHandshake({ randomBytes: answerFill });
  const rests: Buffer[] = [];
  let output = 0;
  let done = false;
  for (const piece of pieces) {
    const progress = handshake.push(piece);
    output += progress.output?.length ?? 0;
    if (!progress.done && progress.rest.length > 0) throw new InvariantError('rest before the handshake is done');
    done = progress.done;
    rests.push(progress.rest);
  }
  if (done && output !== S0S1S2_LENGTH) throw new InvariantError(`answered ${output} bytes, not S0+S1+S2`);
  if (done) expectTail(pieces, rests, C0C1C2_LENGTH);
}

// The server's path (RtmpConnection.receive, ServerSession.onMessage): chunks to raw messages to typed ones,
// aggregates split and their sub-messages decoded, with the server's default limits.
function executeChunk(pieces: Buffer[]): void {
  const receive = (raw: RawMessage): void => {
    const message = decodeMessage(raw);
    if (message.type === 'aggregate') for (const sub of splitAggregate(raw)) decodeMessage(sub);
  };
  const { maxChunkSize, maxMessageSize, maxChunkStreams } = DEFAULT_LIMITS;
  const decoder = new ChunkDecoder(receive, { maxChunkSize, maxMessageSize, maxChunkStreams });
  for (const piece of pieces) decoder.push(piece);
}

function executeFlv(pieces: Buffer[]): void {
  const demuxer = new FlvDemuxer(() => {});
  for (const piece of pieces) demuxer.push(piece);
}

function executeProxy(pieces: Buffer[]): void {
  const parser = new ProxyHeaderParser();
  const rests: Buffer[] = [];
  for (const piece of pieces) {
    const parse = parser.push(piece);
    if (parse.state === 'done') rests.push(parse.rest);
  }
  if (rests.length > 0) expectTail(pieces, rests, null);
}

export const TARGETS: Record<TargetName, FuzzTarget> = {
  handshake: { name: 'handshake', generate: handshakeInput, pieced: true, execute: executeHandshake },
  chunk: { name: 'chunk', generate: chunkInput, pieced: true, execute: executeChunk },
  amf0: { name: 'amf0', generate: amf0Input, pieced: false, execute: ([bytes]) => void decodeAmf0(bytes) },
  amf3: { name: 'amf3', generate: amf3Input, pieced: false, execute: ([bytes]) => void decodeAmf3(bytes) },
  flv: { name: 'flv', generate: flvInput, pieced: true, execute: executeFlv },
  proxy: { name: 'proxy', generate: proxyInput, pieced: true, execute: executeProxy },
  'media-info': {
    name: 'media-info',
    generate: mediaBody,
    pieced: false,
    execute: ([body]) => {
      videoInfo(body);
      audioInfo(body);
    },
  },
};

export function isTargetName(name: string): name is TargetName {
  return (TARGET_NAMES as readonly string[]).includes(name);
}

/** The seed corpus of a target, in file-name order so that input i of a run is reproducible. */
export function loadCorpus(name: TargetName, dir = join(FUZZ_DIR, 'corpus', name)): Buffer[] {
  const files = readdirSync(dir).filter((file) => !file.startsWith('.') && !file.endsWith('.md')).sort();
  const corpus = files.map((file) => readFileSync(join(dir, file)));
  if (corpus.length === 0) throw new Error(`empty seed corpus in ${dir}`);
  return corpus;
}
