// Checks that the figures in docs/benchmarks.md reproduce: runs the benchmarks again into a scratch
// directory (`bench/run.mjs --results <dir>`, so nothing stored is touched), then compares each new
// median with the spread recorded in bench/results/. A figure reproduces when its new median lies
// within the lowest and highest run recorded, for its value and for its comparison with its floor.
// Arguments as for `bench/run.mjs` (names pick benchmarks; `--runs N`); `--results <dir>` compares a
// run made earlier instead of measuring again. Exits 1 when a figure falls outside its spread.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatComparison, formatValue, readResults, statistics } from './report.mjs';

const argv = process.argv.slice(2);
const resultsAt = argv.indexOf('--results');
const only = argv.filter(
  (argument, index) => !argument.startsWith('--') && argv[index - 1] !== '--runs' && argv[index - 1] !== '--results',
);
let fresh;
if (resultsAt === -1) {
  fresh = mkdtempSync(join(tmpdir(), 'ngb-bench-reproduce-'));
  const run = fileURLToPath(new URL('./run.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [run, ...argv, '--results', fresh], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
} else {
  fresh = argv[resultsAt + 1];
}

const recorded = readResults();
const measured = readResults(fresh);
const rows = [];
let outside = 0;
let withFloor = 0;
let comparedWithin = 0;
const within = (value, values) => {
  const { min, max } = statistics(values);
  return value >= min && value <= max;
};
for (const [bench, result] of recorded) {
  if (only.length > 0 && !only.some((name) => bench.includes(name))) continue;
  const again = measured.get(bench);
  for (const entry of result.figures) {
    const twin = again?.figures.find((candidate) => candidate.what === entry.what);
    if (twin === undefined) {
      rows.push([entry.what, '—', 'not measured again', 'no']);
      outside += 1;
      continue;
    }
    const checks = [[entry.values, twin.values, (value) => formatValue(value, entry.unit)]];
    const compared = entry.comparisons !== undefined && twin.comparisons !== undefined;
    if (compared) {
      checks.push([entry.comparisons, twin.comparisons, (value) => formatComparison(value, entry.compare, entry.unit)]);
    }
    const parts = checks.map(([before, now, format]) => {
      const { median, min, max } = statistics(before);
      const newMedian = statistics(now).median;
      const ok = within(newMedian, before);
      return { ok, before: `${format(median)} (${format(min)} – ${format(max)})`, now: format(newMedian) };
    });
    const ok = parts.every((part) => part.ok);
    if (!ok) outside += 1;
    // Where a floor was measured in the same runs, the comparison with it is the figure (DESIGN §9): shown
    // apart, with whether the floor itself came out within its own recorded spread (if not, the machine moved).
    const floorWithin = compared && twin.floor ? within(statistics(twin.floor.values).median, entry.floor.values) : undefined;
    if (compared) {
      withFloor += 1;
      if (parts[1].ok) comparedWithin += 1;
    }
    rows.push([
      entry.what,
      parts.map((part) => part.before).join('; '),
      parts.map((part) => part.now).join('; '),
      ok ? 'yes' : 'no',
      compared ? (parts[1].ok ? 'yes' : 'no') : '—',
      floorWithin === undefined ? '—' : floorWithin ? 'yes' : 'no',
    ]);
  }
}
console.log(
  '\n| Figure | Recorded median (min – max) | New median | Within | Against the floor within | Floor within |\n|---|---|---|---|---|---|',
);
for (const row of rows) console.log(`| ${row.join(' | ')} |`);
console.log(`\n${rows.length - outside} of ${rows.length} figures within their recorded spread (new run: ${fresh})`);
console.log(`${comparedWithin} of ${withFloor} figures measured against a floor within their recorded spread against it`);
process.exit(outside === 0 ? 0 : 1);
