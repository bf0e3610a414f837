// Live streams and their recent history: server.history for the last minutes, extended by every server.stats event.
import { useEffect, useRef, useState } from 'react';
import { historySample, type HistorySample, type StatsSample } from '../../../../shared/ipc';
import { airlock } from '../../lib/airlock';
import { useEvent } from '../../ui/useEvent';

/** How far back the graphs reach. */
export const HISTORY_WINDOW_MS = 5 * 60_000;


export interface StreamSeries {
  bitrateKbps: number[];
  viewers: number[];
}

export interface LiveStats {
  /** The latest sample, or null before the first answer (or while the server is not running). */
  latest: StatsSample | null;
  samples: HistorySample[];
}

/** Keeps samples in time order, without duplicates, inside the window that ends at the newest one. */
export function mergeSamples(older: HistorySample[], newer: HistorySample[]): HistorySample[] {
  const byTime = new Map<number, HistorySample>();
  for (const sample of [...older, ...newer]) byTime.set(sample.at, sample);
  const sorted = [...byTime.values()].sort((a, b) => a.at - b.at);
  const newest = sorted.at(-1)?.at ?? 0;
  return sorted.filter((sample) => sample.at >= newest - HISTORY_WINDOW_MS);
}

/** One stream's values in every sample of the window; 0 where it was not live. */
export function seriesFor(samples: HistorySample[], path: string): StreamSeries {
  const points = samples.map((sample) => sample.streams.find((stream) => stream.path === path));
  return { bitrateKbps: points.map((p) => p?.bitrateKbps ?? 0), viewers: points.map((p) => p?.viewers ?? 0) };
}

/** The latest sample (asked once, then from events); `onSample` also sees each one, for the graphs. */
export function useStatsSample(onSample?: (sample: StatsSample) => void): StatsSample | null {
  const [latest, setLatest] = useState<StatsSample | null>(null);
  const take = useRef(onSample);
  useEffect(() => {
    take.current = onSample;
  });
  useEffect(() => {
    let current = true;
    airlock()
      .invoke('server.stats')
      .then((sample) => {
        if (!current) return;
        setLatest((known) => (known && known.at > sample.at ? known : sample));
        take.current?.(sample);
      })
      // A stopped server has no stats: there is no sample until the next event brings one.
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);
  useEvent('server.stats', (sample) => {
    setLatest(sample);
    take.current?.(sample);
  });
  return latest;
}

export function useLiveStats(): LiveStats {
  const [samples, setSamples] = useState<HistorySample[]>([]);
  const latest = useStatsSample((sample) => setSamples((known) => mergeSamples(known, [historySample(sample)])));
  useEffect(() => {
    let current = true;
    airlock()
      .invoke('server.history')
      .then((history) => current && setSamples((live) => mergeSamples(history.samples, live)))
      .catch(() => undefined);
    return () => {
      current = false;
    };
  }, []);
  return { latest, samples };
}
