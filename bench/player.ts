// One bench player: counts the media messages of the measurement window, notes its first keyframe and
// how far behind the publisher it is; sampled players also record each message's latency.
import { performance } from 'node:perf_hooks';
import type { MeasureWindow } from './measure-window';
import type { Publisher } from './publisher';
import { RtmpClient } from './rtmp-client';
import type { MediaListener } from './rtmp-client';

export interface PlayerTarget {
  host: string;
  port: number;
  app: string;
  streamName: string;
}

export class Player implements MediaListener {
  readonly client: RtmpClient;
  /** Media messages received with a timestamp inside the measurement window. */
  received = 0;
  /** Highest media timestamp received. */
  lastTimestamp = -1;
  /** Connect to the first coded video keyframe, in ms; -1 until then. */
  firstFrameMs = -1;
  /** Most the player trailed the publisher's timestamps, sampled during the window. */
  maxBehindMs = 0;

  /** Where a sampled player puts its latencies (ms); null for the others. */
  latencies: number[] | null = null;

  private readonly startedAt = performance.now();

  constructor(
    target: PlayerTarget,
    readBuffer: Buffer,
    private readonly window: MeasureWindow,
    private readonly publisher: Publisher,
  ) {
    this.client = new RtmpClient({ ...target, role: 'play', readBuffer, media: this });
  }

  onMedia(typeId: number, timestamp: number, keyframe: boolean): void {
    if (timestamp > this.lastTimestamp) this.lastTimestamp = timestamp;
    if (keyframe && this.firstFrameMs < 0) this.firstFrameMs = this.client.readAt - this.startedAt;
    if (!this.window.includes(timestamp)) return;
    this.received += 1;
    if (this.latencies === null) return;
    const sent = this.publisher.sentTime(typeId, timestamp);
    if (sent !== undefined) this.latencies.push(this.client.readAt - sent);
  }

  /** Notes how far behind the publisher's latest timestamp this player is now. */
  sampleLag(publisherTimestamp: number): void {
    const behind = publisherTimestamp - this.lastTimestamp;
    if (this.client.live && behind > this.maxBehindMs) this.maxBehindMs = behind;
  }

  resetWindow(): void {
    this.received = 0;
    this.maxBehindMs = 0;
  }
}
