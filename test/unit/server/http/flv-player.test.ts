import { describe, expect, it } from 'vitest';
import { FlvDemuxer } from '../../../../src/server/flv/demuxer';
import type { FlvTag } from '../../../../src/server/flv/tag';
import type { PacketSink } from '../../../../src/server/hub/output-queue';
import { StreamRegistry } from '../../../../src/server/hub/stream-registry';
import { FlvPlayer, type EndReason, type FlvTransport } from '../../../../src/server/http/flv-player';

/** A transport that takes `capacity` bytes before asking to wait for drain. */
class FakeTransport implements FlvTransport {
  written: Buffer[] = [];
  ended: EndReason[] = [];
  tags: FlvTag[] = [];
  header: { audio: boolean; video: boolean } | null = null;
  private drainListeners: (() => void)[] = [];
  private readonly demuxer = new FlvDemuxer((tag) => this.tags.push(tag));

  constructor(private capacity = Infinity) {}

  readonly sink: PacketSink = {
    get pendingBytes() {
      return 0;
    },
    write: (batch) => {
      for (const bytes of batch) {
        this.written.push(bytes);
        this.demuxer.push(bytes);
        this.capacity -= bytes.length;
      }
      this.header = this.demuxer.header;
      return this.capacity > 0;
    },
    onceDrain: (listener) => this.drainListeners.push(listener),
  };

  end(reason: EndReason): void {
    this.ended.push(reason);
  }

  drain(capacity: number): void {
    this.capacity = capacity;
    const listeners = this.drainListeners;
    this.drainListeners = [];
    for (const listener of listeners) listener();
  }
}

const VIDEO_HEADER = Buffer.from([0x17, 0x00, 0, 0, 0, 1]);
const KEYFRAME = Buffer.from([0x17, 0x01, 0, 0, 0, 9]);

function setup(transport = new FakeTransport()) {
  const registry = new StreamRegistry();
  const stream = registry.claim('live', 'x', { id: 1, protocol: 'rtmp', remoteAddress: '127.0.0.1' })!;
  const player = new FlvPlayer({ id: 5, protocol: 'http-flv', remoteAddress: '127.0.0.1', registry, stream, transport });
  return { registry, stream, player, transport };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('FlvPlayer', () => {
  it('writes the FLV header with both flags before the stream has media, then joins it', () => {
    const { stream, player, transport } = setup();
    player.start();
    expect(transport.header).toEqual({ audio: true, video: true, dataOffset: 9 });
    expect(stream.readers.has(player)).toBe(true);
  });

  it('flags only video for a stream that has shown only video', () => {
    const { stream, player, transport } = setup();
    stream.pushVideo(0, VIDEO_HEADER);
    stream.pushVideo(0, KEYFRAME);
    player.start();
    expect(transport.header).toMatchObject({ audio: false, video: true });
    expect(transport.tags.map((tag) => tag.body)).toEqual([VIDEO_HEADER, KEYFRAME]);
  });

  it('ends its transport and leaves the stream, which the registry forgets, when the publisher leaves', () => {
    const { registry, stream, player, transport } = setup();
    player.start();
    stream.stopPublishing();
    expect(transport.ended).toEqual(['unpublished']);
    expect(stream.readers.size).toBe(0);
    expect(registry.list()).toEqual([]);
  });

  it('delivers what waits behind a full transport before ending it', async () => {
    const transport = new FakeTransport(1);
    const { stream, player } = setup(transport);
    player.start(); // the header fills the transport
    stream.pushVideo(0, VIDEO_HEADER);
    stream.pushVideo(40, KEYFRAME);
    await tick();
    stream.stopPublishing();
    expect(transport.ended).toEqual([]);
    transport.drain(Infinity);
    expect(transport.tags.map((tag) => tag.body)).toEqual([VIDEO_HEADER, KEYFRAME]);
    expect(transport.ended).toEqual(['unpublished']);
  });

  it('stops reading and drops its queue when the client goes away, without ending the transport', async () => {
    const transport = new FakeTransport(1);
    const { stream, player } = setup(transport);
    player.start();
    stream.pushVideo(0, VIDEO_HEADER);
    await tick();
    player.stop();
    transport.drain(Infinity);
    expect(transport.tags).toEqual([]);
    expect(transport.ended).toEqual([]);
    expect(stream.readers.size).toBe(0);
    stream.pushVideo(40, KEYFRAME);
    await tick();
    expect(transport.tags).toEqual([]);
  });

  it('ends with reason shutdown when closed by the server', () => {
    const { stream, player, transport } = setup();
    player.start();
    player.close();
    expect(transport.ended).toEqual(['shutdown']);
    expect(stream.readers.size).toBe(0);
  });
});
