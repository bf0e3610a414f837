// FLV byte streams (FLV spec E.2-E.4): a header, then tags each followed by its PreviousTagSize, with
// every field mostly right and sometimes off.
import { FLV_HEADER_SIZE, encodeFlvHeader } from '../../src/server/flv/header';
import { TAG_HEADER_SIZE, encodeFlvTag } from '../../src/server/flv/tag';
import type { Rng } from '../random';
import { amf0Input } from './amf';
import { audioBody, videoBody } from './media';

export function flvInput(rng: Rng): Buffer {
  // encodeFlvHeader includes PreviousTagSize0, encodeFlvTag the PreviousTagSize after the tag.
  const header = encodeFlvHeader({ audio: rng.chance(0.8), video: rng.chance(0.8) });
  if (rng.chance(0.1)) header.writeUInt32BE(rng.pick([0, 8, 10, 64, 0xffffffff]), 5); // DataOffset
  if (rng.chance(0.05)) header[3] = rng.below(256); // Version
  if (rng.chance(0.05)) header.writeUInt32BE(rng.below(64), FLV_HEADER_SIZE); // PreviousTagSize0
  const parts = [header];
  let timestamp = 0;
  const count = rng.size(12);
  for (let i = 0; i < count; i++) {
    const type = rng.chance(0.9) ? rng.pick([8, 9, 18]) : rng.below(256);
    const body = type === 8 ? audioBody(rng) : type === 9 ? videoBody(rng) : type === 18 ? amf0Input(rng) : rng.bytes(rng.size(32));
    timestamp += rng.size(100);
    const tag = encodeFlvTag(type, timestamp & 0x7fffffff, body);
    if (rng.chance(0.03)) tag.writeUIntBE(rng.pick([0, 0xffffff, 0x800001, body.length + 1]), 1, 3); // DataSize
    if (rng.chance(0.03)) tag.writeUIntBE(rng.below(0x1000000), 8, 3); // StreamID, always 0 per spec
    if (rng.chance(0.03)) tag.writeUInt32BE(rng.next(), TAG_HEADER_SIZE + body.length); // PreviousTagSize
    parts.push(tag);
  }
  return Buffer.concat(parts);
}
