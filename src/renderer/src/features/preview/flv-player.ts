// The mpegts.js glue: one low-latency live FLV player on a <video>, its end reported once, and samples of what it shows.
import mpegts from 'mpegts.js';
import { kibPerSecondToKbps, type PlaybackSample } from './preview-policy';

export interface FlvPlaybackOptions {
  /** Latency chasing: behind live by more than this, the player skips ahead. */
  maxLatencySeconds: number;
  /** The connection ended or failed (the publisher left, the server refused): called at most once. */
  onEnd: (reason: string) => void;
  onBitrate: (kbps: number) => void;
}

export interface FlvPlayback {
  destroy(): void;
}

/** Plays a WS-FLV (ws://) or HTTP-FLV (http://) URL on `video`; mpegts.js picks the loader from the URL. */
export function playFlv(video: HTMLVideoElement, url: string, options: FlvPlaybackOptions): FlvPlayback {
  if (!mpegts.isSupported()) throw new Error('This window cannot play FLV (no Media Source Extensions).');
  mpegts.LoggingControl.applyConfig({ enableDebug: false, enableVerbose: false, enableInfo: false });
  const player = mpegts.createPlayer(
    { type: 'flv', isLive: true, url },
    {
      isLive: true,
      enableStashBuffer: false,
      lazyLoad: false,
      // Far behind (a join lands up to a GOP back): jump ahead. A little behind: play faster until near the live edge.
      liveBufferLatencyChasing: true,
      liveBufferLatencyMaxLatency: options.maxLatencySeconds,
      liveBufferLatencyMinRemain: Math.min(0.5, options.maxLatencySeconds / 2),
      liveSync: true,
      liveSyncMaxLatency: Math.min(0.6, options.maxLatencySeconds / 2),
      liveSyncTargetLatency: Math.min(0.3, options.maxLatencySeconds / 4),
      liveSyncPlaybackRate: 1.25,
      autoCleanupSourceBuffer: true,
    },
  );
  let ended = false;
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    options.onEnd(reason);
  };
  player.on(mpegts.Events.ERROR, (type: string, detail: string) => end(`${type}: ${detail}`));
  player.on(mpegts.Events.LOADING_COMPLETE, () => end('the stream ended'));
  player.on(mpegts.Events.STATISTICS_INFO, (info: { speed?: number }) => info.speed !== undefined && options.onBitrate(kibPerSecondToKbps(info.speed)));
  player.attachMediaElement(video);
  player.load();
  // Autoplay may be refused until the user interacts; the watchdog then sees no progress and reconnects.
  void Promise.resolve(player.play()).catch(() => undefined);
  return {
    destroy: () => {
      ended = true;
      player.pause();
      player.unload();
      player.detachMediaElement();
      player.destroy();
    },
  };
}

/** What the <video> shows now: its clock, buffer end and frame counters. */
export function samplePlayback(video: HTMLVideoElement, at: number): PlaybackSample {
  const quality = typeof video.getVideoPlaybackQuality === 'function' ? video.getVideoPlaybackQuality() : null;
  const buffered = video.buffered;
  return {
    at,
    currentTime: video.currentTime,
    bufferedEnd: buffered.length > 0 ? buffered.end(buffered.length - 1) : null,
    decodedFrames: quality?.totalVideoFrames ?? 0,
    droppedFrames: quality?.droppedVideoFrames ?? 0,
  };
}
