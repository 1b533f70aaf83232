// Runs every benchmark (bench/*.bench.mjs) against the built packages, then renders docs/benchmarks.md
// from their results in bench/results/. The runs are taken in turn: one run of every benchmark, then the
// next run of every benchmark, and so on (each benchmark keeps its runs so far in a scratch file), so the
// spread of every figure covers the same stretch of time, and whatever the machine did during it, rather
// than a few minutes of it. Arguments that are not options pick benchmarks by name
// (`node bench/run.mjs gateway`); `--runs N` is the number of runs of each (default 5); `--quick`,
// `--no-write` and `--results <dir>` go to every benchmark.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReport } from './report.mjs';

const directory = fileURLToPath(new URL('.', import.meta.url));
const argv = process.argv.slice(2);
const forwarded = [];
const only = [];
let runs = 5;
let results;
for (let index = 0; index < argv.length; index += 1) {
  const argument = argv[index];
  if (!argument.startsWith('--')) only.push(argument);
  else if (argument === '--runs') runs = Number(argv[++index]);
  else if (argument === '--results') results = argv[++index];
  else forwarded.push(argument);
}
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a whole number of at least 1 (got ${argv[argv.indexOf('--runs') + 1]})`);
  process.exit(2);
}
const write = !forwarded.includes('--no-write');
const scripts = readdirSync(directory)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => only.length === 0 || only.some((filter) => name.includes(filter)))
  .sort();
const scratch = mkdtempSync(join(tmpdir(), 'ngb-bench-runs-'));
const failed = new Set();
try {
  for (let run = 1; run <= runs; run += 1) {
    const last = run === runs;
    for (const script of scripts.filter((name) => !failed.has(name))) {
      console.log(`\n== ${script}: run ${run} of ${runs}`);
      // Only the last run of each stores its result (made from all its runs); the earlier ones print theirs.
      const output = last && write ? (results === undefined ? [] : ['--results', results]) : ['--no-write'];
      const state = join(scratch, `${script}.json`);
      const args = ['--expose-gc', join(directory, script), ...forwarded.filter((flag) => flag !== '--no-write')];
      const result = spawnSync(process.execPath, [...args, '--runs', '1', '--state', state, ...output], { stdio: 'inherit' });
      if (result.status !== 0) {
        console.error(`\n${script} failed in run ${run}: it is not run again and stores no result`);
        failed.add(script);
      }
    }
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
if (write && results === undefined) {
  renderReport();
  console.log('\nrendered docs/benchmarks.md from bench/results/');
}
process.exit(failed.size === 0 ? 0 : 1);
