import { describe, expect, it } from 'vitest';
import { MediaPacket, dataPacket } from '../../../../src/server/hub/media-packet';
import { DEFAULT_MAX_QUEUE_BYTES, OutputQueue } from '../../../../src/server/hub/output-queue';
import { FakeSink, NamingFormat } from './fakes';

/** Encodes a packet as its payload, so sizes in the queue are the payload sizes. */
const RAW = { encode: (packet: MediaPacket) => packet.payload };

const frame = (label: string, size = label.length): MediaPacket => {
  const payload = Buffer.alloc(size, ' ');
  payload.write(label, 'latin1');
  return new MediaPacket('video', 0, payload, { sequenceHeader: false, headerSlot: 0, keyframe: false, codec: 'H264', track: 0 });
};
const header = (label: string, size = label.length): MediaPacket => {
  const payload = Buffer.alloc(size, ' ');
  payload.write(label, 'latin1');
  return new MediaPacket('video', 0, payload, { sequenceHeader: true, headerSlot: 0, keyframe: true, codec: 'H264', track: 0 });
};
const control = (label: string, size = label.length): Buffer => {
  const bytes = Buffer.alloc(size, ' ');
  bytes.write(label, 'latin1');
  return bytes;
};

function setup(maxQueueBytes = 100) {
  const sink = new FakeSink();
  const queue = new OutputQueue(sink, { maxQueueBytes });
  const written = () => sink.written.map((text) => text.trimEnd());
  return { sink, queue, written };
}

describe('OutputQueue delivery', () => {
  it('writes nothing until flushed, then hands everything queued to the sink in ONE write', () => {
    const { sink, queue, written } = setup();
    queue.pushControl(control('c1'));
    queue.pushMedia(frame('k1'), RAW, true);
    queue.pushMedia(frame('p1'), RAW, false);
    expect(sink.writes).toHaveLength(0);
    expect(queue.hasPending).toBe(true);
    queue.flush();
    expect(sink.writes).toHaveLength(1);
    expect(written()).toEqual(['c1', 'k1', 'p1']);
    expect(queue.hasPending).toBe(false);
  });

  it('keeps control bytes in order with media', () => {
    const { queue, written } = setup();
    queue.pushMedia(frame('k1'), RAW, true);
    queue.pushControl(control('c1'));
    queue.pushMedia(frame('p1'), RAW, false);
    queue.pushControl(control('c2'));
    queue.flush();
    expect(written()).toEqual(['k1', 'c1', 'p1', 'c2']);
  });

  it('does not call the sink when nothing is queued', () => {
    const { sink, queue } = setup();
    queue.flush();
    expect(sink.writes).toHaveLength(0);
  });

  it('writes the very Buffer the format encoded, without copying', () => {
    const { sink, queue } = setup();
    const packet = frame('k1');
    queue.pushMedia(packet, RAW, true);
    queue.flush();
    expect(sink.writes[0][0]).toBe(packet.payload);
  });

  it('counts bytes and packets (control included) handed to the sink', () => {
    const { queue } = setup();
    queue.pushControl(control('c', 10));
    queue.pushMedia(frame('k', 20), RAW, true);
    queue.flush();
    queue.pushMedia(frame('p', 5), RAW, false);
    queue.flush();
    expect(queue.stats).toEqual({ bytesSent: 35, packetsSent: 3, packetsDropped: 0, skips: 0 });
  });

  it('defaults to an 8 MiB bound', () => {
    expect(DEFAULT_MAX_QUEUE_BYTES).toBe(8 * 1024 * 1024);
    const sink = new FakeSink();
    const queue = new OutputQueue(sink);
    queue.pushMedia(frame('a', DEFAULT_MAX_QUEUE_BYTES), RAW, true);
    queue.pushMedia(frame('b', 1), RAW, false);
    expect(queue.stats.packetsDropped).toBe(2);
  });
});

describe('OutputQueue bound and skip to the next sync point', () => {
  it('keeps media while ours plus the sink backlog stays within maxQueueBytes', () => {
    const { sink, queue, written } = setup(100);
    sink.pendingBytes = 40;
    queue.pushMedia(frame('k', 30), RAW, true);
    queue.pushMedia(frame('p', 30), RAW, false); // 40 + 30 + 30 = 100: not above the bound
    queue.flush();
    expect(written()).toEqual(['k', 'p']);
    expect(queue.stats.packetsDropped).toBe(0);
  });

  it('drops queued media, keeps control, and waits for the next sync point when a packet would exceed the bound', () => {
    const { queue, written } = setup(100);
    queue.pushMedia(frame('k1', 40), RAW, true);
    queue.pushControl(control('c1', 10));
    queue.pushMedia(frame('p1', 40), RAW, false);
    queue.pushMedia(frame('p2', 11), RAW, false); // 40 + 10 + 40 + 11 > 100
    expect(queue.stats).toMatchObject({ packetsDropped: 3, skips: 1 });
    queue.pushMedia(frame('p3'), RAW, false);
    queue.pushControl(control('c2'));
    queue.pushMedia(frame('k2'), RAW, true);
    queue.pushMedia(frame('p4'), RAW, false);
    queue.flush();
    expect(written()).toEqual(['c1', 'c2', 'k2', 'p4']);
    expect(queue.stats).toMatchObject({ packetsDropped: 4, skips: 1, packetsSent: 4 });
  });

  it("counts the sink's pending bytes against the bound", () => {
    const { sink, queue, written } = setup(100);
    sink.pendingBytes = 95;
    queue.pushMedia(frame('p1', 10), RAW, false);
    expect(queue.stats).toMatchObject({ packetsDropped: 1, skips: 1 });
    sink.pendingBytes = 0;
    queue.pushMedia(frame('p2', 10), RAW, false);
    queue.pushMedia(frame('k1', 10), RAW, true);
    queue.flush();
    expect(written()).toEqual(['k1']);
    expect(queue.stats.packetsDropped).toBe(2);
  });

  it('delivers a sync point that overflows the bound after dropping what was queued before it', () => {
    const { queue, written } = setup(100);
    queue.pushMedia(frame('k1', 60), RAW, true);
    queue.pushMedia(frame('k2', 60), RAW, true);
    queue.flush();
    expect(written()).toEqual(['k2']);
    expect(queue.stats).toMatchObject({ packetsDropped: 1, skips: 1 });
  });

  it('never drops control bytes, even far above the bound', () => {
    const { queue, written } = setup(10);
    for (let i = 0; i < 5; i++) queue.pushControl(control(`c${i}`, 50));
    queue.flush();
    expect(written()).toEqual(['c0', 'c1', 'c2', 'c3', 'c4']);
    expect(queue.stats.packetsDropped).toBe(0);
  });

  it('always delivers init packets (sequence headers, metadata), even while skipping and above the bound', () => {
    const { sink, queue, written } = setup(100);
    const metadata = dataPacket(0, Buffer.from('meta'), true);
    queue.pushMedia(frame('p0', 120), RAW, false); // skip: now waiting for a sync point
    sink.pendingBytes = 1000;
    queue.pushMedia(metadata, RAW, false);
    queue.pushMedia(header('avcC', 200), RAW, false);
    queue.pushMedia(frame('p1'), RAW, false);
    queue.flush();
    expect(written()).toEqual(['meta', 'avcC']);
    expect(queue.stats).toMatchObject({ packetsDropped: 2, skips: 1 });
  });

  it('drops plain data messages (not metadata) like any media while waiting', () => {
    const { queue, written } = setup();
    queue.awaitSyncPoint();
    queue.pushMedia(dataPacket(0, Buffer.from('onCuePoint'), false), RAW, false);
    queue.flush();
    expect(written()).toEqual([]);
    expect(queue.stats.packetsDropped).toBe(1);
  });
});

describe('OutputQueue.awaitSyncPoint', () => {
  it('holds media back until a sync point, counting the drops but no skip', () => {
    const { queue, written } = setup();
    queue.awaitSyncPoint();
    queue.pushMedia(frame('p1'), RAW, false);
    queue.pushMedia(frame('p2'), RAW, false);
    queue.pushControl(control('c1'));
    queue.pushMedia(frame('k1'), RAW, true);
    queue.pushMedia(frame('p3'), RAW, false);
    queue.flush();
    expect(written()).toEqual(['c1', 'k1', 'p3']);
    expect(queue.stats).toMatchObject({ packetsDropped: 2, skips: 0 });
  });

  it('does not encode media it drops', () => {
    const { queue } = setup();
    const format = new NamingFormat();
    queue.awaitSyncPoint();
    queue.pushMedia(frame('p1'), format, false);
    expect(format.encodeCalls).toBe(0);
  });
});

describe('OutputQueue back-pressure', () => {
  it('does not write while waiting for drain, then sends everything queued in one write on drain', () => {
    const { sink, queue, written } = setup(1000);
    sink.accept = false;
    queue.pushMedia(frame('k1'), RAW, true);
    queue.flush();
    expect(sink.writes).toHaveLength(1);
    queue.pushMedia(frame('p1'), RAW, false);
    queue.flush();
    queue.pushControl(control('c1'));
    queue.pushMedia(frame('p2'), RAW, false);
    queue.flush();
    expect(sink.writes).toHaveLength(1);
    expect(sink.drainListenerCount).toBe(1);
    sink.drain();
    expect(sink.writes).toHaveLength(2);
    expect(sink.writes[1].map((bytes) => bytes.toString('latin1'))).toEqual(['p1', 'c1', 'p2']);
    expect(written()).toEqual(['k1', 'p1', 'c1', 'p2']);
  });

  it('writes nothing on drain when nothing was queued meanwhile', () => {
    const { sink, queue } = setup();
    sink.accept = false;
    queue.pushMedia(frame('k1'), RAW, true);
    queue.flush();
    sink.drain();
    expect(sink.writes).toHaveLength(1);
    queue.pushMedia(frame('p1'), RAW, false);
    queue.flush();
    expect(sink.writes).toHaveLength(2);
  });

  it('skips to the next sync point when media piles up behind a stalled sink', () => {
    const { sink, queue, written } = setup(100);
    sink.accept = false;
    queue.pushMedia(frame('k1', 10), RAW, true);
    queue.flush();
    for (let i = 0; i < 10; i++) queue.pushMedia(frame(`p${i}`, 20), RAW, false);
    queue.pushMedia(frame('k2', 10), RAW, true);
    sink.drain();
    expect(written()).toEqual(['k1', 'k2']);
    expect(queue.stats).toMatchObject({ packetsDropped: 10, skips: 1 });
  });
});

describe('OutputQueue.close', () => {
  it('discards what is queued and ignores later pushes, flushes and drains', () => {
    const { sink, queue } = setup();
    sink.accept = false;
    queue.pushMedia(frame('k1'), RAW, true);
    queue.flush();
    queue.pushMedia(frame('p1'), RAW, false);
    queue.close();
    expect(queue.hasPending).toBe(false);
    queue.pushControl(control('c1'));
    queue.pushMedia(header('avcC'), RAW, false);
    queue.pushMedia(frame('k2'), RAW, true);
    queue.flush();
    sink.drain();
    expect(sink.writes).toHaveLength(1);
    expect(queue.hasPending).toBe(false);
  });
});

describe('MediaPacket.encoded', () => {
  it('encodes once per format however many queues take the packet', () => {
    const a = new NamingFormat();
    const b = new NamingFormat();
    const packet = frame('k1');
    const sinks = Array.from({ length: 5 }, () => new FakeSink());
    sinks.forEach((sink, i) => {
      const queue = new OutputQueue(sink);
      queue.pushMedia(packet, i < 3 ? a : b, true);
      queue.flush();
    });
    expect(a.encodeCalls).toBe(1);
    expect(b.encodeCalls).toBe(1);
    expect(sinks[0].writes[0][0]).toBe(sinks[2].writes[0][0]);
    expect(sinks[3].writes[0][0]).toBe(sinks[4].writes[0][0]);
    expect(sinks[0].writes[0][0]).not.toBe(sinks[3].writes[0][0]);
  });
});
