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

  it('docs/benchmarks.md holds exactly what the generator makes of bench/results/: no figure written by hand', () => {
    expect(readFileSync(join(root, 'docs/benchmarks.md'), 'utf8')).toBe(report.reportText(join(root, 'bench/results')));
  });
});
