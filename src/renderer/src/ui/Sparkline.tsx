// A small inline SVG line of recent values (bitrate, viewers), with its reading in words for screen readers.

interface SparklineProps {
  values: number[];
  /** What the line shows, e.g. "Bitrate, last 5 minutes". */
  label: string;
  format: (value: number) => string;
  width?: number;
  height?: number;
}

/** The polyline's points, scaled so the peak touches the top; a single value draws a flat line. */
export function sparklinePoints(values: number[], width: number, height: number): string {
  if (values.length === 0) return '';
  const peak = Math.max(...values, 1);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const y = (v: number) => (height - 1 - (Math.max(0, v) / peak) * (height - 2)).toFixed(1);
  const series = values.length > 1 ? values : [values[0], values[0]];
  return series.map((v, i) => `${(i * step).toFixed(1)},${y(v)}`).join(' ');
}

export function Sparkline({ values, label, format, width = 120, height = 28 }: SparklineProps) {
  const now = values.at(-1);
  const peak = values.length > 0 ? Math.max(...values) : undefined;
  const reading = now === undefined || peak === undefined ? `${label}: no data yet` : `${label}: now ${format(now)}, peak ${format(peak)}`;
  return (
    <svg className="sparkline" role="img" aria-label={reading} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <title>{reading}</title>
      {values.length > 0 && <polyline points={sparklinePoints(values, width, height)} fill="none" stroke="currentColor" strokeWidth="1.5" />}
    </svg>
  );
}
