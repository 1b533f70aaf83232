// CLI numbers (DESIGN §9): wall time of `ngb --help` (≤ 150 ms) against `node -e 0` in the same run,
// interleaved so machine noise hits both alike; and `ngb serve` idle resident memory (≤ 90 MB).
// Needs the built CLI (`pnpm build`). Options: --no-write (print only), --runs N (default 20).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createFakeLlmServer } from '@ngb/testing';
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
  for (const [index, entry] of cases.entries()) samples[index].push(time(entry.args));
}
const stats = samples.map(summarize);
const floor = stats[0].p50;
const help = stats[1];

/** Starts `ngb serve` in a fresh project, waits until it is ready and idle, and reads its resident memory. */
async function serveIdleMemory() {
  const directory = mkdtempSync(join(tmpdir(), 'ngb-bench-serve-'));
  const server = await createFakeLlmServer({ acceptAnyModel: true });
  const env = { ...process.env, NO_COLOR: '1', OPENAI_BASE_URL: `${server.url}/v1` };
  try {
    spawnSync(process.execPath, [bin, 'init'], { cwd: directory, env, stdio: 'ignore' });
    const started = performance.now();
    const child = spawn(process.execPath, [bin, 'serve'], { cwd: directory, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    while (!output.includes('gateway ready')) {
      if (child.exitCode !== null || performance.now() - started > 30_000) throw new Error(`ngb serve did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const ready = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    child.kill('SIGTERM');
    await exited;
    return { ready, rssMb: rssKb / 1024, runtime: /runtime\s+(\S+)/.exec(output)?.[1] ?? '?' };
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}
const serve = await serveIdleMemory();

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
  '| What | Result | Target |',
  '|---|---|---|',
  `| \`ngb serve\` idle resident memory (no channel, ${serve.runtime} runtime, 3 s after ready) | ${serve.rssMb.toFixed(1)} MB | ≤ 90 MB |`,
  `| \`ngb serve\` start to "gateway ready" (store opened and migrated, runtime chosen) | ${ms(serve.ready)} | |`,
  '',
  `\`ngb --help\` loads no command module: the top-level help is static text, and every command (with core, store, the SDKs) is a chunk imported only when it runs. ${
    help.p50 <= 150 ? 'Within' : 'Over'
  } the 150 ms target at the median.`,
  '',
  `\`ngb serve\` idle memory is ${serve.rssMb <= 90 ? 'within' : 'over'} its target. Most of it is code loaded once: Node itself (about 41 MB for ` +
    '`node -e 0`), then @ngb/store (better-sqlite3) and @ngb/runtime, whose dockerode brings grpc-js, protobufjs and ssh2 ' +
    '(about 27 MB in a bare process, about 10 MB on top of the rest here); the idle gateway itself adds only a few MB.',
].join('\n');

console.log(body);
if (write) writeSection('CLI', body);
