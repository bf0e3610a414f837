import { describe, expect, it } from 'vitest';
import { ClientHandshake, ServerHandshake } from '../../../../../src/server/rtmp/handshake';
import {
  PLAYER_KEY,
  PLAYER_KEY_PUBLIC,
  SERVER_KEY_PUBLIC,
  findDigest,
  hasValidSignature,
} from '../../../../../src/server/rtmp/handshake/digest';
import { byteByByte, feed, loadFixture, seededRandom } from '../../../../fixtures/handshake/fixtures';
import { expectProtocolError } from '../../../../support/protocol-error';

const S1 = [1, 1537] as const;
const chunkBytes = Buffer.from('\x02\x00\x00\x00\x00\x00\x04\x05\x00\x00\x00\x00\x00\x26\x25\xa0', 'latin1');

/** A started client and the answer a digest-capable ServerHandshake gives it. */
function clientAndAnswer(options: { digest?: boolean } = {}): { client: ClientHandshake; answer: Buffer } {
  const client = new ClientHandshake({ ...options, randomBytes: seededRandom(1), now: () => 1000 });
  const answer = new ServerHandshake({ randomBytes: seededRandom(2) }).push(client.start()).output!;
  return { client, answer };
}

describe('ClientHandshake', () => {
  describe('start', () => {
    it('sends C0 3 and a digest C1 like Flash Player 9.0.124.2, schema 0', () => {
      const c0c1 = new ClientHandshake({ now: () => 0x0a0b0c0d }).start();
      expect(c0c1.length).toBe(1537);
      expect(c0c1[0]).toBe(3);
      expect(c0c1.readUInt32BE(1)).toBe(0x0a0b0c0d);
      expect([...c0c1.subarray(5, 9)]).toEqual([9, 0, 124, 2]);
      expect(findDigest(c0c1.subarray(1), PLAYER_KEY_PUBLIC)?.schema).toBe(0);
    });

    it('sends a simple C1 with zero version and no digest when digest is false', () => {
      const c0c1 = new ClientHandshake({ digest: false }).start();
      expect(c0c1[0]).toBe(3);
      expect(c0c1.readUInt32BE(5)).toBe(0);
      expect(findDigest(c0c1.subarray(1), PLAYER_KEY_PUBLIC)).toBeNull();
    });

    it('refuses to start twice and to be pushed before start', () => {
      const client = new ClientHandshake();
      expect(() => client.push(Buffer.from([3]))).toThrow(/before start/);
      client.start();
      expect(() => client.start()).toThrow(/twice/);
    });
  });

  describe('verifying a digest server', () => {
    it('accepts a correct digest answer and sends C2 signed with the S1 digest', () => {
      const { client, answer } = clientAndAnswer();
      const progress = client.push(answer);
      expect(progress.done).toBe(true);
      const s1Digest = findDigest(answer.subarray(...S1), SERVER_KEY_PUBLIC)!.digest;
      expect(hasValidSignature(progress.output!, s1Digest, PLAYER_KEY)).toBe(true);
    });

    it('rejects an S1 whose digest is corrupted with HANDSHAKE_BAD_DIGEST', () => {
      const { client, answer } = clientAndAnswer();
      const { offset } = findDigest(answer.subarray(...S1), SERVER_KEY_PUBLIC)!;
      answer[S1[0] + offset + 5] ^= 0x01;
      expectProtocolError(() => client.push(answer), 'HANDSHAKE_BAD_DIGEST');
    });

    it('rejects an S1 changed outside its digest with HANDSHAKE_BAD_DIGEST', () => {
      const { client, answer } = clientAndAnswer();
      answer[S1[0] + 1535] ^= 0x80;
      expectProtocolError(() => client.push(answer), 'HANDSHAKE_BAD_DIGEST');
    });

    it('rejects an S2 whose signature is corrupted with HANDSHAKE_BAD_DIGEST', () => {
      const { client, answer } = clientAndAnswer();
      answer[answer.length - 1] ^= 0x01;
      expectProtocolError(() => client.push(answer), 'HANDSHAKE_BAD_DIGEST');
    });

    it('rejects an S2 signed for another C1 with HANDSHAKE_BAD_DIGEST', () => {
      const { client } = clientAndAnswer();
      const otherAnswer = new ServerHandshake().push(new ClientHandshake().start()).output!;
      expectProtocolError(() => client.push(otherAnswer), 'HANDSHAKE_BAD_DIGEST');
    });

    it('rejects an S1 of version 3 that carries no digest, as ffmpeg does', () => {
      const { client, answer } = clientAndAnswer({ digest: true });
      const simpleLooking = Buffer.from(answer);
      simpleLooking.fill(0x55, S1[0] + 8, S1[1]);
      expectProtocolError(() => client.push(simpleLooking), 'HANDSHAKE_BAD_DIGEST');
    });
  });

  describe('talking to a simple server', () => {
    it('echoes S1 as C2 when S1 version is below 3, even in digest mode', () => {
      const client = new ClientHandshake();
      client.start();
      const answer = loadFixture('rtmpdump', 's0s1s2'); // a simple answer: S1 version 0
      expect(client.push(answer).output!.equals(answer.subarray(...S1))).toBe(true);
    });

    it('echoes S1 without verifying anything in simple mode', () => {
      const { client, answer } = clientAndAnswer({ digest: false });
      const garbled = Buffer.from(answer);
      garbled.fill(0xee, 5, 9); // version 0xee.. and no digest anywhere
      expect(client.push(garbled).output!.equals(garbled.subarray(...S1))).toBe(true);
    });
  });

  describe('feeding bytes in pieces', () => {
    it('gives the same C2 and rest whole, one byte at a time and split at every point', () => {
      const { answer } = clientAndAnswer();
      const stream = Buffer.concat([answer, chunkBytes]);
      const whole = feed(clientAndAnswer().client, [stream]);
      expect(whole.outputs).toBe(1);
      expect(whole.output.length).toBe(1536);
      expect(whole.rest.equals(chunkBytes)).toBe(true);

      const byByte = feed(clientAndAnswer().client, byteByByte(stream));
      expect(byByte.output.equals(whole.output)).toBe(true);
      expect(byByte.donePush).toBe(answer.length - 1);
      expect(byByte.rest.equals(chunkBytes)).toBe(true);

      for (let at = 0; at <= stream.length; at++) {
        const split = feed(clientAndAnswer().client, [stream.subarray(0, at), stream.subarray(at)]);
        expect(split.outputs).toBe(1);
        expect(split.output.equals(whole.output)).toBe(true);
        expect(split.rest.equals(chunkBytes)).toBe(true);
      }
    });

    it('returns every byte pushed after completion in rest', () => {
      const { client, answer } = clientAndAnswer();
      client.push(answer);
      expect(client.push(chunkBytes)).toEqual({ output: null, done: true, rest: chunkBytes });
    });
  });

  describe('refusing a bad S0', () => {
    it('rejects S0 version 6 on its first byte with HANDSHAKE_BAD_VERSION', () => {
      const client = new ClientHandshake();
      client.start();
      expectProtocolError(() => client.push(Buffer.from([6])), 'HANDSHAKE_BAD_VERSION');
    });
  });
});
