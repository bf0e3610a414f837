import { describe, expect, it } from 'vitest';
import { ClientHandshake, ServerHandshake } from '../../../../../src/server/rtmp/handshake';
import {
  PLAYER_KEY,
  PLAYER_KEY_PUBLIC,
  SERVER_KEY,
  SERVER_KEY_PUBLIC,
  findDigest,
  hasValidSignature,
  imprintDigest,
} from '../../../../../src/server/rtmp/handshake/digest';
import { byteByByte, feed, loadFixture, seededRandom } from '../../../../fixtures/handshake/fixtures';
import { expectProtocolError } from '../../../../support/protocol-error';

const S1 = [1, 1537] as const;
const S2 = [1537, 3073] as const;
const ffmpegC0C1 = loadFixture('ffmpeg-player', 'c0c1');
const rtmpdumpC0C1 = loadFixture('rtmpdump', 'c0c1');
const chunkBytes = Buffer.from('\x03\x00\x00\x00\x00\x00\x99\x14\x00\x00\x00\x00\x02\x00\x07connect', 'latin1');

function deterministicServer(): ServerHandshake {
  return new ServerHandshake({ randomBytes: seededRandom(42), now: () => 0x01020304 });
}

function answerTo(c0c1: Buffer): { server: ServerHandshake; answer: Buffer } {
  const server = deterministicServer();
  const progress = server.push(c0c1);
  expect(progress.output).not.toBeNull();
  return { server, answer: progress.output! };
}

describe('ServerHandshake', () => {
  describe('answering a digest C1', () => {
    it("answers ffmpeg's C1 with S0 3 and an S1 whose version byte is at least 3", () => {
      const { server, answer } = answerTo(ffmpegC0C1);
      expect(server.style).toBe('digest');
      expect(answer.length).toBe(3073);
      expect(answer[0]).toBe(3);
      expect(answer[S1[0] + 4]).toBeGreaterThanOrEqual(3);
    });

    it('puts an S1 digest keyed with "Genuine Adobe Flash Media Server 001" in the schema the client used', () => {
      const { answer } = answerTo(ffmpegC0C1);
      const found = findDigest(answer.subarray(...S1), SERVER_KEY_PUBLIC);
      expect(found?.schema).toBe(0);
      expect(findDigest(answer.subarray(...S1), PLAYER_KEY_PUBLIC)).toBeNull();
    });

    it('answers a schema 1 C1 with a schema 1 S1', () => {
      const c0c1 = Buffer.concat([Buffer.from([3]), seededRandom(3)(1536)]);
      c0c1.writeUInt32BE(0x09007c02, 5);
      imprintDigest(c0c1.subarray(1), 1, PLAYER_KEY_PUBLIC);
      const { server, answer } = answerTo(c0c1);
      expect(server.style).toBe('digest');
      expect(findDigest(answer.subarray(...S1), SERVER_KEY_PUBLIC)?.schema).toBe(1);
    });

    it('signs S2 with HMAC(full server key, C1 digest)', () => {
      const { answer } = answerTo(ffmpegC0C1);
      const c1Digest = findDigest(ffmpegC0C1.subarray(1), PLAYER_KEY_PUBLIC)!.digest;
      const s2 = answer.subarray(...S2);
      expect(hasValidSignature(s2, c1Digest, SERVER_KEY)).toBe(true);
      expect(hasValidSignature(s2, c1Digest, PLAYER_KEY)).toBe(false);
    });

    it('satisfies a verifying ClientHandshake, whose C2 is signed with the S1 digest', () => {
      const client = new ClientHandshake();
      const server = new ServerHandshake();
      const answer = server.push(client.start()).output!;
      expect(server.style).toBe('digest');
      const c2 = client.push(answer).output!;
      const s1Digest = findDigest(answer.subarray(...S1), SERVER_KEY_PUBLIC)!.digest;
      expect(hasValidSignature(c2, s1Digest, PLAYER_KEY)).toBe(true);
      expect(server.push(c2)).toEqual({ output: null, done: true, rest: Buffer.alloc(0) });
    });

    it('writes the time field from now() and fills S1 from randomBytes()', () => {
      const { answer } = answerTo(ffmpegC0C1);
      expect(answer.readUInt32BE(S1[0])).toBe(0x01020304);
      const again = answerTo(ffmpegC0C1).answer;
      expect(again.equals(answer)).toBe(true);
      const other = new ServerHandshake({ randomBytes: seededRandom(43), now: () => 0x01020304 });
      expect(other.push(ffmpegC0C1).output!.equals(answer)).toBe(false);
    });
  });

  describe('answering a simple C1', () => {
    it("answers rtmpdump's zero-version C1 with an S1 of version zero and S2 equal to C1", () => {
      const { server, answer } = answerTo(rtmpdumpC0C1);
      expect(server.style).toBe('simple');
      expect(answer[0]).toBe(3);
      expect(answer.readUInt32BE(S1[0] + 4)).toBe(0);
      expect(answer.subarray(...S2).equals(rtmpdumpC0C1.subarray(1))).toBe(true);
    });

    it('answers a non-zero-version C1 without a valid digest the simple way', () => {
      const c0c1 = Buffer.from(ffmpegC0C1);
      c0c1[700] ^= 0xff;
      const { server, answer } = answerTo(c0c1);
      expect(server.style).toBe('simple');
      expect(answer.readUInt32BE(S1[0] + 4)).toBe(0);
      expect(answer.subarray(...S2).equals(c0c1.subarray(1))).toBe(true);
    });

    it('satisfies a ClientHandshake in simple mode, whose C2 echoes S1', () => {
      const client = new ClientHandshake({ digest: false });
      const server = new ServerHandshake();
      const answer = server.push(client.start()).output!;
      expect(server.style).toBe('simple');
      expect(client.push(answer).output!.equals(answer.subarray(...S1))).toBe(true);
    });
  });

  describe('reading C2', () => {
    it('accepts the C2 ffmpeg players, ffmpeg publishers and rtmpdump actually sent', () => {
      for (const client of ['ffmpeg-player', 'ffmpeg-publisher', 'rtmpdump'] as const) {
        const server = new ServerHandshake();
        server.push(loadFixture(client, 'c0c1'));
        expect(server.push(loadFixture(client, 'c2')).done).toBe(true);
      }
    });

    it('accepts a C2 of any content, zeros included', () => {
      const server = new ServerHandshake();
      server.push(ffmpegC0C1);
      expect(server.push(Buffer.alloc(1536)).done).toBe(true);
    });

    it('is not done one byte short of 1536 bytes of C2', () => {
      const server = new ServerHandshake();
      server.push(ffmpegC0C1);
      expect(server.push(Buffer.alloc(1535))).toEqual({ output: null, done: false, rest: Buffer.alloc(0) });
      expect(server.push(Buffer.alloc(1)).done).toBe(true);
    });
  });

  describe('feeding bytes in pieces', () => {
    const c2 = loadFixture('ffmpeg-player', 'c2');
    const stream = Buffer.concat([ffmpegC0C1, c2, chunkBytes]);
    const expected = answerTo(ffmpegC0C1).answer;

    it('handles C0+C1+C2 and chunk bytes fed whole', () => {
      const fed = feed(deterministicServer(), [stream]);
      expect(fed).toEqual({ output: expected, outputs: 1, donePush: 0, rest: chunkBytes });
    });

    it('handles the same bytes fed one byte at a time', () => {
      const fed = feed(deterministicServer(), byteByByte(stream));
      expect(fed.outputs).toBe(1);
      expect(fed.output.equals(expected)).toBe(true);
      expect(fed.donePush).toBe(ffmpegC0C1.length + c2.length - 1);
      expect(fed.rest.equals(chunkBytes)).toBe(true);
    });

    it('handles the same bytes split at every point', () => {
      for (let at = 0; at <= stream.length; at++) {
        const fed = feed(deterministicServer(), [stream.subarray(0, at), stream.subarray(at)]);
        expect(fed.outputs).toBe(1);
        expect(fed.output.equals(expected)).toBe(true);
        expect(fed.donePush).toBe(at >= ffmpegC0C1.length + c2.length ? 0 : 1);
        expect(fed.rest.equals(chunkBytes)).toBe(true);
      }
    });

    it('answers as soon as C1 is complete, before any C2 byte', () => {
      const server = deterministicServer();
      expect(server.push(ffmpegC0C1.subarray(0, 1536)).output).toBeNull();
      const progress = server.push(ffmpegC0C1.subarray(1536));
      expect(progress.output?.equals(expected)).toBe(true);
      expect(progress.done).toBe(false);
    });

    it('returns every byte pushed after completion in rest', () => {
      const server = deterministicServer();
      server.push(Buffer.concat([ffmpegC0C1, c2]));
      expect(server.push(chunkBytes)).toEqual({ output: null, done: true, rest: chunkBytes });
    });
  });

  describe('refusing a bad C0', () => {
    it('rejects C0 version 6 (RTMPE) with HANDSHAKE_BAD_VERSION', () => {
      const c0c1 = Buffer.from(ffmpegC0C1);
      c0c1[0] = 6;
      expectProtocolError(() => new ServerHandshake().push(c0c1), 'HANDSHAKE_BAD_VERSION');
    });

    it('rejects an HTTP request on its first byte', () => {
      expectProtocolError(() => new ServerHandshake().push(Buffer.from('G')), 'HANDSHAKE_BAD_VERSION');
    });

    it('keeps rejecting after the first error', () => {
      const server = new ServerHandshake();
      expectProtocolError(() => server.push(Buffer.from([2])), 'HANDSHAKE_BAD_VERSION');
      expectProtocolError(() => server.push(ffmpegC0C1.subarray(1)), 'HANDSHAKE_BAD_VERSION');
    });
  });
});
