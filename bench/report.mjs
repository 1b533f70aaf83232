// Shared by the benchmarks: repeated runs, medians with their spread, the load average, the results
// under bench/results/, and docs/benchmarks.md rendered from those results (`node bench/report.mjs`
// renders it again from the stored results without measuring anything).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderPlotSvg } from './plot.mjs';

const reportPath = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));
const defaultResultsDirectory = fileURLToPath(new URL('./results/', import.meta.url));
const imagesDirectory = fileURLToPath(new URL('../docs/images/', import.meta.url));

/** Where a result's plot is drawn, relative to docs/. */
const plotPath = (result, plot) => `images/bench-${result.bench}-${plot.name}.svg`;

/** The benchmarks docs/benchmarks.md has a section for, in order. */
const sections = [
  { bench: 'gateway', title: 'Gateway', script: 'bench/gateway.bench.mjs' },
  { bench: 'sandbox', title: 'Sandbox', script: 'bench/sandbox.bench.mjs' },
  { bench: 'cli', title: 'CLI', script: 'bench/cli-help.bench.mjs' },
  { bench: 'server', title: 'Server', script: 'bench/server.bench.mjs' },
  { bench: 'channels', title: 'Channels', script: 'bench/channels.bench.mjs' },
];

/**
 * Command-line options every benchmark takes: `--runs N` (default 5), `--quick` (small counts, to check
 * that a script works; its figures mean nothing), `--results <dir>` (default bench/results/),
 * `--no-write` (print only), `--state <file>` (the runs measured so far are read from this file and kept
 * in it: each invocation adds `--runs` more and reports on all of them, so `bench/run.mjs` can take the
 * runs of every benchmark in turn).
 */
export function benchOptions(argv = process.argv.slice(2)) {
  const flagValue = (flag) => {
    const index = argv.indexOf(flag);
    return index === -1 ? undefined : argv[index + 1];
  };
  const runs = Number(flagValue('--runs') ?? 5);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs must be a whole number of at least 1 (got ${flagValue('--runs')})`);
  return {
    runs,
    quick: argv.includes('--quick'),
    write: !argv.includes('--no-write'),
    resultsDirectory: flagValue('--results') ?? defaultResultsDirectory,
    state: flagValue('--state'),
  };
}

/** The q-th quantile (0..1) of values sorted ascending, by linear interpolation. */
function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

/** Median, quartiles and extremes of a list of numbers. */
export function statistics(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: quantile(sorted, 0.5),
    q1: quantile(sorted, 0.25),
    q3: quantile(sorted, 0.75),
    min: sorted[0],
    max: sorted.at(-1),
  };
}

/** A percentile (0..100) of the samples of one run, such as its p99 latency. */
export function percentile(values, p) {
  return quantile(
    [...values].sort((a, b) => a - b),
    p / 100,
  );
}

/** The 1-minute load average now: how busy the machine was while a run measured. */
export function loadAverage() {
  return os.loadavg()[0];
}

/** The machine a result came from. */
export function machine(extra) {
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown CPU',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    ...(extra === undefined ? {} : { extra }),
  };
}

/**
 * Runs `body(runIndex)` `options.runs` times, one after another, recording the load average at the start
 * of each run. `body` returns an object of values (numbers, or the samples a plot is drawn from) for that
 * run. With `options.state`, the runs stored there come first and the new ones are stored after them.
 * @returns per value name, the list of its values (one per run), and `load`
 */
export async function repeatRuns(options, body, log = console.log) {
  const collected = options.state !== undefined && existsSync(options.state) ? readState(options.state) : { load: [] };
  const before = collected.load.length;
  const total = before + options.runs;
  for (let index = before; index < total; index += 1) {
    const load = loadAverage();
    log(`run ${index + 1}/${total} (load ${load.toFixed(2)}) ...`);
    const values = await body(index);
    collected.load.push(load);
    for (const [name, value] of Object.entries(values)) {
      collected[name] ??= [];
      collected[name].push(value);
    }
  }
  if (options.state !== undefined) writeFileSync(options.state, JSON.stringify(collected));
  return collected;
}

function readState(path) {
  const state = JSON.parse(readFileSync(path, 'utf8'));
  const runs = state?.load?.length;
  const consistent =
    Array.isArray(state?.load) && Object.values(state).every((values) => Array.isArray(values) && values.length === runs);
  if (!consistent) throw new Error(`${path} is not a record of earlier runs (one list per value, all as long as \`load\`)`);
  return state;
}

/**
 * One figure of a result: its per-run values, and optionally the floor measured in the same runs with
 * the per-run comparison (`percent` of the floor for rates, `times` or `over` the floor for costs).
 */
export function figure({ what, unit, values, load, target, floor, compare, checks }) {
  const entry = { what, unit, values, load, target };
  if (floor !== undefined) {
    entry.floor = floor;
    entry.compare = compare;
    entry.comparisons = values.map((value, index) => {
      const base = floor.values[index];
      return compare === 'over' ? value - base : value / base;
    });
  }
  if (checks !== undefined) entry.checks = checks;
  return entry;
}

/** Writes one benchmark's result as `<dir>/<bench>.json`. */
export function writeResult(directory, result) {
  mkdirSync(directory, { recursive: true });
  const path = join(directory, `${result.bench}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

const integer = (value) => Math.round(value).toLocaleString('en-US');

/** Formats milliseconds with sensible precision. */
export function ms(value) {
  if (value < 1) return `${(value * 1000).toFixed(0)} µs`;
  if (value < 100) return `${value.toFixed(2)} ms`;
  return value < 1000 ? `${value.toFixed(0)} ms` : `${(value / 1000).toFixed(2)} s`;
}

export function formatValue(value, unit) {
  if (unit === 'ms') return ms(value);
  if (unit === '/s') return `${integer(value)} /s`;
  if (unit === 'MB') return `${value.toFixed(1)} MB`;
  return `${value} ${unit}`;
}

export function formatComparison(value, compare, unit) {
  if (compare === 'percent') return `${(value * 100).toFixed(0)} %`;
  if (compare === 'times') return `${value.toFixed(2)}×`;
  return `${value >= 0 ? '+' : '−'}${formatValue(Math.abs(value), unit)}`;
}

function spread(values, format) {
  const summary = statistics(values);
  return values.length === 1
    ? format(summary.median)
    : `${format(summary.median)} (${format(summary.min)} – ${format(summary.max)})`;
}

/** The markdown table of one result. */
export function renderResult(result) {
  const rows = result.figures.map((entry) => {
    const value = spread(entry.values, (number) => formatValue(number, entry.unit));
    const checks = entry.checks === undefined ? '' : `; ${entry.checks.passed} of ${entry.checks.runs} runs ${entry.checks.what}`;
    const floor =
      entry.floor === undefined ? '' : `${entry.floor.what}: ${spread(entry.floor.values, (n) => formatValue(n, entry.unit))}`;
    const against =
      entry.comparisons === undefined
        ? ''
        : spread(entry.comparisons, (number) => formatComparison(number, entry.compare, entry.unit));
    const load = spread(entry.load, (number) => number.toFixed(2));
    return `| ${entry.what} | ${value}${checks} | ${floor} | ${against} | ${load} | ${entry.target ?? ''} |`;
  });
  const { cores, cpu, memoryGiB, node, extra } = result.machine;
  return [
    `Measured ${result.date.slice(0, 10)} by \`node ${result.script}\`${result.quick ? ' **with --quick: a check of the script, not a measurement**' : ''}: ` +
      `${result.runs} run${result.runs > 1 ? 's' : ''}, each figure the median over the runs with the lowest and highest run in brackets. ` +
      `Machine: ${cores} cores (${cpu}), ${memoryGiB} GiB, Node ${node}${extra ? `; ${extra}` : ''}.`,
    '',
    result.setup,
    '',
    '| What | Median (min – max) | Floor, measured in the same runs | Against the floor | Load average, 1 min | Target |',
    '|---|---|---|---|---|---|',
    ...rows,
    ...(result.notes ?? []).flatMap((note) => ['', note]),
    ...(result.plots ?? []).flatMap((plot) => ['', `![${plot.title}](${plotPath(result, plot)})`]),
  ].join('\n');
}

export function readResults(directory = defaultResultsDirectory) {
  const stored = new Map();
  try {
    for (const name of readdirSync(directory).filter((file) => file.endsWith('.json'))) {
      const result = JSON.parse(readFileSync(join(directory, name), 'utf8'));
      stored.set(result.bench, result);
    }
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  return stored;
}

/** Draws the plots of the stored results under `docs/images/`, where the report links them. */
export function renderPlots(directory = defaultResultsDirectory, output = imagesDirectory) {
  const written = [];
  for (const result of readResults(directory).values()) {
    for (const plot of result.plots ?? []) {
      const path = join(output, plotPath(result, plot).slice('images/'.length));
      mkdirSync(output, { recursive: true });
      writeFileSync(path, renderPlotSvg(plot));
      written.push(path);
    }
  }
  return written;
}

/** The text of docs/benchmarks.md from the stored results; a benchmark without one says it is not measured. */
export function reportText(directory = defaultResultsDirectory) {
  const stored = readResults(directory);
  const parts = [
    '# Benchmarks',
    '',
    'Generated by `pnpm bench` (`bench/run.mjs`: every `bench/*.bench.mjs`, then this page from their results in',
    '`bench/results/`). The runs are taken in turn, one of each benchmark and then the next, so every spread covers',
    'the whole time the benchmarks ran. Machines here are shared and noisy, so every figure is the median of several runs with',
    'the lowest and highest run beside it, each floor is measured in the same runs and compared run by run, and the',
    'load average of each run is recorded beside the figure. Run it on a quiet machine; `node bench/report.mjs`',
    'renders this page again from the stored results, and `pnpm bench:reproduce` measures again and checks that',
    'each new median lies within the spread recorded here.',
  ];
  for (const section of sections) {
    const result = stored.get(section.bench);
    parts.push(
      '',
      `## ${section.title}`,
      '',
      result === undefined
        ? `Not measured yet with the current scripts: run \`pnpm bench\` (or \`node ${section.script}\`) on a quiet machine.`
        : renderResult(result),
    );
  }
  return `${parts.join('\n')}\n`;
}

/** Writes docs/benchmarks.md from the results in bench/results/. */
export function renderReport() {
  writeFileSync(reportPath, reportText());
  renderPlots();
}

/**
 * Ends a benchmark: prints its table, and unless `--no-write` stores the result and renders
 * docs/benchmarks.md from every stored result.
 */
export function finish(options, result) {
  const runs = result.figures[0]?.values.length ?? options.runs;
  const complete = { ...result, date: new Date().toISOString(), runs, quick: options.quick };
  console.log(`\n${renderResult(complete)}\n`);
  if (!options.write) return complete;
  console.log(`results: ${writeResult(options.resultsDirectory, complete)}`);
  if (options.resultsDirectory === defaultResultsDirectory) renderReport();
  return complete;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  renderReport();
  console.log(`rendered ${reportPath}`);
}
