import { describe, expect, it } from 'vitest';
import { OutputQueue, type PacketSink } from '../../../../src/server/hub/output-queue';
import type { ReaderProtocol, StreamReader } from '../../../../src/server/hub/stream-reader';
import { StreamRegistry } from '../../../../src/server/hub/stream-registry';
import { flvTagFormat } from '../../../../src/server/flv/tag-format';
import { mediaDetails, streamStats } from '../../../../src/server/http/stats';
import { EcmaArray, encodeAmf0 } from '../../../../src/server/rtmp/amf';

const nullSink: PacketSink = { pendingBytes: 0, write: () => true, onceDrain: () => {} };

function reader(id: number, protocol: ReaderProtocol): StreamReader {
  const queue = new OutputQueue(nullSink);
  return { id, protocol, remoteAddress: '10.0.0.9', format: flvTagFormat, queue, publishStarted() {}, publishEnded() {} };
}

describe('streamStats', () => {
  it('describes a live stream: publisher, codecs, inbound, players by protocol, outbound sums, uptime', () => {
    const registry = new StreamRegistry();
    const stream = registry.claim('live', 'cam', { id: 7, protocol: 'rtmps', remoteAddress: '10.0.0.1' })!;
    stream.pushVideo(0, Buffer.from([0x17, 0x00, 0, 0, 0, 1, 2, 3]));
    stream.pushAudio(0, Buffer.from([0xaf, 0x00, 0x12, 0x10]));
    const readers = [reader(1, 'http-flv'), reader(2, 'ws-flv'), reader(3, 'http-flv'), reader(4, 'rtmp')];
    for (const each of readers) stream.addReader(each);
    // What the readers sent since joining, set after addReader delivered the headers.
    Object.assign(readers[0].queue.stats, { bytesSent: 100, packetsSent: 3, packetsDropped: 2, skips: 1 });
    Object.assign(readers[1].queue.stats, { bytesSent: 50, packetsSent: 2, packetsDropped: 0, skips: 0 });
    Object.assign(readers[2].queue.stats, { bytesSent: 1, packetsSent: 1, packetsDropped: 4, skips: 2 });
    Object.assign(readers[3].queue.stats, { bytesSent: 0, packetsSent: 0, packetsDropped: 0, skips: 0 });

    const [stats] = streamStats(registry, stream.publishedAt + 61_500);
    expect(stats).toEqual({
      app: 'live',
      name: 'cam',
      publisher: { id: 7, protocol: 'rtmps', remoteAddress: '10.0.0.1', since: new Date(stream.publishedAt).toISOString() },
      codecs: { video: 'H264', audio: 'AAC' },
      media: { width: null, height: null, fps: null, audioSampleRate: null, audioChannels: null },
      inbound: { bitsPerSecond: expect.any(Number), bytes: 12, packets: 2 },
      players: { rtmp: 1, rtmps: 0, 'http-flv': 2, 'ws-flv': 1 },
      readers: readers.map(({ id, protocol }) => ({ id, protocol, remoteAddress: '10.0.0.9', since: expect.any(String) })),
      outbound: { bytes: 151, packets: 6, packetsDropped: 6, skips: 3 },
      uptimeSeconds: 61,
    });
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });

  it('shows a stream waiting for its publisher with no publisher and no uptime', () => {
    const registry = new StreamRegistry();
    registry.open('live', 'later').addReader(reader(1, 'rtmp'));
    expect(streamStats(registry)[0]).toMatchObject({ publisher: null, uptimeSeconds: 0, players: { rtmp: 1 }, codecs: { video: '', audio: '' } });
  });

  it('lists each reader with the moment it joined', () => {
    const registry = new StreamRegistry();
    const stream = registry.open('live', 'cam');
    const before = Date.now();
    stream.addReader(reader(5, 'ws-flv'));
    const [{ readers }] = streamStats(registry);
    expect(readers).toEqual([{ id: 5, protocol: 'ws-flv', remoteAddress: '10.0.0.9', since: expect.any(String) }]);
    expect(Date.parse(readers[0].since)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(readers[0].since)).toBeLessThanOrEqual(Date.now());
  });

  it('reads dimensions, frame rate, sample rate and channels from onMetaData as ffmpeg writes it', () => {
    const registry = new StreamRegistry();
    const stream = registry.claim('live', 'cam', { id: 1, protocol: 'rtmp', remoteAddress: '127.0.0.1' })!;
    stream.pushData(0, encodeAmf0(['onMetaData', new EcmaArray({ width: 1280, height: 720, framerate: 29.97002997, audiosamplerate: 48_000, stereo: true })]), true);
    expect(streamStats(registry)[0].media).toEqual({ width: 1280, height: 720, fps: 29.97, audioSampleRate: 48_000, audioChannels: 2 });
  });

  it('prefers audiochannels (OBS) to stereo, and leaves out values no encoder could mean', () => {
    expect(mediaDetails(encodeAmf0(['onMetaData', { width: -5, height: Number.NaN, framerate: '30', audiochannels: 6, stereo: true }]))).toEqual({
      width: null,
      height: null,
      fps: null,
      audioSampleRate: null,
      audioChannels: 6,
    });
  });

  it('gives nulls for metadata that is not an AMF0 object, without throwing', () => {
    const none = { width: null, height: null, fps: null, audioSampleRate: null, audioChannels: null };
    expect(mediaDetails(Buffer.from([0x03, 0x00]))).toEqual(none);
    expect(mediaDetails(encodeAmf0(['onMetaData', 'nothing']))).toEqual(none);
    expect(mediaDetails(null)).toEqual(none);
  });

  it('lists nothing for an empty registry', () => {
    expect(streamStats(new StreamRegistry())).toEqual([]);
  });
});
