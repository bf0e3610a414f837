// The bench publisher: an FLV file's tags paced in real time and looped with shifted timestamps. It
// remembers when each media message was written, for the sampled players' latency.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { FlvDemuxer } from '../src/server/flv/demuxer';
import type { FlvTag } from '../src/server/flv/tag';
import { encodeAmf0 } from '../src/server/rtmp/amf';
import { MessageTypeId } from '../src/server/rtmp/messages';
import type { MeasureWindow } from './measure-window';
import type { RtmpClient } from './rtmp-client';

/** How long a write time is kept for latency lookups; later arrivals count as lost for latency. */
const SENT_TIME_RETENTION_MS = 20_000;
/** Gap between one pass over the file and the next: about one video frame. */
const LOOP_GAP_MS = 40;
const AAC = 10;
const AVC = 7;

/** The tags of an FLV file, script data turned into `@setDataFrame` data messages as encoders send them. */
export function loadTags(file: string): FlvTag[] {
  const tags: FlvTag[] = [];
  new FlvDemuxer((tag) => tags.push(tag)).push(readFileSync(file));
  const setDataFrame = encodeAmf0(['@setDataFrame']);
  return tags.map((tag) => (tag.type === MessageTypeId.DataAmf0 ? { ...tag, body: Buffer.concat([setDataFrame, tag.body]) } : tag));
}

/** Metadata and AAC/AVC sequence headers (FLV spec E.4.2.1, E.4.3.1): sent once, not on every loop. */
function isStreamHeader(tag: FlvTag): boolean {
  if (tag.type === MessageTypeId.DataAmf0) return true;
  if (tag.type === MessageTypeId.Audio) return tag.body[0] >>> 4 === AAC && tag.body[1] === 0;
  return (tag.body[0] & 0x0f) === AVC && tag.body[1] === 0;
}

/** Key of a media message in the write-time map: its timestamp and whether it is video. */
export function mediaKey(typeId: number, timestamp: number): number {
  return timestamp * 2 + (typeId === MessageTypeId.Video ? 1 : 0);
}

export class Publisher {
  /** Media messages sent inside the measurement window. */
  sentInWindow = 0;
  /** Timestamp of the last media message written. */
  lastTimestamp = -1;
  bytesSent = 0;

  private readonly loopTags: FlvTag[];
  private readonly loopDuration: number;
  private readonly sentAt = new Map<number, number>();
  private next = 0;
  private loop = 0;
  private pass: FlvTag[];
  private startedAt = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: RtmpClient,
    tags: FlvTag[],
    private readonly window: MeasureWindow,
  ) {
    this.pass = tags;
    this.loopTags = tags.filter((tag) => !isStreamHeader(tag));
    this.loopDuration = tags[tags.length - 1].timestamp + LOOP_GAP_MS;
  }

  start(): void {
    this.startedAt = performance.now();
    this.tick();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** When the media message was written (performance.now()), if it is still remembered. */
  sentTime(typeId: number, timestamp: number): number | undefined {
    return this.sentAt.get(mediaKey(typeId, timestamp));
  }

  /** Writes every tag that is due, then sleeps until the next one. */
  private tick(): void {
    const now = performance.now();
    const elapsed = now - this.startedAt;
    let due = this.dueAt();
    while (due <= elapsed) {
      this.send(this.pass[this.next], this.loop * this.loopDuration);
      if (++this.next === this.pass.length) {
        this.next = 0;
        this.loop += 1;
        this.pass = this.loopTags;
      }
      due = this.dueAt();
    }
    this.forgetBefore(now - SENT_TIME_RETENTION_MS);
    this.timer = setTimeout(() => this.tick(), Math.max(1, due - elapsed));
  }

  private dueAt(): number {
    return this.pass[this.next].timestamp + this.loop * this.loopDuration;
  }

  private send(tag: FlvTag, offset: number): void {
    const timestamp = tag.timestamp + offset;
    this.client.sendMedia(tag.type, timestamp, tag.body);
    this.bytesSent += tag.body.length;
    if (tag.type === MessageTypeId.DataAmf0) return;
    this.sentAt.set(mediaKey(tag.type, timestamp), performance.now());
    this.lastTimestamp = Math.max(this.lastTimestamp, timestamp);
    if (this.window.includes(timestamp)) this.sentInWindow += 1;
  }

  /** Drops write times older than `limit` (the map is in insertion order, so oldest first). */
  private forgetBefore(limit: number): void {
    for (const [key, time] of this.sentAt) {
      if (time >= limit) return;
      this.sentAt.delete(key);
    }
  }
}
