import type { LiveStream } from '../hub/live-stream';
import type { ReaderProtocol } from '../hub/stream-reader';
import type { StreamRegistry } from '../hub/stream-registry';
import { decodeAmf0, EcmaArray, type AmfValue } from '../rtmp/amf';

/** What the publisher's onMetaData says about its media; null where it says nothing (or nothing sensible). */
export interface MediaDetails {
  width: number | null;
  height: number | null;
  fps: number | null;
  audioSampleRate: number | null;
  audioChannels: number | null;
}

/** One player of a stream: an RTMP session id (or an HTTP-FLV/WS-FLV player id), either of which MediaServer.kick ends. */
export interface ReaderStats {
  id: number;
  protocol: ReaderProtocol;
  remoteAddress: string;
  since: string;
}

export interface StreamStats {
  app: string;
  name: string;
  publisher: { id: number; protocol: string; remoteAddress: string; since: string } | null;
  codecs: { video: string; audio: string };
  media: MediaDetails;
  inbound: { bitsPerSecond: number; bytes: number; packets: number };
  /** Readers by protocol. */
  players: Record<ReaderProtocol, number>;
  readers: ReaderStats[];
  /** Summed over the current readers. */
  outbound: { bytes: number; packets: number; packetsDropped: number; skips: number };
  /** Seconds since the current publisher started, 0 without one. */
  uptimeSeconds: number;
}

const NO_DETAILS: MediaDetails = { width: null, height: null, fps: null, audioSampleRate: null, audioChannels: null };

// A metadata number a publisher could not mean (negative, NaN, absurd) is left out rather than shown.
const positive = (value: AmfValue, max: number): number | null => (typeof value === 'number' && Number.isFinite(value) && value > 0 && value <= max ? value : null);

/**
 * Dimensions, frame rate, sample rate and channels from an onMetaData body, as ffmpeg and OBS write them
 * (width, height, framerate, audiosamplerate, audiochannels or stereo). The body is the publisher's: anything malformed gives nulls.
 */
export function mediaDetails(metadata: Buffer | null): MediaDetails {
  if (metadata === null) return NO_DETAILS;
  let values: AmfValue[];
  try {
    values = decodeAmf0(metadata, { maxDepth: 4, maxReferences: 16 });
  } catch {
    return NO_DETAILS;
  }
  const object = values[1];
  const properties = object instanceof EcmaArray ? object.properties : object !== null && typeof object === 'object' && !Array.isArray(object) && !Buffer.isBuffer(object) && !(object instanceof Date) ? (object as Record<string, AmfValue>) : null;
  if (properties === null) return NO_DETAILS;
  const fps = positive(properties.framerate, 1000);
  const stereo = properties.stereo;
  return {
    width: positive(properties.width, 65_535),
    height: positive(properties.height, 65_535),
    fps: fps === null ? null : Math.round(fps * 100) / 100,
    audioSampleRate: positive(properties.audiosamplerate, 1_000_000),
    audioChannels: positive(properties.audiochannels, 64) ?? (typeof stereo === 'boolean' ? (stereo ? 2 : 1) : null),
  };
}

const readerStats = (stream: LiveStream, now: number): ReaderStats[] =>
  [...stream.readers].map((reader) => ({
    id: reader.id,
    protocol: reader.protocol,
    remoteAddress: reader.remoteAddress,
    since: new Date(stream.joinedAt(reader) ?? now).toISOString(),
  }));

/** A JSON-ready snapshot of every stream of the registry. */
export function streamStats(registry: StreamRegistry, now = Date.now()): StreamStats[] {
  return registry.list().map((stream) => {
    const players: Record<ReaderProtocol, number> = { rtmp: 0, rtmps: 0, 'http-flv': 0, 'ws-flv': 0 };
    const outbound = { bytes: 0, packets: 0, packetsDropped: 0, skips: 0 };
    for (const reader of stream.readers) {
      players[reader.protocol]++;
      const { stats } = reader.queue;
      outbound.bytes += stats.bytesSent;
      outbound.packets += stats.packetsSent;
      outbound.packetsDropped += stats.packetsDropped;
      outbound.skips += stats.skips;
    }
    const { publisher } = stream;
    return {
      app: stream.app,
      name: stream.name,
      publisher: publisher && {
        id: publisher.id,
        protocol: publisher.protocol,
        remoteAddress: publisher.remoteAddress,
        since: new Date(stream.publishedAt).toISOString(),
      },
      codecs: { ...stream.codecs },
      media: mediaDetails(stream.metadataPayload),
      inbound: { bitsPerSecond: Math.round(stream.inbound.rate.bitsPerSecond), bytes: stream.inbound.bytes, packets: stream.inbound.packets },
      players,
      readers: readerStats(stream, now),
      outbound,
      uptimeSeconds: publisher ? Math.max(0, Math.floor((now - stream.publishedAt) / 1000)) : 0,
    };
  });
}
