// Helpers shared by the benchmarks: statistics and the docs/benchmarks.md section writer.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const reportPath = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

/** Sorted copy, median, percentiles and spread of a list of numbers. */
export function summarize(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction) => sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))];
  return { count: sorted.length, min: sorted[0], p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted.at(-1) };
}

/** Formats milliseconds with sensible precision. */
export function ms(value) {
  return value < 1 ? `${(value * 1000).toFixed(0)} µs` : value < 100 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`;
}

/** One line describing the machine the numbers came from. */
export function machine() {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/**
 * Replaces (or appends) the section `## <title>` of docs/benchmarks.md with `body`.
 */
export function writeSection(title, body) {
  const header =
    '# Benchmarks\n\nMeasured with `pnpm bench` (after `pnpm build`). Each section is rewritten by its benchmark; numbers are from one run on the machine named in the section.\n';
  let text = existsSync(reportPath) ? readFileSync(reportPath, 'utf8') : header;
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trim()}\n`;
  const start = text.indexOf(`${heading}\n`);
  if (start === -1) {
    text = `${text.trimEnd()}\n\n${section}`;
  } else {
    const next = text.indexOf('\n## ', start + heading.length);
    text = `${text.slice(0, start)}${section}${next === -1 ? '' : text.slice(next)}`;
  }
  writeFileSync(reportPath, text.endsWith('\n') ? text : `${text}\n`);
}
