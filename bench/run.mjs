// Runs every benchmark (bench/*.bench.mjs) one after another against the built packages, then renders
// docs/benchmarks.md from their results in bench/results/. Arguments that are not options pick
// benchmarks by name (`node bench/run.mjs gateway`); options (`--runs 7`, `--quick`, `--no-write`,
// `--results <dir>`) go to every benchmark.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderReport } from './report.mjs';

const directory = fileURLToPath(new URL('.', import.meta.url));
const argv = process.argv.slice(2);
const forwarded = [];
const only = [];
for (let index = 0; index < argv.length; index += 1) {
  const argument = argv[index];
  if (!argument.startsWith('--')) only.push(argument);
  else if (argument === '--runs' || argument === '--results') forwarded.push(argument, argv[++index]);
  else forwarded.push(argument);
}
const scripts = readdirSync(directory)
  .filter((name) => name.endsWith('.bench.mjs'))
  .filter((name) => only.length === 0 || only.some((filter) => name.includes(filter)))
  .sort();
let failed = 0;
for (const script of scripts) {
  console.log(`\n== ${script}`);
  const result = spawnSync(process.execPath, ['--expose-gc', `${directory}${script}`, ...forwarded], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
if (!forwarded.includes('--no-write') && !forwarded.includes('--results')) {
  renderReport();
  console.log('\nrendered docs/benchmarks.md from bench/results/');
}
process.exit(failed === 0 ? 0 : 1);
