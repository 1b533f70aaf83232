// Sandbox numbers (DESIGN §9): cold start → first tool result against a plain `docker run` of the same
// image, and the warm round trips over the persistent stdio attach against the local runtime's same
// call (the floor, measured in the same runs), with `docker exec` of the same command for comparison.
// Needs a running engine and the image (`bash .ci/docker.sh`).
// Options: --runs N (default 5), --quick, --no-write, --results <dir> (see report.mjs).
import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createDockerRuntime, createLocalRuntime } from '@ngb/runtime';
import { benchOptions, figure, finish, machine, percentile, repeatRuns } from './report.mjs';

const run = promisify(execFile);
const options = benchOptions();
const counts = options.quick ? { cold: 2, warm: 20, exec: 5 } : { cold: 5, warm: 300, exec: 30 };
const image = 'ngb-agent:latest';
const echo = { command: 'echo hi' };

// dockerode as @ngb/runtime resolves it (the bench package does not depend on it directly).
const Docker = createRequire(import.meta.resolve('@ngb/runtime'))('dockerode');
const docker = new Docker({ socketPath: '/var/run/docker.sock' });
const version = await docker.version().catch(() => undefined);
const inspected = version
  ? await docker
      .getImage(image)
      .inspect()
      .catch(() => undefined)
  : undefined;
if (!version || !inspected) {
  console.log(
    `sandbox bench skipped: ${version ? `the image ${image} is missing` : 'the Docker engine does not answer'} (run \`bash .ci/docker.sh\`)`,
  );
  process.exit(0);
}

const base = mkdtempSync(join(tmpdir(), 'ngb-bench-sandbox-'));
let folderCount = 0;
function agentFolder() {
  folderCount += 1;
  const folder = join(base, `agent-${folderCount}`);
  mkdirSync(folder);
  try {
    chownSync(folder, 1000, 1000);
  } catch {}
  return folder;
}
const spec = (sessionId) => ({
  sessionId,
  agentFolder: agentFolder(),
  agentName: 'bench',
  isMain: false,
  limits: { memoryMb: 512 },
});

/** The median of `count` timings of `body`; a function it returns is then awaited untimed (teardown). */
async function medianOf(count, body) {
  const samples = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    const teardown = await body(index);
    samples.push(performance.now() - started);
    if (typeof teardown === 'function') await teardown();
  }
  return percentile(samples, 50);
}

// No size limit here: a cold start is measured on its own (a disk limit adds one lock and a mount-table read).
const runtime = createDockerRuntime({ image, namespace: `bench-${process.pid}`, maxSandboxes: 4, diskLimit: 'unlimited' });
const local = createLocalRuntime();
let runs;
try {
  // The runtime checks the engine and removes orphans once, before its first sandbox: not part of a cold start.
  const warm = await runtime.acquire(spec('warm-up'));
  await warm.call('bash', echo);
  await warm.call('write_file', { path: 'small.txt', content: 'hi\n' });
  const localSandbox = await local.acquire(spec('local'));
  await localSandbox.call('write_file', { path: 'small.txt', content: 'hi\n' });
  for (let index = 0; index < 20; index += 1) {
    await warm.call('bash', echo);
    await localSandbox.call('bash', echo);
  }
  const container = docker.getContainer(warm.id);
  let sessionCounter = 0;
  runs = await repeatRuns(options, async () => ({
    dockerRun: await medianOf(counts.cold, () =>
      run('docker', ['run', '--rm', '--network=none', '--user', '1000:1000', '--read-only', '--entrypoint', 'true', image]),
    ),
    cold: await medianOf(counts.cold, async () => {
      sessionCounter += 1;
      const sandbox = await runtime.acquire(spec(`cold-${sessionCounter}`));
      await sandbox.call('bash', echo);
      return () => sandbox.close();
    }),
    localBash: await medianOf(counts.warm, () => localSandbox.call('bash', echo)),
    warmBash: await medianOf(counts.warm, () => warm.call('bash', echo)),
    localRead: await medianOf(counts.warm, () => localSandbox.call('read_file', { path: 'small.txt' })),
    warmRead: await medianOf(counts.warm, () => warm.call('read_file', { path: 'small.txt' })),
    execCli: await medianOf(counts.exec, () => run('docker', ['exec', warm.id, 'bash', '-c', echo.command])),
    execApi: await medianOf(counts.exec, async () => {
      const exec = await container.exec({ Cmd: ['bash', '-c', echo.command], AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: false });
      await new Promise((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('error', reject);
        stream.resume();
      });
    }),
  }));
} finally {
  await runtime.close();
  await local.close();
  rmSync(base, { recursive: true, force: true });
}

const localFloor = (values) => ({ what: 'local runtime (child process, not isolated), same call', values });
finish(options, {
  bench: 'sandbox',
  title: 'Sandbox',
  script: 'bench/sandbox.bench.mjs',
  machine: machine(
    `Docker ${version.Version} (${version.Os}/${version.Arch}, kernel ${version.KernelVersion}); image \`${image}\` on base ` +
      `\`${inspected.Config?.Labels?.['ngb.base'] ?? 'unknown'}\``,
  ),
  setup:
    'Sandboxes run hardened (read-only root, no network, cap-drop ALL, uid 1000, 512 MiB). Each run counts the median of ' +
    `${counts.cold} cold starts, ${counts.warm} warm calls of each kind and ${counts.exec} \`docker exec\` calls.`,
  figures: [
    figure({
      what: 'Cold start → first tool result (create + attach + start the container, hello, `bash echo hi`)',
      unit: 'ms',
      values: runs.cold,
      load: runs.load,
      floor: { what: '`docker run --rm` of the same image running `true` (CLI)', values: runs.dockerRun },
      compare: 'times',
      target: '≤ 200 ms',
    }),
    figure({
      what: 'Warm `bash` `echo hi` round trip over the persistent stdio attach',
      unit: 'ms',
      values: runs.warmBash,
      load: runs.load,
      floor: localFloor(runs.localBash),
      compare: 'times',
      target: '≤ 1.5× the floor',
    }),
    figure({
      what: "Warm `read_file` round trip (no process started: the channel's own cost)",
      unit: 'ms',
      values: runs.warmRead,
      load: runs.load,
      floor: localFloor(runs.localRead),
      compare: 'times',
    }),
    // The warm call against Docker's own ways of running the same command in the same container: what a
    // runtime that starts a process per call, rather than keeping a channel open, would pay at best.
    figure({
      what: 'The same warm `bash` `echo hi` round trip, against Docker exec through the Engine API',
      unit: 'ms',
      values: runs.warmBash,
      load: runs.load,
      floor: { what: 'exec create + start + read (dockerode), same command, same container', values: runs.execApi },
      compare: 'times',
    }),
    figure({
      what: 'The same warm `bash` `echo hi` round trip, against the Docker CLI',
      unit: 'ms',
      values: runs.warmBash,
      load: runs.load,
      floor: { what: "`docker exec <container> bash -c 'echo hi'`, same container", values: runs.execCli },
      compare: 'times',
    }),
  ],
});
