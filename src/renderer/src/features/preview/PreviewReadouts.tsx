// The measured numbers over the preview video, each under a stable accessible name: Latency, Bitrate, Frames per second, Frames decoded, Dropped frames.
import { formatBitrate } from '../../ui/format';
import type { PreviewReadout } from './usePreviewPlayer';

const dash = (value: number | null, format: (value: number) => string): string => (value === null ? '–' : format(value));

export function PreviewReadouts({ readout }: { readout: PreviewReadout }) {
  const rows: [string, string][] = [
    ['Latency', dash(readout.latencySeconds, (seconds) => `${seconds.toFixed(2)} s`)],
    ['Bitrate', dash(readout.bitrateKbps, formatBitrate)],
    ['Frames per second', dash(readout.fps, (fps) => `${fps.toFixed(1)} fps`)],
    ['Frames decoded', String(readout.decodedFrames)],
    ['Dropped frames', String(readout.droppedFrames)],
  ];
  return (
    <dl className="readouts preview-readouts">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd aria-label={label}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
