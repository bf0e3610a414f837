import type { ReaderProtocol } from '../hub/stream-reader';
import type { StreamRegistry } from '../hub/stream-registry';

export interface StreamStats {
  app: string;
  name: string;
  publisher: { id: number; protocol: string; remoteAddress: string; since: string } | null;
  codecs: { video: string; audio: string };
  inbound: { bitsPerSecond: number; bytes: number; packets: number };
  /** Readers by protocol. */
  players: Record<ReaderProtocol, number>;
  /** Summed over the current readers. */
  outbound: { bytes: number; packets: number; packetsDropped: number; skips: number };
  /** Seconds since the current publisher started, 0 without one. */
  uptimeSeconds: number;
}

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
      inbound: { bitsPerSecond: Math.round(stream.inbound.rate.bitsPerSecond), bytes: stream.inbound.bytes, packets: stream.inbound.packets },
      players,
      outbound,
      uptimeSeconds: publisher ? Math.max(0, Math.floor((now - stream.publishedAt) / 1000)) : 0,
    };
  });
}
