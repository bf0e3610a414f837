// The server acknowledges what a peer sends, per the window the peer asked for (RTMP 1.0 §5.4.3, §5.4.4).
import { describe, expect, it } from 'vitest';
import { encodeChunksType0 } from '../../../src/server/rtmp/chunk';
import { encodeMessage, type RtmpMessage } from '../../../src/server/rtmp/messages';
import { useRtmpHarness, type RawPeer } from '../../support/rtmp-harness';
import { waitFor } from '../../support/wait';

const WINDOW = 1000;
// Chunk size 128 (the peer never changes it): a 400-byte audio body is a type 0 chunk and 3 type 3 chunks, 415 bytes.
const AUDIO = encodeChunksType0({ chunkStreamId: 6, typeId: 8, streamId: 0, timestamp: 0, payload: Buffer.alloc(400, 0xaf) }, 128);
const WINDOW_SIZE = Buffer.from([0x02, 0, 0, 0, 0, 0, 4, 5, 0, 0, 0, 0, 0, 0, 0x03, 0xe8]); // Window Acknowledgement Size 1000, csid 2
const PING_BYTES = 18; // a User Control ping request: type 0 header (12) and 6 bytes of event

const acknowledgements = (peer: RawPeer): number[] =>
  peer.inbox.messages.flatMap(({ message }) => (message.type === 'acknowledgement' ? [message.sequenceNumber] : []));

describe('acknowledgements', () => {
  const h = useRtmpHarness();

  it('acknowledges once a window of bytes has arrived, numbering every byte received since the handshake', async () => {
    const { rtmpPort } = await h.startServer();
    const peer = await h.rawPeer(rtmpPort);
    // Pings as type 0 chunks, so every one is exactly PING_BYTES on the wire.
    const ping = (message: RtmpMessage) => peer.write(encodeChunksType0({ chunkStreamId: 2, streamId: 0, timestamp: 0, ...encodeMessage(message) }, 128));
    expect(AUDIO.length).toBe(415);

    peer.write(Buffer.concat([WINDOW_SIZE, AUDIO, AUDIO]));
    await peer.inbox.roundTrip(ping);
    expect(acknowledgements(peer)).toEqual([]); // 846 + 18 bytes: under the window

    peer.write(AUDIO);
    await waitFor(() => acknowledgements(peer).length > 0, 'a first acknowledgement');
    const first = WINDOW_SIZE.length + 3 * AUDIO.length + PING_BYTES;
    expect(acknowledgements(peer)).toEqual([first]);

    peer.write(Buffer.concat([AUDIO, AUDIO]));
    await peer.inbox.roundTrip(ping);
    expect(acknowledgements(peer)).toEqual([first]); // 830 + 18 more: under the next window

    peer.write(AUDIO);
    await waitFor(() => acknowledgements(peer).length > 1, 'a second acknowledgement');
    expect(acknowledgements(peer)).toEqual([first, first + 3 * AUDIO.length + PING_BYTES]);
    expect(WINDOW).toBe(WINDOW_SIZE.readUInt32BE(12));
  });
});
