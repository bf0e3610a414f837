import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_MAX_QUEUE_BYTES } from '../../../../src/server/hub/output-queue';
import { DEFAULT_MAX_GOP_BYTES, LiveStream, type LiveStreamOptions } from '../../../../src/server/hub/live-stream';
import { FakeReader, NamingFormat, afterFlush, named } from './fakes';

const PUBLISHER = { id: 7, protocol: 'rtmp' as const, remoteAddress: '10.0.0.7' };

/** Pushes named RTMP bodies into a stream as a publisher session would. */
class Publisher {
  constructor(readonly stream: LiveStream) {}

  metadata(ts: number, name = 'meta'): void {
    this.stream.pushData(ts, named(name, Buffer.from('\x02\x00\x0aonMetaData\x08', 'latin1')), true);
  }

  /** A data message other than onMetaData (onCuePoint, onTextData…): media, not init. */
  data(ts: number, name: string): void {
    this.stream.pushData(ts, named(name, Buffer.from('\x02\x00\x0aonCuePoint', 'latin1')), false);
  }

  // FLV §E.4.3.1: FrameType 1/2 | CodecID 7, AVCPacketType, CompositionTime SI24.
  videoHeader(ts: number, name = 'vsh'): void {
    this.stream.pushVideo(ts, named(name, Buffer.from([0x17, 0x00, 0, 0, 0, 0x01, 0x64])));
  }

  key(ts: number, name: string, size = 5): void {
    this.stream.pushVideo(ts, named(name, body([0x17, 0x01, 0, 0, 0], size)));
  }

  inter(ts: number, name: string, size = 5): void {
    this.stream.pushVideo(ts, named(name, body([0x27, 0x01, 0, 0, 0], size)));
  }

  // FLV §E.4.2.1: SoundFormat 10 (AAC) 44 kHz 16-bit stereo, AACPacketType.
  audioHeader(ts: number, name = 'ash'): void {
    this.stream.pushAudio(ts, named(name, Buffer.from([0xaf, 0x00, 0x12, 0x10])));
  }

  audio(ts: number, name: string, size = 2): void {
    this.stream.pushAudio(ts, named(name, body([0xaf, 0x01], size)));
  }

  /** metadata, video and audio sequence headers, all at `ts`. */
  headers(ts = 0): void {
    this.metadata(ts);
    this.videoHeader(ts);
    this.audioHeader(ts);
  }
}

/** A body of exactly `size` bytes starting with `header`. */
const body = (header: number[], size: number): Buffer => {
  const bytes = Buffer.alloc(size);
  Buffer.from(header).copy(bytes);
  return bytes;
};

function live(options: LiveStreamOptions = {}) {
  const stream = new LiveStream('live', 'cam', options);
  stream.startPublishing(PUBLISHER);
  return { stream, publisher: new Publisher(stream), format: new NamingFormat() };
}

describe('LiveStream: a new reader', () => {
  it('gets metadata, video and audio sequence headers, then the cached GOP from its keyframe, in one write', () => {
    const { stream, publisher, format } = live();
    publisher.audioHeader(0);
    publisher.videoHeader(0);
    publisher.metadata(0);
    publisher.key(0, 'k1');
    publisher.audio(10, 'a1');
    publisher.inter(33, 'p1');
    const reader = new FakeReader(format);
    stream.addReader(reader);
    expect(reader.sink.writes).toHaveLength(1);
    expect(reader.names).toEqual(['meta', 'vsh', 'ash', 'k1', 'a1', 'p1']);
  });

  it('then follows the live stream', async () => {
    const { stream, publisher, format } = live();
    publisher.headers();
    publisher.key(0, 'k1');
    const reader = new FakeReader(format);
    stream.addReader(reader);
    publisher.inter(33, 'p1');
    publisher.audio(40, 'a1');
    await afterFlush();
    expect(reader.names).toEqual(['meta', 'vsh', 'ash', 'k1', 'p1', 'a1']);
  });

  it('starts from the latest keyframe: the GOP cache resets on each keyframe', () => {
    const { stream, publisher, format } = live();
    publisher.headers();
    publisher.key(0, 'k1');
    publisher.inter(33, 'p1');
    publisher.key(66, 'k2');
    publisher.audio(70, 'a2');
    publisher.inter(99, 'p2');
    const reader = new FakeReader(format);
    stream.addReader(reader);
    expect(reader.names).toEqual(['meta', 'vsh', 'ash', 'k2', 'a2', 'p2']);
  });

  it('gets no audio from before the first keyframe', () => {
    const { stream, publisher, format } = live();
    publisher.headers();
    publisher.audio(0, 'a0');
    publisher.key(10, 'k1');
    const reader = new FakeReader(format);
    stream.addReader(reader);
    expect(reader.names).toEqual(['meta', 'vsh', 'ash', 'k1']);
  });

  it('gets no GOP, and waits for the next keyframe, when the GOP outgrew maxGopBytes', async () => {
    const { stream, publisher, format } = live({ maxGopBytes: 100 });
    publisher.headers();
    publisher.key(0, 'k1', 60);
    publisher.inter(33, 'p1', 41);
    const reader = new FakeReader(format);
    stream.addReader(reader);
    expect(reader.names).toEqual(['meta', 'vsh', 'ash']);
    publisher.inter(66, 'p2');
    publisher.audio(70, 'a2');
    publisher.key(99, 'k2');
    publisher.inter(133, 'p3');
    await afterFlush();
    expect(reader.names).toEqual(['meta', 'vsh', 'ash', 'k2', 'p3']);
    expect(reader.queue.stats.packetsDropped).toBe(2);
  });

  it('gets a GOP of exactly maxGopBytes', () => {
    const { stream, publisher, format } = live({ maxGopBytes: 100 });
    publisher.headers();
    publisher.key(0, 'k1', 60);
    publisher.inter(33, 'p1', 40);
    const reader = new FakeReader(format);
    stream.addReader(reader);
    expect(reader.names).toEqual(['meta', 'vsh', 'ash', 'k1', 'p1']);
  });

  it('gets no GOP when the keyframe alone is larger than maxGopBytes', () => {
    const { stream, publisher, format } = live({ maxGopBytes: 100 });
    publisher.headers();
    publisher.key(0, 'k1', 101);
    const reader = new FakeReader(format);
    stream.addReader(reader);
    expect(reader.names).toEqual(['meta', 'vsh', 'ash']);
  });

  it('caches at most half a default reader queue of GOP by default, so a joiner has room for live media', () => {
    expect(DEFAULT_MAX_GOP_BYTES).toBeLessThanOrEqual(DEFAULT_MAX_QUEUE_BYTES / 2);
  });

  // A cached GOP is only worth its memory if a default reader queue can take it on joining.
  it('gets a cached GOP within the default maxGopBytes whole, with the default queue bound, and counts no skip', () => {
    const stream = new LiveStream('live', 'cam');
    stream.startPublishing(PUBLISHER);
    const publisher = new Publisher(stream);
    const frameBytes = Math.floor(DEFAULT_MAX_GOP_BYTES / 6) - 64;
    publisher.key(0, 'k1', frameBytes);
    for (let i = 1; i < 6; i++) publisher.inter(i * 33, `p${i}`, frameBytes);
    const raw = { encode: (packet: { payload: Buffer }) => packet.payload };
    const reader = new FakeReader(raw);
    stream.addReader(reader);
    expect(reader.queue.stats).toMatchObject({ packetsSent: 6, packetsDropped: 0, skips: 0 });
  });

  it('waits on an idle stream, then starts on the first keyframe after the publisher comes', async () => {
    const stream = new LiveStream('live', 'cam');
    const reader = new FakeReader(new NamingFormat());
    stream.addReader(reader);
    expect(reader.sink.writes).toHaveLength(0);
    stream.startPublishing(PUBLISHER);
    const publisher = new Publisher(stream);
    publisher.headers();
    publisher.inter(0, 'p0');
    publisher.audio(5, 'a0');
    publisher.key(10, 'k1');
    publisher.audio(15, 'a1');
    await afterFlush();
    expect(reader.events).toEqual(['started live/cam']);
    expect(reader.names).toEqual(['publishStarted', 'meta', 'vsh', 'ash', 'k1', 'a1']);
  });

  it('keeps a sequence header per Enhanced RTMP multitrack track', () => {
    const { stream, publisher, format } = live();
    // ExVideoTagHeader: IsExHeader | FrameType 1 | Multitrack (6); OneTrack | SequenceStart; FourCC; trackId.
    stream.pushVideo(0, named('vsh-track0', Buffer.from([0x96, 0x00, ...Buffer.from('av01'), 0, 0x81])));
    stream.pushVideo(0, named('vsh-track1', Buffer.from([0x96, 0x00, ...Buffer.from('av01'), 1, 0x81])));
    publisher.key(0, 'k1');
    const reader = new FakeReader(format);
    stream.addReader(reader);
    expect(reader.names).toEqual(['vsh-track0', 'vsh-track1', 'k1']);
  });

  it('keeps only the latest sequence header of a track', () => {
    const { stream, publisher, format } = live();
    publisher.videoHeader(0, 'vsh1');
    publisher.videoHeader(0, 'vsh2');
    const reader = new FakeReader(format);
    stream.addReader(reader);
    expect(reader.names).toEqual(['vsh2']);
  });

  // E-RTMP v2: an Opus track may need both its SequenceStart (OpusHead) and a MultichannelConfig;
  // both are decoder configuration a late joiner needs.
  it('keeps an audio MultichannelConfig alongside the SequenceStart of the same track', () => {
    const { stream, format } = live();
    stream.pushAudio(0, named('opus-start', Buffer.from([0x90, ...Buffer.from('OpusHead')])));
    // AudioPacketType MultichannelConfig (4), FourCC, AudioChannelOrder Native, 2 channels, flags.
    stream.pushAudio(0, named('opus-channels', Buffer.from([0x94, ...Buffer.from('Opus'), 1, 2, 0, 0, 0, 3])));
    const reader = new FakeReader(format);
    stream.addReader(reader);
    expect(reader.names).toEqual(['opus-start', 'opus-channels']);
  });
});

describe('LiveStream: sync points', () => {
  it('in an audio-only stream, starts a late joiner on the next audio packet', async () => {
    const { stream, publisher, format } = live();
    publisher.audioHeader(0);
    publisher.audio(0, 'a0');
    publisher.audio(23, 'a1');
    const reader = new FakeReader(format);
    stream.addReader(reader);
    expect(reader.names).toEqual(['ash']);
    publisher.audio(46, 'a2');
    await afterFlush();
    expect(reader.names).toEqual(['ash', 'a2']);
  });

  it('in an audio-only stream, a reader that falls behind drops what it queued and resumes on the very next audio packet', async () => {
    const { stream, publisher, format } = live();
    publisher.audioHeader(0);
    const reader = new FakeReader(format, 1, { maxQueueBytes: 100 });
    stream.addReader(reader);
    publisher.audio(0, 'a0');
    reader.sink.pendingBytes = 1000;
    publisher.audio(23, 'a1');
    reader.sink.pendingBytes = 0;
    publisher.audio(46, 'a2');
    await afterFlush();
    expect(reader.names).toEqual(['ash', 'a1', 'a2']);
    expect(reader.queue.stats).toMatchObject({ skips: 1, packetsDropped: 1 });
  });

  it('with video, a reader that fell behind lets audio go by until the next keyframe', async () => {
    const { stream, publisher, format } = live();
    publisher.headers();
    publisher.key(0, 'k1');
    const reader = new FakeReader(format, 1, { maxQueueBytes: 100 });
    stream.addReader(reader);
    reader.sink.pendingBytes = 1000;
    publisher.inter(33, 'p1');
    reader.sink.pendingBytes = 0;
    publisher.audio(40, 'a1');
    publisher.inter(66, 'p2');
    publisher.data(70, 'cue');
    publisher.key(99, 'k2');
    publisher.audio(100, 'a2');
    await afterFlush();
    expect(reader.names).toEqual(['meta', 'vsh', 'ash', 'k1', 'k2', 'a2']);
    expect(reader.queue.stats).toMatchObject({ skips: 1, packetsDropped: 4 });
  });

  it('does not take a sequence header for a sync point', async () => {
    const { stream, publisher, format } = live();
    publisher.headers();
    publisher.key(0, 'k1');
    const reader = new FakeReader(format);
    stream.addReader(reader);
    reader.queue.awaitSyncPoint();
    publisher.videoHeader(40, 'vsh2');
    publisher.inter(66, 'p2');
    publisher.key(99, 'k2');
    await afterFlush();
    expect(reader.names.slice(4)).toEqual(['vsh2', 'k2']);
  });
});

describe('LiveStream: a publisher leaving and coming back', () => {
  function session() {
    const { stream, publisher, format } = live();
    publisher.headers(0);
    publisher.key(0, 'k1');
    publisher.audio(23, 'a1');
    publisher.inter(1000, 'p1');
    publisher.audio(1010, 'a2');
    const reader = new FakeReader(format);
    stream.addReader(reader);
    return { stream, publisher, reader };
  }

  it('tells readers it ended and started again, in order with their media', async () => {
    const { stream, publisher, reader } = session();
    stream.stopPublishing();
    stream.startPublishing(PUBLISHER);
    publisher.headers(0);
    publisher.key(0, 'k2');
    await afterFlush();
    expect(reader.events).toEqual(['ended live/cam', 'started live/cam']);
    expect(reader.names.slice(7)).toEqual(['publishEnded', 'publishStarted', 'meta', 'vsh', 'ash', 'k2']);
    expect(stream.isLive).toBe(true);
  });

  it('continues output timestamps just after the last one though the new publisher restarts at 0', async () => {
    const { stream, publisher, reader } = session();
    stream.stopPublishing();
    stream.startPublishing(PUBLISHER);
    publisher.headers(0);
    publisher.key(0, 'k2');
    publisher.audio(21, 'a3');
    publisher.inter(40, 'p2');
    await afterFlush();
    expect(reader.timestamps('k2')).toEqual([1011]);
    expect(reader.timestamps('a3')).toEqual([1032]);
    expect(reader.timestamps('p2')).toEqual([1051]);
    expect(reader.timestamps('meta')).toEqual([0, 1011]);
  });

  it('makes a returning reader wait for the new publisher’s first keyframe', async () => {
    const { stream, publisher, reader } = session();
    stream.stopPublishing();
    stream.startPublishing(PUBLISHER);
    publisher.videoHeader(0);
    publisher.inter(0, 'stale');
    publisher.key(33, 'k2');
    await afterFlush();
    expect(reader.names.slice(-2)).toEqual(['vsh', 'k2']);
  });

  it('forgets the old headers and GOP: a reader joining in between gets nothing until the new publisher', async () => {
    const { stream, publisher, reader: first } = session();
    stream.stopPublishing();
    const reader = new FakeReader(first.format, 2);
    stream.addReader(reader);
    expect(reader.sink.writes).toHaveLength(0);
    expect(stream.codecs).toEqual({ video: '', audio: '' });
    stream.startPublishing(PUBLISHER);
    publisher.videoHeader(0, 'vsh2');
    publisher.key(0, 'k2');
    await afterFlush();
    expect(reader.names).toEqual(['publishStarted', 'vsh2', 'k2']);
  });

  it('rebases across the 2^32 wrap', async () => {
    const { stream, publisher, format } = live();
    publisher.key(0xfffffff0, 'k1');
    const reader = new FakeReader(format);
    stream.addReader(reader);
    stream.stopPublishing();
    stream.startPublishing(PUBLISHER);
    publisher.key(0, 'k2');
    publisher.key(40, 'k3');
    await afterFlush();
    expect(reader.timestamps('k')).toEqual([0xfffffff0, 0xfffffff1, 0x19]);
  });

  // Publishers send onMetaData once, at 0: after 2^31 ms (24.8 days) that stale 0 reads as
  // "after" the video clock in serial arithmetic and must not be where readers continue from.
  it('rebases from the latest timestamp readers saw, not from metadata sent at the start of a weeks-long publish', async () => {
    const { stream, publisher, format } = live();
    const reader = new FakeReader(format);
    stream.addReader(reader);
    publisher.metadata(0);
    publisher.key(0, 'k1');
    publisher.inter(0x70000000, 'p1');
    publisher.inter(0x90000000, 'p2');
    stream.stopPublishing();
    stream.startPublishing(PUBLISHER);
    publisher.key(0, 'k2');
    await afterFlush();
    expect(reader.timestamps('k2')).toEqual([0x90000001]);
  });
});

describe('LiveStream: timestamps', () => {
  async function outputs(push: (publisher: Publisher) => void) {
    const { stream, publisher, format } = live();
    const reader = new FakeReader(format);
    stream.addReader(reader);
    push(publisher);
    await afterFlush();
    return reader;
  }

  it('passes a well-behaved publisher’s timestamps through unchanged', async () => {
    const reader = await outputs((p) => {
      p.key(5, 'k1');
      p.audio(7, 'a1');
      p.inter(38, 'p1');
    });
    expect(reader.timestamps()).toEqual([5, 7, 38]);
  });

  it('clamps a backwards glitch per kind: video stays at the last video time, audio keeps its own clock', async () => {
    const reader = await outputs((p) => {
      p.key(1000, 'k1');
      p.inter(900, 'p1');
      p.audio(950, 'a1');
      p.audio(940, 'a2');
      p.inter(1033, 'p2');
    });
    expect(reader.timestamps('k1')).toEqual([1000]);
    expect(reader.timestamps('p')).toEqual([1000, 1033]);
    expect(reader.timestamps('a')).toEqual([950, 950]);
  });

  it('compares timestamps as serial numbers: 0x10 after 0xFFFFFFF0 is a wrap, not a step back', async () => {
    const reader = await outputs((p) => {
      p.key(0x70000000, 'k1');
      p.inter(0xe0000000, 'p1');
      p.inter(0xfffffff0, 'p2');
      p.inter(0x10, 'p3');
      p.inter(0x20, 'p4');
    });
    expect(reader.timestamps()).toEqual([0x70000000, 0xe0000000, 0xfffffff0, 0x10, 0x20]);
  });

  it('still clamps a step back across the wrap', async () => {
    const reader = await outputs((p) => {
      p.key(0x10, 'k1');
      p.inter(0xfffffff0, 'p1');
    });
    expect(reader.timestamps()).toEqual([0x10, 0x10]);
  });

  // A kind's first packet has nothing to be "before": a publisher may start anywhere in the
  // 32-bit range (a relayed origin that has been live for weeks).
  it('keeps the timestamps of a publisher whose clock starts past 2^31', async () => {
    const reader = await outputs((p) => {
      p.key(0x90000000, 'k1');
      p.audio(0x90000005, 'a1');
      p.audio(0x90000010, 'a2');
    });
    expect(reader.timestamps()).toEqual([0x90000000, 0x90000005, 0x90000010]);
  });
});

describe('LiveStream: fan-out', () => {
  it('encodes each packet once per format however many readers read it, late joiners included', async () => {
    const { stream, publisher } = live();
    const a = new NamingFormat();
    const b = new NamingFormat();
    const readers = [a, a, a, b, b].map((format, i) => new FakeReader(format, i));
    for (const reader of readers) stream.addReader(reader);
    publisher.headers();
    publisher.key(0, 'k1');
    publisher.audio(10, 'a1');
    publisher.inter(33, 'p1');
    await afterFlush();
    expect(a.encodeCalls).toBe(6);
    expect(b.encodeCalls).toBe(6);
    const late = new FakeReader(a, 9);
    stream.addReader(late);
    expect(late.names).toEqual(['meta', 'vsh', 'ash', 'k1', 'a1', 'p1']);
    expect(a.encodeCalls).toBe(6);
    // Readers that kept up write the batch as one Buffer, shared by every reader of the same format.
    expect(readers[0].sink.writes[0]).toHaveLength(1);
    expect(readers[1].sink.writes[0][0]).toBe(readers[0].sink.writes[0][0]);
    expect(readers[3].sink.writes[0][0]).toBe(readers[4].sink.writes[0][0]);
    expect(readers[3].sink.writes[0][0]).not.toBe(readers[0].sink.writes[0][0]);
  });

  it('writes a reader that is not exactly the batch (a joiner, a reader with control bytes) buffer by buffer', async () => {
    const { stream, publisher, format } = live();
    const steady = new FakeReader(format, 1);
    const announced = new FakeReader(format, 2);
    for (const reader of [steady, announced]) stream.addReader(reader);
    publisher.key(0, 'k1');
    announced.queue.pushControl(Buffer.from('status|'));
    publisher.inter(33, 'p1');
    await afterFlush();
    expect(steady.sink.writes).toHaveLength(1);
    expect(steady.sink.writes[0]).toHaveLength(1);
    expect(announced.sink.writes[0]).toHaveLength(3);
    expect(announced.names).toEqual(['k1', 'status', 'p1']);
  });

  it('batches the pushes of one synchronous turn into one write per reader, after a microtask', async () => {
    const { stream, publisher, format } = live();
    const readers = [new FakeReader(format, 1), new FakeReader(format, 2)];
    for (const reader of readers) stream.addReader(reader);
    publisher.headers();
    publisher.key(0, 'k1');
    publisher.audio(10, 'a1');
    for (const reader of readers) expect(reader.sink.writes).toHaveLength(0);
    await afterFlush();
    for (const reader of readers) {
      expect(reader.sink.writes).toHaveLength(1);
      expect(reader.names).toEqual(['meta', 'vsh', 'ash', 'k1', 'a1']);
    }
    publisher.inter(33, 'p1');
    await afterFlush();
    for (const reader of readers) expect(reader.sink.writes).toHaveLength(2);
  });

  it('with writeCoalesceMs, lets audio wait for the next video frame, bounded, and never holds video', async () => {
    vi.useFakeTimers();
    try {
      const { stream, publisher, format } = live({ writeCoalesceMs: 20 });
      const reader = new FakeReader(format, 1);
      stream.addReader(reader);
      publisher.key(0, 'k1');
      await afterFlush();
      expect(reader.names).toEqual(['k1']);
      publisher.audio(10, 'a1');
      await afterFlush();
      vi.advanceTimersByTime(10);
      expect(reader.sink.writes).toHaveLength(1);
      publisher.inter(33, 'p1');
      await afterFlush();
      expect(reader.sink.writes).toHaveLength(2);
      expect(reader.names).toEqual(['k1', 'a1', 'p1']);
      publisher.audio(40, 'a2');
      vi.advanceTimersByTime(19);
      expect(reader.sink.writes).toHaveLength(2);
      vi.advanceTimersByTime(1);
      expect(reader.names).toEqual(['k1', 'a1', 'p1', 'a2']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('with writeCoalesceMs, does not hold audio in a stream without video', async () => {
    const { stream, publisher, format } = live({ writeCoalesceMs: 20 });
    const reader = new FakeReader(format, 1);
    stream.addReader(reader);
    publisher.audio(0, 'a1');
    await afterFlush();
    expect(reader.names).toEqual(['a1']);
  });

  it('never lets a stalled reader hold back the others', async () => {
    const { stream, publisher, format } = live();
    const stalled = new FakeReader(format, 1, { maxQueueBytes: 100 });
    const healthy = new FakeReader(format, 2, { maxQueueBytes: 100 });
    stream.addReader(stalled);
    stream.addReader(healthy);
    stalled.sink.accept = false;
    publisher.key(0, 'k1');
    await afterFlush();
    stalled.sink.pendingBytes = 1000; // its transport's backlog
    for (let i = 1; i <= 10; i++) {
      publisher.inter(i * 33, `p${i}`);
      await afterFlush();
    }
    expect(healthy.names).toEqual(['k1', ...Array.from({ length: 10 }, (_, i) => `p${i + 1}`)]);
    expect(stalled.names).toEqual(['k1']);
    expect(stalled.queue.stats).toMatchObject({ skips: 1, packetsDropped: 10 });
  });

  it('stops writing to a removed reader', async () => {
    const { stream, publisher, format } = live();
    const reader = new FakeReader(format);
    stream.addReader(reader);
    stream.removeReader(reader);
    publisher.key(0, 'k1');
    await afterFlush();
    expect(reader.sink.writes).toHaveLength(0);
    expect(stream.readers.size).toBe(0);
  });

  it('counts inbound bytes and packets and reports the codecs', () => {
    const { stream, publisher } = live();
    publisher.headers();
    publisher.key(0, 'k1', 100);
    expect(stream.inbound).toMatchObject({ packets: 4, bytes: 14 + 7 + 4 + 100 });
    expect(stream.codecs).toEqual({ video: 'H264', audio: 'AAC' });
  });

  it('knows its path and whether it is live', () => {
    const stream = new LiveStream('live', 'cam');
    expect(stream.path).toBe('live/cam');
    expect(stream.isLive).toBe(false);
    stream.startPublishing(PUBLISHER);
    expect(stream.publisher).toEqual(PUBLISHER);
    expect(stream.isLive).toBe(true);
    stream.stopPublishing();
    expect(stream.publisher).toBeNull();
  });
});
