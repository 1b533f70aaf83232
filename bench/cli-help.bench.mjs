// CLI numbers (DESIGN §9): wall time of `ngb --help` against `node -e 0` (the floor), spawned interleaved
// in the same runs so machine noise hits both alike; `ngb serve` idle resident memory against a bare
// idle `node` process, and its start → ready time. Needs the built CLI (`pnpm build`).
// Options: --runs N (default 5), --quick, --no-write, --results <dir> (see report.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createFakeLlmServer } from '@ngb/testing';
import { benchOptions, figure, finish, machine, percentile, repeatRuns } from './report.mjs';

const options = benchOptions();
const spawnsPerRun = options.quick ? 3 : 15;
const idleSettleMs = options.quick ? 500 : 3000;
// The file users run as `ngb`: the package's `bin` (a small CommonJS entry that imports `dist/bin.js`).
const cliPackage = new URL('../apps/cli/package.json', import.meta.url);
const bin = fileURLToPath(new URL(JSON.parse(readFileSync(cliPackage, 'utf8')).bin.ngb, cliPackage));
if (!existsSync(bin)) {
  console.log(`cli bench skipped: ${bin} is missing (run \`pnpm build\`)`);
  process.exit(0);
}

const floorCase = { name: 'node -e 0', args: ['-e', '0'] };
// The floor of serve's start: loading the code serve loads before it is ready, and nothing else.
const serveModules = fileURLToPath(new URL('./serve-modules.mjs', import.meta.url));
const cases = [
  { name: 'help', what: '`ngb --help`, wall time', args: [bin, '--help'], target: '≤ +15 ms over the floor' },
  { name: 'version', what: '`ngb --version`, wall time', args: [bin, '--version'] },
  { name: 'runHelp', what: '`ngb run --help` (loads citty and one command), wall time', args: [bin, 'run', '--help'] },
];

// Node 20 reads and parses every certificate NODE_EXTRA_CA_CERTS names at each start, before any script
// runs. Where the machine sets it, serve's start and its floors are also timed with it unset.
const extraCaCertsVariable = 'NODE_EXTRA_CA_CERTS';
const extraCaCerts = process.env[extraCaCertsVariable];
const withoutExtraCaCerts = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== extraCaCertsVariable));

function time(args, env = process.env) {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, NO_COLOR: '1' } });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr}`);
  return elapsed;
}

const residentMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

/** Resident memory of a bare Node process sitting idle: what any Node program costs before its own code. */
async function bareNodeIdleMemory() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, idleSettleMs));
  const rss = residentMb(child.pid);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  return rss;
}

/**
 * Starts `ngb serve` in a fresh project, waits until it is ready and then `settleMs` idle, and reads its
 * resident memory.
 */
async function serveIdle(baseEnv = process.env, settleMs = idleSettleMs) {
  const directory = mkdtempSync(join(tmpdir(), 'ngb-bench-serve-'));
  const server = await createFakeLlmServer({ acceptAnyModel: true });
  const env = { ...baseEnv, NO_COLOR: '1', OPENAI_BASE_URL: `${server.url}/v1` };
  try {
    spawnSync(process.execPath, [bin, 'init'], { cwd: directory, env, stdio: 'ignore' });
    // The dashboard and the web chat come with `ngb serve`; a free port, so that runs never collide.
    const configFile = join(directory, 'ngb.config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    writeFileSync(configFile, JSON.stringify({ ...config, dashboard: { ...config.dashboard, port: 0 } }));
    const started = performance.now();
    const child = spawn(process.execPath, [bin, 'serve'], { cwd: directory, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    while (!output.includes('gateway ready')) {
      if (child.exitCode !== null || performance.now() - started > 30_000) throw new Error(`ngb serve did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const ready = performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    const rss = residentMb(child.pid);
    child.kill('SIGTERM');
    await exited;
    return { ready, rss, runtime: /runtime\s+(\S+)/.exec(output)?.[1] ?? '?' };
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

for (const entry of [floorCase, ...cases]) time(entry.args); // warm the file cache
time([serveModules]);
let serveRuntime = '?';
const runs = await repeatRuns(options, async () => {
  // Interleaved: each round spawns the floor and every case once.
  const samples = { floor: [], floorWithoutCerts: [], ...Object.fromEntries(cases.map((entry) => [entry.name, []])) };
  for (let round = 0; round < spawnsPerRun; round += 1) {
    samples.floor.push(time(floorCase.args));
    if (extraCaCerts !== undefined) samples.floorWithoutCerts.push(time(floorCase.args, withoutExtraCaCerts));
    for (const entry of cases) samples[entry.name].push(time(entry.args));
  }
  const bareRss = await bareNodeIdleMemory();
  const serveModulesMs = percentile(
    [0, 1, 2].map(() => time([serveModules])),
    50,
  );
  const serve = await serveIdle();
  serveRuntime = serve.runtime;
  const withoutCerts =
    extraCaCerts === undefined
      ? {}
      : {
          serveReadyWithoutCerts: (await serveIdle(withoutExtraCaCerts, 0)).ready,
          serveModulesWithoutCerts: percentile(
            [0, 1, 2].map(() => time([serveModules], withoutExtraCaCerts)),
            50,
          ),
        };
  return {
    ...Object.fromEntries(
      Object.entries(samples)
        .filter(([, values]) => values.length > 0)
        .map(([name, values]) => [name, percentile(values, 50)]),
    ),
    bareRss,
    serveRss: serve.rss,
    serveReady: serve.ready,
    serveModules: serveModulesMs,
    ...withoutCerts,
  };
});

const floor = { what: '`node -e 0`', values: runs.floor };
finish(options, {
  bench: 'cli',
  title: 'CLI',
  script: 'bench/cli-help.bench.mjs',
  machine: machine(),
  setup:
    `Wall time of the whole process, spawn to exit: in each run, ${spawnsPerRun} rounds each spawning \`node -e 0\` and every ` +
    'command once (interleaved), and the run counts the median of its rounds. `ngb serve`: a fresh project from `ngb init`, ' +
    `with the server, the dashboard and the web chat (no other channel), the ${serveRuntime} runtime, resident memory read ${idleSettleMs / 1000} s after "gateway ready"; its floor ` +
    'is a bare `node` process idling as long.',
  figures: [
    ...cases.map((entry) =>
      figure({
        what: entry.what,
        unit: 'ms',
        values: runs[entry.name],
        load: runs.load,
        floor,
        compare: 'over',
        target: entry.target,
      }),
    ),
    figure({
      what: '`ngb serve` idle resident memory',
      unit: 'MB',
      values: runs.serveRss,
      load: runs.load,
      floor: { what: 'bare `node`, idle', values: runs.bareRss },
      compare: 'over',
      target: '≤ 90 MB',
    }),
    figure({
      what: '`ngb serve` start → "gateway ready" (store opened and migrated, runtime answering)',
      unit: 'ms',
      values: runs.serveReady,
      load: runs.load,
      floor: {
        what: 'loading the code serve loads before it is ready, running none of it (`bench/serve-modules.mjs`, spawn to exit)',
        values: runs.serveModules,
      },
      compare: 'over',
      target: '≤ 200 ms',
    }),
    ...(extraCaCerts === undefined
      ? []
      : [
          figure({
            what: "What the machine's `NODE_EXTRA_CA_CERTS` costs every Node start: `node -e 0` with it",
            unit: 'ms',
            values: runs.floor,
            load: runs.load,
            floor: { what: '`node -e 0` with it unset', values: runs.floorWithoutCerts },
            compare: 'over',
          }),
          figure({
            what: '`ngb serve` start → "gateway ready", `NODE_EXTRA_CA_CERTS` unset',
            unit: 'ms',
            values: runs.serveReadyWithoutCerts,
            load: runs.load,
            floor: { what: '`bench/serve-modules.mjs` with it unset', values: runs.serveModulesWithoutCerts },
            compare: 'over',
            target: '≤ 200 ms',
          }),
        ]),
  ],
  notes: [
    "`ngb serve`'s start is mostly loading its code: Node 20 compiles every module from source at each start (it keeps no " +
      'compile cache before Node 22, and its startup snapshot builder cannot load `node:http` at all), and what serve does once its code is loaded (open and check the store, ask the Docker ' +
      'engine, build the gateway and the server, listen) is the difference from the floor. What it need not load before it is ' +
      "ready waits: Node's fetch implementation (the first request loads it), the manifests of channels not enabled, the metrics " +
      "library (a moment after start, or the first scrape), Node's TLS, zlib, readline, name resolver and performance hooks " +
      "(the first TLS connection of an agent's proxy, compressed event stream, file tool, name looked up; the young " +
      "generation's watch starts once the gateway is ready).",
    ...(extraCaCerts === undefined
      ? []
      : [
          'This machine sets `NODE_EXTRA_CA_CERTS` (for its package registry): Node 20 reads and parses those certificates at ' +
            'every start, before any script runs, so every process above pays for it, the floors included. The last two rows ' +
            'take it away (the same commands with the variable unset) to show what a machine without it would see.',
        ]),
    "`ngb` is a small CommonJS entry (the package's `bin`): `--help` and `--version` answer from it without starting " +
      "Node's ES module loader; every command (with core, store, the SDKs) is a chunk imported only when it runs.",
  ],
});
