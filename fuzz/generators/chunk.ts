// Chunk streams as a peer sends them after the handshake (RTMP 1.0 §5.3): messages of every type through the
// real ChunkEncoder (so headers compress the way clients compress them), plus hand-made headers that push on
// the decoder's limits: new chunk streams, huge lengths, odd Set Chunk Sizes, extended timestamps.
import { ChunkEncoder } from '../../src/server/rtmp/chunk';
import { encodeFlvTag } from '../../src/server/flv/tag';
import { MessageTypeId } from '../../src/server/rtmp/messages';
import type { Rng } from '../random';
import { amf0Input, amf3Input } from './amf';
import { audioBody, videoBody } from './media';

const CHUNK_SIZES = [1, 2, 128, 129, 1000, 4096, 65536, 65537, 0x7fffffff, 0, 0x80000000];

function u32(value: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

/** An aggregate body (RTMP 1.0 §7.1.6): FLV-tag-shaped sub-messages, each with its back pointer. */
function aggregateBody(rng: Rng): Buffer {
  const count = rng.size(5);
  const tags: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const type = rng.chance(0.9) ? rng.pick([8, 9, 18, 15]) : rng.below(32);
    tags.push(encodeFlvTag(type, rng.next() >>> 1, type === 9 ? videoBody(rng) : type === 8 ? audioBody(rng) : amf0Input(rng)));
  }
  const body = Buffer.concat(tags);
  return rng.chance(0.2) ? body.subarray(0, rng.below(body.length + 1)) : body;
}

/** A body for a message of this type, sometimes cut short. */
function payloadFor(rng: Rng, typeId: number): Buffer {
  let body: Buffer;
  switch (typeId) {
    case MessageTypeId.SetChunkSize:
      body = u32(rng.pick(CHUNK_SIZES));
      break;
    case MessageTypeId.Abort:
      body = u32(rng.chance(0.8) ? rng.range(2, 10) : rng.next());
      break;
    case MessageTypeId.Acknowledgement:
    case MessageTypeId.WindowAcknowledgementSize:
      body = u32(rng.next());
      break;
    case MessageTypeId.SetPeerBandwidth:
      body = Buffer.concat([u32(rng.next()), Buffer.of(rng.below(4))]);
      break;
    case MessageTypeId.UserControl: {
      const event = Buffer.allocUnsafe(2);
      event.writeUInt16BE(rng.chance(0.9) ? rng.below(8) : rng.pick([0x1f, 0x20, 0xffff, rng.below(0x10000)]));
      body = Buffer.concat([event, rng.bytes(rng.pick([4, 8, rng.size(12)]))]);
      break;
    }
    case MessageTypeId.Audio:
      body = audioBody(rng);
      break;
    case MessageTypeId.Video:
      body = videoBody(rng);
      break;
    case MessageTypeId.CommandAmf3:
    case MessageTypeId.DataAmf3:
      // The AMF3 forms: a format byte (0), then AMF0 values that may switch to AMF3 (§7.1.1, §7.1.2).
      body = Buffer.concat([Buffer.of(rng.chance(0.9) ? 0 : rng.below(256)), rng.chance(0.7) ? amf0Input(rng) : Buffer.concat([Buffer.of(0x11), amf3Input(rng)])]);
      break;
    case MessageTypeId.DataAmf0:
    case MessageTypeId.CommandAmf0:
      body = amf0Input(rng);
      break;
    case MessageTypeId.Aggregate:
      body = aggregateBody(rng);
      break;
    default:
      body = rng.bytes(rng.size(64));
  }
  return rng.chance(0.1) ? body.subarray(0, rng.below(body.length + 1)) : body;
}

const TYPE_IDS = Object.values(MessageTypeId);

function chunkStreamId(rng: Rng): number {
  const k = rng.below(20);
  if (k < 16) return rng.range(2, 8);
  if (k < 18) return rng.range(64, 319); // 2-byte basic header
  return rng.range(320, 65599); // 3-byte basic header
}

/** A type 0 header written by hand (§5.3.1.2.1), for lengths and ids the encoder would never send. */
function rawHeader(rng: Rng): Buffer {
  const csid = rng.range(2, 63);
  const header = Buffer.alloc(12);
  header[0] = (rng.chance(0.8) ? 0 : rng.below(4) << 6) | csid;
  header.writeUIntBE(rng.chance(0.5) ? 0xffffff : rng.below(0x1000000), 1, 3);
  header.writeUIntBE(rng.pick([0x800001, 0xffffff, 0x7fffff, 0, rng.below(0x1000000)]), 4, 3);
  header[7] = rng.pick(TYPE_IDS);
  header.writeUInt32LE(rng.next(), 8);
  return header;
}

export function chunkInput(rng: Rng): Buffer {
  const encoder = new ChunkEncoder();
  const parts: Buffer[] = [];
  let timestamp = 0;
  // Now and then open one chunk stream after another, past the default limit of 64.
  const manyStreams = rng.chance(0.02);
  const count = manyStreams ? 70 : 1 + rng.size(16);
  for (let i = 0; i < count; i++) {
    if (!manyStreams && rng.chance(0.05)) {
      parts.push(rawHeader(rng));
      continue;
    }
    const typeId = manyStreams ? MessageTypeId.Audio : rng.chance(0.95) ? rng.pick(TYPE_IDS) : rng.below(256);
    const payload = payloadFor(rng, typeId);
    timestamp = rng.chance(0.05) ? rng.pick([0xffffff, 0x1000000, 0xffffffff, rng.next()]) : timestamp + rng.size(64);
    const csid = manyStreams ? 2 + i * 3 : typeId <= 6 ? 2 : chunkStreamId(rng);
    parts.push(encoder.encode({ chunkStreamId: csid, typeId, streamId: rng.chance(0.9) ? rng.below(3) : rng.next(), timestamp: timestamp >>> 0, payload }));
    // The decoder reads the next chunks with the new size, so the encoder follows when the size is legal.
    if (typeId === MessageTypeId.SetChunkSize && payload.length >= 4) {
      const size = payload.readUInt32BE(0);
      if (size >= 1 && size <= 0x7fffffff) encoder.setChunkSize(size);
    }
  }
  return Buffer.concat(parts);
}
