import type { LiveStream } from './live-stream';
import type { OutputQueue } from './output-queue';
import type { PacketFormat } from './media-packet';

export type ReaderProtocol = 'rtmp' | 'rtmps' | 'http-flv' | 'ws-flv';

/** Anything that plays a live stream: an RTMP player session, an HTTP-FLV or WS-FLV response. */
export interface StreamReader {
  readonly id: number;
  readonly protocol: ReaderProtocol;
  readonly remoteAddress: string;
  readonly format: PacketFormat;
  readonly queue: OutputQueue;
  /** A publisher started (or came back): announce it before its headers and media arrive. */
  publishStarted(stream: LiveStream): void;
  /** The publisher left; the reader decides whether to wait for its return or to end. */
  publishEnded(stream: LiveStream): void;
}
