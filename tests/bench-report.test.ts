import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Figure {
  what: string;
  unit: string;
  values: number[];
  load: number[];
  target?: string;
  floor?: { what: string; values: number[] };
  compare?: 'percent' | 'times' | 'over';
  comparisons?: number[];
}
interface ReportModule {
  statistics(values: number[]): { median: number; min: number; max: number; q1: number; q3: number; n: number };
  figure(input: Omit<Figure, 'comparisons'>): Figure;
  renderResult(result: Record<string, unknown>): string;
  reportText(directory?: string): string;
  repeatRuns(
    options: { runs: number; state?: string },
    body: (index: number) => Promise<Record<string, unknown>>,
    log?: (line: string) => void,
  ): Promise<Record<string, unknown[]>>;
}

interface PlotModule {
  distributionPoints(samples: number[], limit?: number): [number, number][];
  renderPlotSvg(plot: {
    title: string;
    x: { label: string; maximum?: number };
    y: { label: string; maximum?: number };
    series: { label: string; points: [number, number][] }[];
  }): string;
}

const root = fileURLToPath(new URL('..', import.meta.url));
let report: ReportModule;
let scratch: string;
beforeAll(async () => {
  report = await import(pathToFileURL(join(root, 'bench/report.mjs')).href);
  scratch = mkdtempSync(join(tmpdir(), 'ngb-bench-report-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ingest = () =>
  report.figure({
    what: 'Ingest, one `receive` at a time',
    unit: '/s',
    values: [2_676, 2_500, 2_900, 2_700, 2_600],
    load: [0.4, 0.5, 0.3, 0.6, 0.4],
    floor: { what: 'raw better-sqlite3', values: [5_000, 5_000, 5_800, 5_400, 5_200] },
    compare: 'percent',
    target: '≥ 50 % of the floor',
  });

describe('benchmark report', () => {
  it('compares each run with the floor measured in that same run', () => {
    expect(ingest().comparisons).toEqual([2_676 / 5_000, 0.5, 0.5, 0.5, 0.5]);
    expect(report.statistics([3, 1, 2, 5, 4])).toMatchObject({ median: 3, min: 1, max: 5, q1: 2, q3: 4, n: 5 });
  });

  it('shows each figure as a median with its spread, the floor, the ratio and the load average', () => {
    const text = report.renderResult({
      bench: 'gateway',
      script: 'bench/gateway.bench.mjs',
      date: '2026-12-01T00:00:00.000Z',
      runs: 5,
      quick: false,
      machine: { cores: 2, cpu: 'CPU', memoryGiB: 24, node: 'v20.20.2' },
      setup: 'Setup.',
      figures: [ingest()],
    });
    expect(text).toContain(
      '| Ingest, one `receive` at a time | 2,676 /s (2,500 /s – 2,900 /s) | raw better-sqlite3: 5,200 /s (5,000 /s – 5,800 /s) | 50 % (50 % – 54 %) | 0.40 (0.30 – 0.60) | ≥ 50 % of the floor |',
    );
    expect(text).toContain('5 runs, each figure the median over the runs');
  });

  it('renders docs/benchmarks.md from the stored results only, saying what is not measured yet', () => {
    const empty = report.reportText(join(scratch, 'none'));
    expect(empty).toContain('## Gateway\n\nNot measured yet with the current scripts');
    writeFileSync(
      join(scratch, 'gateway.json'),
      JSON.stringify({
        bench: 'gateway',
        script: 'bench/gateway.bench.mjs',
        date: '2026-12-01T00:00:00.000Z',
        runs: 5,
        quick: false,
        machine: { cores: 2, cpu: 'CPU', memoryGiB: 24, node: 'v20.20.2' },
        setup: 'Setup.',
        figures: [ingest()],
      }),
    );
    const text = report.reportText(scratch);
    expect(text).toContain('2,676 /s (2,500 /s – 2,900 /s)');
    expect(text).toContain('## Sandbox\n\nNot measured yet');
  });

  it('draws each plot of a result inside its axes, links it from the report, and keeps the SVG well formed', async () => {
    const plot: PlotModule = await import(pathToFileURL(join(root, 'bench/plot.mjs')).href);
    const samples = Array.from({ length: 1_000 }, (_, index) => 1 + (index % 97) / 10);
    const points = plot.distributionPoints(samples, 50);
    expect(points).toHaveLength(50);
    expect(points[0]).toEqual([1, 1 / 1_000]);
    expect(points.at(-1)).toEqual([10.6, 1]);
    const svg = plot.renderPlotSvg({
      title: 'Latency <p50 & p99>',
      x: { label: 'ms' },
      y: { label: 'share', maximum: 1 },
      series: [{ label: 'run "1"', points }],
    });
    expect(svg).toContain('Latency &#60;p50 &#38; p99&#62;');
    // Named for screen readers (biome's accessibility rule lints the committed plots too).
    expect(svg).toContain('<title>Latency &#60;p50 &#38; p99&#62;</title>');
    expect(svg).toContain('run &#34;1&#34;');
    // No raw markup character inside a label: only character references.
    expect(svg).not.toMatch(/<text[^>]*>[^<]*(?:[>"]|&(?!#\d+;))[^<]*<\/text>/);
    // Every point of the line lies in the plot area (64..696 × 36..312): the axes end past the largest value.
    const path = /<path d="([^"]+)"/.exec(svg)?.[1] ?? '';
    const coordinates = [...path.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map(([, x, y]) => [Number(x), Number(y)]);
    expect(coordinates).toHaveLength(50);
    for (const [x, y] of coordinates) {
      expect(x).toBeGreaterThanOrEqual(64);
      expect(x).toBeLessThan(696);
      expect(y).toBeGreaterThanOrEqual(36);
      expect(y).toBeLessThanOrEqual(312);
    }
    expect(() => plot.renderPlotSvg({ title: 'Empty', x: { label: 'x' }, y: { label: 'y' }, series: [] })).toThrow(/no points/);
    const text = report.renderResult({
      bench: 'gateway',
      script: 'bench/gateway.bench.mjs',
      date: '2026-12-01T00:00:00.000Z',
      runs: 1,
      quick: false,
      machine: { cores: 2, cpu: 'CPU', memoryGiB: 24, node: 'v20.20.2' },
      setup: 'Setup.',
      figures: [ingest()],
      plots: [{ name: 'overhead', title: 'Overhead', x: { label: 'ms' }, y: { label: 'share' }, series: [] }],
    });
    expect(text).toContain('![Overhead](images/bench-gateway-overhead.svg)');
  });

  it('keeps the runs of a benchmark across invocations, so that bench/run.mjs can take the runs of every benchmark in turn', async () => {
    const state = join(scratch, 'runs.json');
    const body = async (index: number) => ({ value: index * 10, samples: [index, index + 0.5] });
    const quiet = () => {};
    const first = await report.repeatRuns({ runs: 2, state }, body, quiet);
    expect(first.value).toEqual([0, 10]);
    const lines: string[] = [];
    const second = await report.repeatRuns({ runs: 1, state }, body, (line) => lines.push(line));
    // The third run is numbered as such, and the figures are made from all three.
    expect(lines).toEqual([expect.stringMatching(/^run 3\/3 \(load /)]);
    expect(second.value).toEqual([0, 10, 20]);
    expect(second.samples).toEqual([
      [0, 0.5],
      [1, 1.5],
      [2, 2.5],
    ]);
    expect(second.load).toHaveLength(3);
    // Without a state, nothing is read nor kept.
    expect((await report.repeatRuns({ runs: 1 }, body, quiet)).value).toEqual([0]);
    // A file that is not a record of runs (lists of different lengths) is refused, not extended.
    writeFileSync(state, JSON.stringify({ load: [0.1, 0.2], value: [1] }));
    await expect(report.repeatRuns({ runs: 1, state }, body, quiet)).rejects.toThrow(/not a record of earlier runs/);
    expect(JSON.parse(readFileSync(state, 'utf8'))).toEqual({ load: [0.1, 0.2], value: [1] });
  });

  it('docs/benchmarks.md holds exactly what the generator makes of bench/results/: no figure written by hand', () => {
    expect(readFileSync(join(root, 'docs/benchmarks.md'), 'utf8')).toBe(report.reportText(join(root, 'bench/results')));
  });
});
