// Plots of the benchmark results as standalone SVG: latency distributions (the share of samples at or
// under each latency) and memory over time. No dependency: the figures are lines on two linear axes.

const width = 720;
const height = 360;
const margin = { top: 36, right: 24, bottom: 48, left: 64 };
const colours = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];

const escapeXml = (text) => String(text).replace(/[<>&"']/g, (character) => `&#${character.codePointAt(0)};`);

/** A "nice" step (1, 2 or 5 × 10^k) giving about `count` ticks between 0 and `maximum`. */
function tickStep(maximum, count) {
  const raw = maximum / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

function ticks(maximum, count) {
  const step = tickStep(maximum, count);
  // Up to the first tick at or past the maximum, so no point is drawn outside the axes.
  const values = [0];
  while (values.at(-1) < maximum * (1 - 1e-9)) values.push(Number((values.length * step).toPrecision(12)));
  return values;
}

const label = (value) => (Math.abs(value) >= 1000 ? value.toLocaleString('en-US') : String(value));

/** At most `limit` of the points, evenly spaced, the first and last kept. */
export function thin(points, limit) {
  if (points.length <= limit) return points;
  const kept = [];
  for (let index = 0; index < limit; index += 1) kept.push(points[Math.round((index * (points.length - 1)) / (limit - 1))]);
  return kept;
}

/**
 * Points of a distribution: each sample sorted ascending against the share of samples at or under it,
 * thinned to at most `limit` points (the extremes kept) so a plot of many thousands of samples stays small.
 */
export function distributionPoints(samples, limit = 200) {
  const sorted = samples.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  return thin(
    sorted.map((value, index) => [value, (index + 1) / sorted.length]),
    limit,
  );
}

/**
 * One plot as SVG text. `plot`: `{ title, x: { label, maximum? }, y: { label, maximum? }, series: [{ label,
 * points: [[x, y], ...] }] }`; axes start at 0 and end at the largest point unless a maximum is given.
 */
export function renderPlotSvg(plot) {
  const series = plot.series.filter((entry) => entry.points.length > 0);
  if (series.length === 0) throw new Error(`plot "${plot.title}" has no points`);
  const all = series.flatMap((entry) => entry.points);
  const xMaximum = plot.x.maximum ?? Math.max(...all.map(([x]) => x));
  const yMaximum = plot.y.maximum ?? Math.max(...all.map(([, y]) => y));
  const xTicks = ticks(xMaximum > 0 ? xMaximum : 1, 6);
  const yTicks = ticks(yMaximum > 0 ? yMaximum : 1, 5);
  const xEnd = xTicks.at(-1);
  const yEnd = yTicks.at(-1);
  const innerWidth = width - margin.left - margin.right;
  const innerHeight = height - margin.top - margin.bottom;
  const px = (x) => margin.left + (Math.min(x, xEnd) / xEnd) * innerWidth;
  const py = (y) => margin.top + innerHeight - (Math.min(y, yEnd) / yEnd) * innerHeight;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`,
    // Named for screen readers and for a page that shows the file alone.
    `<title>${escapeXml(plot.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="14" font-weight="600">${escapeXml(plot.title)}</text>`,
  ];
  for (const value of xTicks) {
    const x = px(value).toFixed(1);
    parts.push(
      `<line x1="${x}" y1="${margin.top}" x2="${x}" y2="${margin.top + innerHeight}" stroke="#e5e7eb"/>`,
      `<text x="${x}" y="${margin.top + innerHeight + 16}" text-anchor="middle" fill="#374151">${label(value)}</text>`,
    );
  }
  for (const value of yTicks) {
    const y = py(value).toFixed(1);
    parts.push(
      `<line x1="${margin.left}" y1="${y}" x2="${margin.left + innerWidth}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${margin.left - 8}" y="${y}" dy="4" text-anchor="end" fill="#374151">${label(value)}</text>`,
    );
  }
  parts.push(
    `<rect x="${margin.left}" y="${margin.top}" width="${innerWidth}" height="${innerHeight}" fill="none" stroke="#9ca3af"/>`,
    `<text x="${margin.left + innerWidth / 2}" y="${height - 10}" text-anchor="middle" fill="#111827">${escapeXml(plot.x.label)}</text>`,
    `<text transform="translate(16 ${margin.top + innerHeight / 2}) rotate(-90)" text-anchor="middle" fill="#111827">${escapeXml(plot.y.label)}</text>`,
  );
  series.forEach((entry, index) => {
    const colour = colours[index % colours.length];
    const path = entry.points.map(([x, y], at) => `${at === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(y).toFixed(1)}`);
    parts.push(`<path d="${path.join('')}" fill="none" stroke="${colour}" stroke-width="1.8"/>`);
    // Bottom right: empty in a distribution (it rises to the left) and under a memory line.
    const legendY = margin.top + innerHeight - 10 - (series.length - 1 - index) * 16;
    parts.push(
      `<line x1="${margin.left + innerWidth - 170}" y1="${legendY - 4}" x2="${margin.left + innerWidth - 150}" y2="${legendY - 4}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${margin.left + innerWidth - 144}" y="${legendY}" fill="#111827">${escapeXml(entry.label)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
