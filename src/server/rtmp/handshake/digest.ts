// Flash-style ("complex") handshake: an HMAC-SHA256 digest hidden in C1/S1 at an offset derived from the
// packet's own bytes, and a signature closing C2/S2 keyed with the peer's digest. The Adobe RTMP 1.0 spec
// (§5.2) documents only the simple handshake; this layout is what Flash Player, FMS, ffmpeg and librtmp use.
import { createHmac } from 'node:crypto';
import { PACKET_SIZE } from './packet';

/** Length of a digest and of a signature (SHA-256 output). */
export const DIGEST_LENGTH = 32;
/** C2/S2 bytes covered by the signature, which fills the last 32 bytes. */
export const SIGNED_LENGTH = PACKET_SIZE - DIGEST_LENGTH;

// Tail shared by both full keys; the public prefixes key the C1/S1 digests, the full keys the signatures.
const KEY_TAIL = Buffer.from('f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae', 'hex');
/** Full Flash Player key (62 bytes). */
export const PLAYER_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Player 001', 'latin1'), KEY_TAIL]);
/** Its public 30-byte prefix, which keys the C1 digest. */
export const PLAYER_KEY_PUBLIC = PLAYER_KEY.subarray(0, 30);
/** Full Flash Media Server key (68 bytes). */
export const SERVER_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Media Server 001', 'latin1'), KEY_TAIL]);
/** Its public 36-byte prefix, which keys the S1 digest. */
export const SERVER_KEY_PUBLIC = SERVER_KEY.subarray(0, 36);

/** Where the digest hides: schema 0 sums bytes 8..11 for its offset, schema 1 sums bytes 772..775. */
export type DigestSchema = 0 | 1;
const SCHEMAS: readonly DigestSchema[] = [0, 1];
const OFFSET_FIELD = [8, 772] as const;
// A 764-byte block holds the 4 offset bytes and the 32 digest bytes: 764 - 4 - 32 = 728 possible places.
const OFFSET_MODULUS = 728;

export interface FoundDigest {
  schema: DigestSchema;
  /** Position of the digest inside the 1536-byte packet. */
  offset: number;
  /** The digest bytes (a view into the packet). */
  digest: Buffer;
}

/** Position of the digest in a 1536-byte C1/S1 under `schema`. */
export function digestOffset(packet: Buffer, schema: DigestSchema): number {
  const field = OFFSET_FIELD[schema];
  const sum = packet[field] + packet[field + 1] + packet[field + 2] + packet[field + 3];
  return (sum % OFFSET_MODULUS) + field + 4;
}

/** HMAC-SHA256 of the packet with the 32 digest bytes at `offset` left out. */
export function computeDigest(packet: Buffer, offset: number, key: Buffer): Buffer {
  return createHmac('sha256', key)
    .update(packet.subarray(0, offset))
    .update(packet.subarray(offset + DIGEST_LENGTH, PACKET_SIZE))
    .digest();
}

/** Writes the digest into a packet whose other bytes are final; returns a view of it. */
export function imprintDigest(packet: Buffer, schema: DigestSchema, key: Buffer): Buffer {
  const offset = digestOffset(packet, schema);
  computeDigest(packet, offset, key).copy(packet, offset);
  return packet.subarray(offset, offset + DIGEST_LENGTH);
}

/** Finds a valid digest under either schema; null when the packet carries none (simple handshake). */
export function findDigest(packet: Buffer, key: Buffer): FoundDigest | null {
  for (const schema of SCHEMAS) {
    const offset = digestOffset(packet, schema);
    const digest = packet.subarray(offset, offset + DIGEST_LENGTH);
    if (computeDigest(packet, offset, key).equals(digest)) return { schema, offset, digest };
  }
  return null;
}

/** Signature of C2/S2: HMAC of its first 1504 bytes, keyed with HMAC(full key, the peer's C1/S1 digest). */
export function computeSignature(packet: Buffer, peerDigest: Buffer, fullKey: Buffer): Buffer {
  const key = createHmac('sha256', fullKey).update(peerDigest).digest();
  return createHmac('sha256', key).update(packet.subarray(0, SIGNED_LENGTH)).digest();
}

/** Writes the signature into the last 32 bytes of a C2/S2 whose first 1504 bytes are final. */
export function signPacket(packet: Buffer, peerDigest: Buffer, fullKey: Buffer): void {
  computeSignature(packet, peerDigest, fullKey).copy(packet, SIGNED_LENGTH);
}

/** True when the last 32 bytes of C2/S2 are the signature made with the peer's digest. */
export function hasValidSignature(packet: Buffer, peerDigest: Buffer, fullKey: Buffer): boolean {
  return computeSignature(packet, peerDigest, fullKey).equals(packet.subarray(SIGNED_LENGTH, PACKET_SIZE));
}
