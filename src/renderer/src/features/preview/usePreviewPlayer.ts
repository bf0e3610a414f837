// Keeps one stream playing in the preview: a fresh signed URL per connection, a watchdog on the frames, reconnect with backoff.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { StudioErrorBody } from '../../../../shared/ipc';
import type { PreviewSettings } from '../../../../shared/settings';
import { airlock } from '../../lib/airlock';
import { toErrorBody } from '../../ui/errors';
import { playFlv, samplePlayback, type FlvPlayback } from './flv-player';
import { framesPerSecond, latencySeconds, retryDelayMs, startWatch, watchPlayback, type PlaybackSample, type PlaybackWatch } from './preview-policy';

const SAMPLE_MS = 500;

export interface PreviewTarget {
  app: string;
  stream: string;
}

/** connecting: first try; playing: frames advance; waiting: the stream ended or never started, a retry is scheduled. */
export type PreviewPhase = 'idle' | 'connecting' | 'playing' | 'waiting';

export interface PreviewReadout {
  latencySeconds: number | null;
  bitrateKbps: number | null;
  fps: number | null;
  decodedFrames: number;
  droppedFrames: number;
}

export interface PreviewPlayer {
  phase: PreviewPhase;
  readout: PreviewReadout;
  /** Why the last connection could not be made (preview.url refused, no MSE); cleared once playing. */
  problem: StudioErrorBody | null;
  /** Reconnects now instead of after the backoff: the stream is back. */
  retryNow: () => void;
}

const EMPTY_READOUT: PreviewReadout = { latencySeconds: null, bitrateKbps: null, fps: null, decodedFrames: 0, droppedFrames: 0 };

export function usePreviewPlayer(video: RefObject<HTMLVideoElement | null>, target: PreviewTarget | null, preview: PreviewSettings): PreviewPlayer {
  const [phase, setPhase] = useState<PreviewPhase>('idle');
  const [readout, setReadout] = useState<PreviewReadout>(EMPTY_READOUT);
  const [problem, setProblem] = useState<StudioErrorBody | null>(null);
  const kick = useRef<() => void>(() => undefined);
  const app = target?.app;
  const stream = target?.stream;
  const { transport, maxLatencySeconds } = preview;

  useEffect(() => {
    const element = video.current;
    setReadout(EMPTY_READOUT);
    setProblem(null);
    if (app === undefined || stream === undefined || element === null) {
      setPhase('idle');
      return;
    }
    let disposed = false;
    /** Each connection's number: callbacks from an older one are ignored. */
    let connection = 0;
    let attempt = 0;
    let playback: FlvPlayback | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let sampler: ReturnType<typeof setInterval> | undefined;

    const hangUp = () => {
      connection += 1;
      clearInterval(sampler);
      clearTimeout(retryTimer);
      playback?.destroy();
      playback = null;
    };

    const retryLater = () => {
      hangUp();
      setPhase('waiting');
      setReadout(EMPTY_READOUT);
      retryTimer = setTimeout(() => void connect(), retryDelayMs(attempt));
      attempt += 1;
    };

    const connect = async () => {
      hangUp();
      const mine = connection;
      setPhase((current) => (current === 'idle' || current === 'connecting' ? 'connecting' : 'waiting'));
      try {
        // Signed and short-lived: every connection asks for a fresh one.
        const { url } = await airlock().invoke('preview.url', { app, stream, transport });
        if (disposed || mine !== connection) return;
        let bitrateKbps: number | null = null;
        playback = playFlv(element, url, {
          maxLatencySeconds,
          onEnd: () => mine === connection && retryLater(),
          onBitrate: (kbps) => (bitrateKbps = kbps),
        });
        let watch: PlaybackWatch = startWatch(Date.now());
        let previous: PlaybackSample | null = null;
        sampler = setInterval(() => {
          const sample = samplePlayback(element, Date.now());
          const judged = watchPlayback(watch, sample);
          watch = judged.watch;
          if (judged.verdict === 'stalled') return retryLater();
          if (judged.verdict === 'playing') {
            attempt = 0;
            setPhase('playing');
            setProblem(null);
          }
          setReadout({ latencySeconds: latencySeconds(sample), bitrateKbps, fps: framesPerSecond(previous, sample), decodedFrames: sample.decodedFrames, droppedFrames: sample.droppedFrames });
          previous = sample;
        }, SAMPLE_MS);
      } catch (error) {
        if (disposed || mine !== connection) return;
        setProblem(toErrorBody(error));
        retryLater();
      }
    };

    kick.current = () => {
      if (!disposed && playback === null) {
        attempt = 0;
        void connect();
      }
    };
    setPhase('connecting');
    void connect();
    return () => {
      disposed = true;
      kick.current = () => undefined;
      hangUp();
    };
  }, [video, app, stream, transport, maxLatencySeconds]);

  const retryNow = useCallback(() => kick.current(), []);
  return { phase, readout, problem, retryNow };
}
