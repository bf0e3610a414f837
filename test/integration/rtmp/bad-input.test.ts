import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../src/server/errors';
import { DEFAULT_MAX_DEPTH, encodeAmf0 } from '../../../src/server/rtmp/amf';
import { MessageTypeId } from '../../../src/server/rtmp/messages';
import { DEFAULT_LIMITS } from '../../../src/server/session/rtmp-connection';
import { fingerprints, gops, h264AacHeaders, playedH264AacHeaders } from '../../support/media';
import { useRtmpHarness, type RawPeer } from '../../support/rtmp-harness';
import { within } from '../../support/wait';

const h = useRtmpHarness();

/** A type 0 chunk header (RTMP 1.0 §5.3.1) for chunk streams 2-63: basic header, timestamp, length, type id, stream id. */
function type0Header(chunkStreamId: number, length: number, typeId: number): Buffer {
  const header = Buffer.alloc(12);
  header[0] = chunkStreamId;
  header.writeUIntBE(length, 4, 3);
  header[7] = typeId;
  return header;
}

/** `depth` nested AMF0 strict arrays of one element each, around a null (AMF0 spec §2.12). */
function nestedArrays(depth: number): Buffer {
  const parts = Array.from({ length: depth }, () => Buffer.from([0x0a, 0, 0, 0, 1]));
  return Buffer.concat([...parts, Buffer.from([0x05])]);
}

interface BadInput {
  code: ErrorCode;
  what: string;
  /** Whether the peer completes a valid handshake before misbehaving. */
  handshake: boolean;
  act(peer: RawPeer): void | Promise<void>;
}

const BAD_INPUTS: BadInput[] = [
  { code: 'HANDSHAKE_BAD_VERSION', what: 'raw TCP garbage (an HTTP request) instead of C0+C1', handshake: false, act: (peer) => peer.write(Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')) },
  {
    code: 'CHUNK_SIZE_INVALID',
    what: 'a Set Chunk Size above maxChunkSize',
    handshake: true,
    act: (peer) => peer.sendMessage({ type: 'setChunkSize', chunkSize: DEFAULT_LIMITS.maxChunkSize * 16 }),
  },
  {
    code: 'MESSAGE_TOO_LARGE',
    what: 'a chunk header announcing a message above maxMessageSize',
    handshake: true,
    act: (peer) => peer.write(type0Header(3, DEFAULT_LIMITS.maxMessageSize + 1, MessageTypeId.CommandAmf0)),
  },
  {
    code: 'CHUNK_TOO_MANY_STREAMS',
    what: 'an audio message on each of more chunk streams than maxChunkStreams',
    handshake: true,
    act: (peer) => {
      for (let id = 3; id < 3 + DEFAULT_LIMITS.maxChunkStreams + 1; id++) peer.send({ chunkStreamId: id, typeId: MessageTypeId.Audio, payload: Buffer.from([0xaf, 0x01, 0]) });
    },
  },
  {
    code: 'CHUNK_NO_PREVIOUS_HEADER',
    what: 'a type 1 chunk on a chunk stream that no type 0 chunk opened',
    handshake: true,
    act: (peer) => peer.write(Buffer.from([(1 << 6) | 9, 0, 0, 0, 0, 0, 1, MessageTypeId.Audio, 0xaf])),
  },
  { code: 'MESSAGE_UNKNOWN_TYPE', what: 'a message of unknown type id 0x42', handshake: true, act: (peer) => peer.send({ chunkStreamId: 3, typeId: 0x42, payload: Buffer.from([1, 2, 3]) }) },
  {
    code: 'AMF_MALFORMED',
    what: 'a connect command whose AMF0 command object is cut short',
    handshake: true,
    act: (peer) => peer.send({ chunkStreamId: 3, typeId: MessageTypeId.CommandAmf0, payload: Buffer.concat([encodeAmf0(['connect', 1]), Buffer.from([0x03, 0x00, 0x03, 0x61, 0x70])]) }),
  },
  {
    code: 'AMF_TOO_DEEP',
    what: 'a connect command nesting arrays deeper than the AMF limit',
    handshake: true,
    act: (peer) => peer.send({ chunkStreamId: 3, typeId: MessageTypeId.CommandAmf0, payload: Buffer.concat([encodeAmf0(['connect', 1]), nestedArrays(DEFAULT_MAX_DEPTH + 1)]) }),
  },
  {
    code: 'MESSAGE_MALFORMED',
    what: 'a command that does not start with a name string',
    handshake: true,
    act: (peer) => peer.send({ chunkStreamId: 3, typeId: MessageTypeId.CommandAmf0, payload: encodeAmf0([1, 2, null]) }),
  },
  { code: 'COMMAND_INVALID', what: 'createStream before connect', handshake: true, act: (peer) => peer.command('createStream', 2, null) },
  {
    code: 'COMMAND_INVALID',
    what: 'a second connect on a connected session',
    handshake: true,
    act: async (peer) => {
      peer.connect();
      await peer.inbox.until(() => peer.inbox.commands('_result')[0], 'the connect _result');
      peer.connect('live', 2);
    },
  },
];

describe('a peer that breaks the protocol', { timeout: 15_000 }, () => {
  it.each(BAD_INPUTS)('is logged with $code and its address:port and closed, while other players and new connections go on: $what', async ({ code, handshake, act }) => {
    const { url, log, rtmpPort } = await h.startServer();
    const publisher = await h.publisher(url(), 'cam');
    const player = await h.player(url(), 'cam');
    const before = [...h264AacHeaders(), ...gops({ gops: 1 })];
    publisher.send(before);
    await player.inbox.untilMedia(before.length);

    const peer = await h.rawPeer(rtmpPort, handshake);
    const name = peer.name;
    await act(peer);
    await within(peer.closed, 'the server closing the bad peer');
    const line = await log.waitFor('rtmp.close', { peer: name });
    expect(line).toMatchObject({ level: 'warn', fields: { code, peer: name } });

    const after = gops({ gops: 2, start: 200 });
    publisher.send(after);
    const received = await player.inbox.untilMedia(before.length + after.length);
    expect(fingerprints(received)).toEqual(fingerprints([...playedH264AacHeaders(), ...before.slice(3), ...after]));
    expect(player.inbox.statuses).toEqual(['NetStream.Play.Reset', 'NetStream.Play.Start']);

    const fresh = await h.connect(url());
    expect(await fresh.client.createStream()).toBe(1);
    expect(log.find('rtmp.close').map((closed) => closed.fields.peer)).toEqual([name]);
  });
});
