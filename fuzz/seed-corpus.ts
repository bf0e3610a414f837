// npx tsx fuzz/seed-corpus.ts: (re)writes fuzz/corpus/<target>/seed-*.bin from the real-client captures in
// test/fixtures (ffmpeg and rtmpdump handshakes, ffmpeg's chunk stream, AMF payloads, the FLV file), plus
// PROXY headers from the spec's examples, which no fixture holds. Regression inputs (regression-*) are kept.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlvDemuxer } from '../src/server/flv/demuxer';
import { crc32c } from '../src/server/proxy/crc32c';
import { V2_SIGNATURE } from '../src/server/proxy/header';
import { decodeAmf0, encodeAmf3 } from '../src/server/rtmp/amf';
import { ChunkEncoder } from '../src/server/rtmp/chunk';
import { FUZZ_DIR, TARGET_NAMES, type TargetName } from './targets';

const FIXTURES = join(FUZZ_DIR, '..', 'test', 'fixtures');
const hex = (path: string): Buffer => Buffer.from(readFileSync(join(FIXTURES, path), 'latin1').replace(/\s+/g, ''), 'hex');

const seeds: Record<TargetName, Buffer[]> = Object.fromEntries(TARGET_NAMES.map((name) => [name, []])) as unknown as Record<TargetName, Buffer[]>;

// Handshakes: C0+C1 and C2 of each captured client, then the first bytes of ffmpeg's chunk stream.
const chunkCapture = readFileSync(join(FIXTURES, 'chunk', 'ffmpeg-publish.bin'));
for (const client of ['ffmpeg-publisher', 'ffmpeg-player', 'rtmpdump']) {
  seeds.handshake.push(Buffer.concat([hex(`handshake/${client}-c0c1.hex`), hex(`handshake/${client}-c2.hex`), chunkCapture.subarray(0, 256)]));
}

// AMF0: every captured command and data payload; AMF3: the same values in AMF3.
const amfFiles = readdirSync(join(FIXTURES, 'amf')).filter((file) => file.endsWith('.hex')).sort();
const amfPayloads = amfFiles.map((file) => hex(`amf/${file}`));
seeds.amf0.push(...amfPayloads);
for (const payload of amfPayloads) seeds.amf3.push(encodeAmf3(decodeAmf0(payload)));

// Chunk streams: ffmpeg's whole publish session, and each captured command alone on chunk stream 3.
seeds.chunk.push(chunkCapture);
for (const payload of amfPayloads) {
  seeds.chunk.push(new ChunkEncoder().encode({ chunkStreamId: 3, typeId: payload.toString('latin1').includes('onMetaData') ? 18 : 20, streamId: 0, timestamp: 0, payload }));
}

// FLV: the ffmpeg-made file; media-info: the first bytes of its distinct kinds of audio and video bodies.
const flv = readFileSync(join(FIXTURES, 'flv', 'testsrc-h264-aac.flv'));
seeds.flv.push(flv);
const kinds = new Map<string, Buffer>();
new FlvDemuxer((tag) => {
  const key = `${tag.type}-${tag.body[0]}-${tag.body[1]}`;
  if ((tag.type === 8 || tag.type === 9) && !kinds.has(key)) kinds.set(key, Buffer.from(tag.body.subarray(0, 64)));
}).push(flv);
seeds['media-info'].push(...kinds.values());
// Enhanced RTMP forms the fixture lacks: hvc1 sequence start, av01 coded frames, a one-track multitrack, Opus.
seeds['media-info'].push(Buffer.from('\x90hvc1\x01\x02', 'latin1'), Buffer.from('\x91av01\x00\x00', 'latin1'), Buffer.from('\x96\x01hvc1\x02\x00\x00', 'latin1'), Buffer.from('\x90Opus\x01', 'latin1'));

// PROXY (proxy-protocol.txt §2.1, §2.2 examples), each followed by an RTMP C0.
const C0 = Buffer.of(3);
for (const line of ['PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n', 'PROXY TCP6 2001:db8::1 ::1 56324 1935\r\n', 'PROXY UNKNOWN\r\n']) {
  seeds.proxy.push(Buffer.concat([Buffer.from(line, 'latin1'), C0]));
}
function v2(command: number, family: number, body: Buffer): Buffer {
  const fixed = Buffer.concat([V2_SIGNATURE, Buffer.of(0x20 | command, family, body.length >> 8, body.length & 0xff)]);
  return Buffer.concat([fixed, body]);
}
const tcp4 = Buffer.of(192, 168, 0, 1, 192, 168, 0, 11, 0xdc, 0x04, 0x07, 0x8f);
const crcTlv = Buffer.of(0x03, 0, 4, 0, 0, 0, 0);
const uniqueId = Buffer.concat([Buffer.of(0x05, 0, 8), Buffer.from('abcdefgh')]);
const withCrc = v2(1, 0x11, Buffer.concat([tcp4, uniqueId, crcTlv]));
withCrc.writeUInt32BE(crc32c(withCrc), withCrc.length - 4);
const ssl = Buffer.concat([Buffer.of(0x20, 0, 5 + 10), Buffer.of(1, 0, 0, 0, 0), Buffer.of(0x21, 0, 7), Buffer.from('TLSv1.3')]);
seeds.proxy.push(
  Buffer.concat([withCrc, C0]),
  Buffer.concat([v2(0, 0x00, Buffer.alloc(0)), C0]),
  Buffer.concat([v2(1, 0x21, Buffer.concat([Buffer.alloc(15), Buffer.of(1), Buffer.alloc(15), Buffer.of(1), Buffer.of(0xdc, 0x04, 0x07, 0x8f), ssl])), C0]),
);

for (const name of TARGET_NAMES) {
  const dir = join(FUZZ_DIR, 'corpus', name);
  mkdirSync(dir, { recursive: true });
  for (const file of readdirSync(dir)) if (file.startsWith('seed-')) rmSync(join(dir, file));
  seeds[name].forEach((seed, i) => writeFileSync(join(dir, `seed-${String(i).padStart(2, '0')}.bin`), seed));
  console.log(`${name}: ${seeds[name].length} seeds`);
}
