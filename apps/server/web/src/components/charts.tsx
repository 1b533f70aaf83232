import { clockMinute } from '../format';

/** One point of a time series. */
export interface Point {
  at: number;
  value: number;
}

const width = 320;
const height = 96;
const pad = 4;

function scale(points: Point[]) {
  const max = Math.max(1, ...points.map((point) => point.value));
  const first = points[0]?.at ?? 0;
  const last = points.at(-1)?.at ?? first + 1;
  const span = Math.max(1, last - first);
  return {
    max,
    x: (at: number) => pad + ((at - first) / span) * (width - 2 * pad),
    y: (value: number) => height - pad - (value / max) * (height - 2 * pad),
  };
}

/** Bars over time (one per minute), with the largest value as the scale's label. */
export function BarChart(props: { points: Point[]; label: string; unit?: string }) {
  const { points } = props;
  const max = Math.max(1, ...points.map((point) => point.value));
  const slot = (width - 2 * pad) / Math.max(points.length, 1);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.label} preserveAspectRatio="none">
        <line class="chart-grid" x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} />
        <line class="chart-grid" x1={pad} x2={width - pad} y1={pad} y2={pad} />
        {points.map((point, index) => {
          const barHeight = (point.value / max) * (height - 2 * pad);
          return (
            <rect
              key={point.at}
              class="chart-bar"
              x={pad + index * slot + slot * 0.15}
              width={Math.max(1, slot * 0.7)}
              y={height - pad - barHeight}
              height={Math.max(point.value > 0 ? 1.5 : 0, barHeight)}
              rx={1.5}
            >
              <title>{`${clockMinute(point.at)}: ${point.value}${props.unit ?? ''}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption>
        <span>{props.label}</span>
        <span class="muted">max {Math.round(max)}</span>
      </figcaption>
    </figure>
  );
}

/** A filled line over time. */
export function AreaChart(props: { points: Point[]; label: string; format?: (value: number) => string }) {
  const { points } = props;
  const format = props.format ?? String;
  if (points.length === 0) return <figure class="chart chart-empty">No data yet</figure>;
  const { x, y, max } = scale(points.length === 1 ? [{ at: points[0]!.at - 60_000, value: 0 }, ...points] : points);
  const line = points
    .map((point, index) => `${index === 0 ? 'M' : 'L'}${x(point.at).toFixed(1)},${y(point.value).toFixed(1)}`)
    .join(' ');
  const area = `${line} L${x(points.at(-1)!.at).toFixed(1)},${height - pad} L${x(points[0]!.at).toFixed(1)},${height - pad} Z`;
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.label} preserveAspectRatio="none">
        <line class="chart-grid" x1={pad} x2={width - pad} y1={height - pad} y2={height - pad} />
        <path class="chart-area" d={area} />
        <path class="chart-line" d={line} />
      </svg>
      <figcaption>
        <span>{props.label}</span>
        <span class="muted">max {format(max)}</span>
      </figcaption>
    </figure>
  );
}

/** Horizontal bars comparing a few named values (spend per agent). */
export function ShareBars(props: { rows: Array<{ label: string; value: number; text: string }> }) {
  const max = Math.max(1e-9, ...props.rows.map((row) => row.value));
  return (
    <ul class="share-bars">
      {props.rows.map((row) => (
        <li key={row.label}>
          <span class="share-label">{row.label}</span>
          <svg viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true">
            <rect class="share-track" width="100" height="8" rx="4" />
            <rect class="share-fill" width={Math.max(2, (row.value / max) * 100)} height="8" rx="4" />
          </svg>
          <span class="share-value">{row.text}</span>
        </li>
      ))}
    </ul>
  );
}

/** Buckets timed values into one point per minute over the last `minutes` minutes, ending now. */
export function perMinute(samples: Array<{ at: number; value: number }>, minutes: number, now = Date.now()): Point[] {
  const end = Math.floor(now / 60_000) * 60_000;
  const start = end - (minutes - 1) * 60_000;
  const buckets = new Map<number, number>();
  for (let at = start; at <= end; at += 60_000) buckets.set(at, 0);
  for (const sample of samples) {
    const bucket = Math.floor(sample.at / 60_000) * 60_000;
    if (buckets.has(bucket)) buckets.set(bucket, (buckets.get(bucket) ?? 0) + sample.value);
  }
  return [...buckets].map(([at, value]) => ({ at, value }));
}
