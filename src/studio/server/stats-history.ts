// Live stream stats for the Server screen: the server's snapshot in the contract's words, and the last minutes of it for graphs.
import type { StreamStats } from '../../server/http/stats';
import type { ServerStats } from '../../server/host/protocol';
import { historySample, type HistorySample, type StatsHistory, type StatsSample, type StreamInfo } from '../../shared/ipc/server';

export const SAMPLE_INTERVAL_MS = 1000;
/** Five minutes of one-second samples. */
export const HISTORY_SAMPLES = 300;

function streamInfo(stream: StreamStats): StreamInfo {
  const { publisher, codecs, media } = stream;
  return {
    path: `${stream.app}/${stream.name}`,
    publisher: publisher && { sessionId: publisher.id, address: publisher.remoteAddress, protocol: publisher.protocol === 'rtmps' ? 'rtmps' : 'rtmp', since: publisher.since },
    video: codecs.video === '' ? null : { codec: codecs.video, width: media.width, height: media.height, fps: media.fps },
    audio: codecs.audio === '' ? null : { codec: codecs.audio, sampleRate: media.audioSampleRate, channels: media.audioChannels },
    bitrateKbps: Math.round(stream.inbound.bitsPerSecond / 1000),
    players: { ...stream.players },
    drops: stream.outbound.packetsDropped,
    sessions: stream.readers.map((reader) => ({ sessionId: reader.id, address: reader.remoteAddress, protocol: reader.protocol, since: reader.since })),
  };
}

/** The server's stats at `at`, as the contract describes a sample. */
export const statsSample = (stats: ServerStats, at: number): StatsSample => ({ at, streams: stats.streams.map(streamInfo) });

/** The newest HISTORY_SAMPLES samples, reduced to what the graphs draw: bitrate and viewers per stream. */
export class StatsRecorder {
  private readonly samples: HistorySample[] = [];

  constructor(private readonly size = HISTORY_SAMPLES) {}

  record(sample: StatsSample): void {
    this.samples.push(historySample(sample));
    if (this.samples.length > this.size) this.samples.shift();
  }

  history(): StatsHistory {
    return { intervalMs: SAMPLE_INTERVAL_MS, samples: this.samples.map((sample) => ({ at: sample.at, streams: sample.streams.map((stream) => ({ ...stream })) })) };
  }
}
