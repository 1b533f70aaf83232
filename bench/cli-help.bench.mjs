// CLI start-up (DESIGN §9: `ngb --help` ≤ 150 ms): wall time of `ngb --help` against `node -e 0` in the
// same run, interleaved so machine noise hits both alike. Needs the built CLI (`pnpm build`).
// Options: --no-write (print only), --runs N (default 20).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { machine, ms, summarize, writeSection } from './report.mjs';

const write = !process.argv.includes('--no-write');
const runsIndex = process.argv.indexOf('--runs');
const runs = runsIndex === -1 ? 20 : Number(process.argv[runsIndex + 1]);
const bin = fileURLToPath(new URL('../apps/cli/dist/bin.js', import.meta.url));
if (!existsSync(bin)) {
  console.log(`cli bench skipped: ${bin} is missing (run \`pnpm build\`)`);
  process.exit(0);
}

const cases = [
  { name: '`node -e 0` (the floor: Node itself)', args: ['-e', '0'] },
  { name: '`ngb --help`', args: [bin, '--help'], target: '≤ 150 ms' },
  { name: '`ngb --version`', args: [bin, '--version'] },
  { name: '`ngb run --help` (loads citty and one command)', args: [bin, 'run', '--help'] },
];

function time(args) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return elapsed;
}

const loadAtStart = loadavg()[0].toFixed(1);
for (const entry of cases) time(entry.args); // warm the file cache
const samples = cases.map(() => []);
for (let round = 0; round < runs; round += 1) {
  cases.forEach((entry, index) => samples[index].push(time(entry.args)));
}
const stats = samples.map(summarize);
const floor = stats[0].p50;
const help = stats[1];

const spread = (summary) => `p50 ${ms(summary.p50)} (min ${ms(summary.min)}, p90 ${ms(summary.p90)}, max ${ms(summary.max)})`;
const rows = cases.map(
  (entry, index) =>
    `| ${entry.name} | ${spread(stats[index])} | ${index === 0 ? '' : `+${ms(stats[index].p50 - floor)}`} | ${entry.target ?? ''} |`,
);
const body = [
  `Machine: ${machine()}; load average ${loadAtStart} at start. ${runs} runs of each, interleaved, wall time of the whole process (spawn to exit).`,
  '',
  '| What | Wall time | Over `node -e 0` | Target |',
  '|---|---|---|---|',
  ...rows,
  '',
  `\`ngb --help\` loads no command module: the top-level help is static text, and every command (with core, store, the SDKs) is a chunk imported only when it runs. ${
    help.p50 <= 150 ? 'Within' : 'Over'
  } the 150 ms target at the median.`,
].join('\n');

console.log(body);
if (write) writeSection('CLI', body);
