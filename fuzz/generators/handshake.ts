// What a client sends first (Adobe RTMP 1.0 spec §5.2): C0, C1 (simple, Flash digest, or noise), C2, and the
// first chunk bytes behind it; sometimes cut short or with a foreign version byte.
import { ClientHandshake } from '../../src/server/rtmp/handshake';
import { PACKET_SIZE } from '../../src/server/rtmp/handshake/packet';
import type { Rng } from '../random';

export function handshakeInput(rng: Rng): Buffer {
  const kind = rng.below(4);
  // A real client's C0+C1 (digest in half of them), or a version byte and 1536 random bytes.
  const c0c1 = kind < 2 ? new ClientHandshake({ digest: kind === 0, randomBytes: (n) => rng.bytes(n) }).start() : Buffer.concat([Buffer.of(3), rng.bytes(PACKET_SIZE)]);
  if (rng.chance(0.05)) c0c1[0] = rng.pick([0, 6, 8, 0x16, 0x47, rng.below(256)]); // RTMPE, TLS, HTTP "G"…
  if (kind === 0 && rng.chance(0.3)) c0c1[1 + 8 + rng.below(PACKET_SIZE - 8)] ^= 1; // break the digest
  const parts = [c0c1, rng.bytes(PACKET_SIZE), rng.bytes(rng.size(256))];
  const input = Buffer.concat(parts);
  return rng.chance(0.2) ? input.subarray(0, rng.below(input.length + 1)) : input;
}
