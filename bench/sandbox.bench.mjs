// Sandbox numbers (DESIGN §9): cold start → first tool result, and the warm `echo` round trip over
// the persistent stdio attach, compared in the same run with `docker exec` of the same command.
// Needs a running engine and the image (`bash .ci/docker.sh`). Options: --no-write, --quick.
import { execFile } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { createDockerRuntime, createLocalRuntime } from '@ngb/runtime';
import { machine, ms, summarize, writeSection } from './report.mjs';

const run = promisify(execFile);
const quick = process.argv.includes('--quick');
const write = !process.argv.includes('--no-write');
const counts = quick ? { cold: 5, warm: 100, exec: 20 } : { cold: 15, warm: 1000, exec: 100 };
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

const loadAtStart = loadavg()[0].toFixed(1);
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

/** Times `body` `count` times; a function it returns is then awaited untimed (teardown). */
async function timed(count, body) {
  const samples = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    const teardown = await body(index);
    samples.push(performance.now() - started);
    if (typeof teardown === 'function') await teardown();
  }
  return summarize(samples);
}

// No size limit here: a cold start is measured on its own (a disk limit adds one lock and a mount-table read).
const runtime = createDockerRuntime({ image, namespace: `bench-${process.pid}`, maxSandboxes: 4, diskLimit: 'unlimited' });
const local = createLocalRuntime();
const results = {};
try {
  // The runtime checks the engine and removes orphans once, before its first sandbox: not part of a cold start.
  const first = await runtime.acquire(spec('warm-up'));
  await first.call('bash', echo);

  console.log(`cold start → first tool result (${counts.cold} sandboxes) ...`);
  results.cold = await timed(counts.cold, async (index) => {
    const sandbox = await runtime.acquire(spec(`cold-${index}`));
    await sandbox.call('bash', echo);
    return () => sandbox.close();
  });

  console.log(`warm round trips (${counts.warm} each) ...`);
  for (let index = 0; index < 50; index += 1) await first.call('bash', echo);
  results.warmBash = await timed(counts.warm, () => first.call('bash', echo));
  await first.call('write_file', { path: 'small.txt', content: 'hi\n' });
  results.warmRead = await timed(counts.warm, () => first.call('read_file', { path: 'small.txt' }));

  console.log(`docker exec of the same command (${counts.exec} each) ...`);
  const container = docker.getContainer(first.id);
  results.execCli = await timed(counts.exec, () => run('docker', ['exec', first.id, 'bash', '-c', echo.command]));
  results.execApi = await timed(counts.exec, async () => {
    const exec = await container.exec({ Cmd: ['bash', '-c', echo.command], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    await new Promise((resolve, reject) => {
      stream.on('end', resolve);
      stream.on('error', reject);
      stream.resume();
    });
  });

  console.log(`local runtime (no isolation), for reference ...`);
  const localSandbox = await local.acquire(spec('local'));
  for (let index = 0; index < 50; index += 1) await localSandbox.call('bash', echo);
  results.localBash = await timed(counts.warm, () => localSandbox.call('bash', echo));
} finally {
  await runtime.close();
  await local.close();
  rmSync(base, { recursive: true, force: true });
}

const line = (summary) =>
  `p50 ${ms(summary.p50)}, p90 ${ms(summary.p90)}, p99 ${ms(summary.p99)} (min ${ms(summary.min)}, max ${ms(summary.max)}, n=${summary.count})`;
const ratio = (results.execCli.p50 / results.warmBash.p50).toFixed(0);
const body = `
Machine: ${machine()}; Docker ${version.Version} (${version.Os}/${version.Arch}, kernel ${version.KernelVersion}); image \`${image}\` on base \`${inspected.Config?.Labels?.['ngb.base'] ?? 'unknown'}\`.
Sandboxes run hardened (read-only root, no network, cap-drop ALL, uid 1000, 512 MiB). Measured in one run of \`node bench/sandbox.bench.mjs\`; 1-minute load average at the start: ${loadAtStart}.

| What | Result | Target |
|---|---|---|
| Cold start → first tool result (create + attach + start container, hello, \`bash echo hi\`) | ${line(results.cold)} | ≤ 600 ms |
| Warm \`bash\` \`echo hi\` round trip over the persistent stdio attach | ${line(results.warmBash)} | p50 ≤ 15 ms |
| Warm \`read_file\` round trip (no process started: the channel's own cost) | ${line(results.warmRead)} | |
| \`docker exec <container> bash -c 'echo hi'\` (CLI), same container, same run | ${line(results.execCli)} | for comparison |
| Docker exec API (dockerode exec create + start + read), same command | ${line(results.execApi)} | for comparison |
| Local runtime (child process, not isolated): warm \`bash echo hi\` | ${line(results.localBash)} | for reference |

The persistent channel answers a warm \`echo\` about ${ratio}× faster than \`docker exec\` of the same command (p50 against p50).
`;
console.log(body);
if (write) writeSection('Sandbox', body);
