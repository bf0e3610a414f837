import { describe, expect, it } from 'vitest';
import {
  PLAYER_KEY,
  PLAYER_KEY_PUBLIC,
  SERVER_KEY,
  SERVER_KEY_PUBLIC,
  digestOffset,
  findDigest,
  hasValidSignature,
  imprintDigest,
} from '../../../../../src/server/rtmp/handshake/digest';
import { loadFixture, seededRandom } from '../../../../fixtures/handshake/fixtures';

const c1Of = (c0c1: Buffer): Buffer => c0c1.subarray(1);

describe('Flash-style handshake digest', () => {
  it('has the published key lengths: 62-byte player key, 68-byte server key, 30 and 36 public bytes', () => {
    expect(PLAYER_KEY.length).toBe(62);
    expect(SERVER_KEY.length).toBe(68);
    expect(PLAYER_KEY_PUBLIC.toString('latin1')).toBe('Genuine Adobe Flash Player 001');
    expect(SERVER_KEY_PUBLIC.toString('latin1')).toBe('Genuine Adobe Flash Media Server 001');
  });

  it('finds the schema 0 digest in the C1 captured from ffmpeg', () => {
    const c1 = c1Of(loadFixture('ffmpeg-player', 'c0c1'));
    const found = findDigest(c1, PLAYER_KEY_PUBLIC);
    expect(found?.schema).toBe(0);
    // Schema 0: offset = (C1[8] + C1[9] + C1[10] + C1[11]) % 728 + 12.
    expect(found?.offset).toBe(((c1[8] + c1[9] + c1[10] + c1[11]) % 728) + 12);
  });

  it('finds no digest in the simple C1 captured from rtmpdump', () => {
    expect(findDigest(c1Of(loadFixture('rtmpdump', 'c0c1')), PLAYER_KEY_PUBLIC)).toBeNull();
  });

  it('finds no player digest when the key is the server key', () => {
    expect(findDigest(c1Of(loadFixture('ffmpeg-player', 'c0c1')), SERVER_KEY_PUBLIC)).toBeNull();
  });

  it('finds a schema 1 digest at (P[772..775] sum) % 728 + 776', () => {
    const packet = seededRandom(7)(1536);
    imprintDigest(packet, 1, PLAYER_KEY_PUBLIC);
    const found = findDigest(packet, PLAYER_KEY_PUBLIC);
    expect(found?.schema).toBe(1);
    expect(found?.offset).toBe(((packet[772] + packet[773] + packet[774] + packet[775]) % 728) + 776);
    expect(found?.offset).toBe(digestOffset(packet, 1));
  });

  it('finds no digest once any byte of the packet changes', () => {
    const packet = seededRandom(8)(1536);
    imprintDigest(packet, 0, PLAYER_KEY_PUBLIC);
    packet[1000] ^= 1;
    expect(findDigest(packet, PLAYER_KEY_PUBLIC)).toBeNull();
  });

  it("agrees with ffmpeg's C2 signature over the S1 digest we sent it", () => {
    // ffmpeg (an independent implementation) signed this C2 with HMAC(player key, our S1 digest).
    const s1 = loadFixture('ffmpeg-player', 's0s1s2').subarray(1, 1537);
    const c2 = loadFixture('ffmpeg-player', 'c2');
    const s1Digest = findDigest(s1, SERVER_KEY_PUBLIC);
    expect(s1Digest).not.toBeNull();
    expect(hasValidSignature(c2, s1Digest!.digest, PLAYER_KEY)).toBe(true);
    expect(hasValidSignature(c2, s1Digest!.digest, SERVER_KEY)).toBe(false);
  });
});
