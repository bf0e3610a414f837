// CRC-32C (Castagnoli, RFC 4960 Appendix B), the checksum of the v2 PP2_TYPE_CRC32C TLV (proxy-protocol.txt §2.2.3).

// Reflected polynomial 0x1EDC6F41.
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C of the parts taken one after the other, as if they were one buffer. */
export function crc32c(...parts: Buffer[]): number {
  let crc = 0xffffffff;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) crc = TABLE[(crc ^ part[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}
