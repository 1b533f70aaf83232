import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDockerRuntime } from '@ngb/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerEngineFor } from './__tests__/docker-engine-gate';
import { createHarness, type Harness } from './__tests__/gateway-harness';

// The machine's own engine is shared: this test never touches it. It starts a private engine on its
// own socket and folders, loads the sandbox image into it, and restarts that one.
const engine = await dockerEngineFor('Docker engine restart test');
const canRunEngine = engine && existsSync('/usr/sbin/dockerd') && process.getuid?.() === 0;
const image = process.env.NGB_TEST_IMAGE || 'ngb-agent:latest';

let scratch = '';
let socket = '';
let daemon: ChildProcess | undefined;
let harness: Harness | undefined;

function ping(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = request({ socketPath: socket, path: '/_ping', timeout: 2_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    probe.on('error', () => resolve(false));
    probe.on('timeout', () => {
      probe.destroy();
      resolve(false);
    });
    probe.end();
  });
}

async function startEngine(): Promise<void> {
  const id = `ngb-restart-test-${process.pid}`;
  daemon = spawn(
    'dockerd',
    [
      `--host=unix://${socket}`,
      `--data-root=${join(scratch, 'data')}`,
      `--exec-root=${join(scratch, 'exec')}`,
      `--pidfile=${join(scratch, 'd.pid')}`,
      '--bridge=none',
      '--iptables=false',
      '--ip6tables=false',
      '--storage-driver=overlay2',
      `--containerd-namespace=${id}`,
      `--containerd-plugins-namespace=${id}-plugins`,
    ],
    { stdio: ['ignore', 'ignore', 'ignore'] },
  );
  for (let attempt = 0; attempt < 600; attempt += 1) {
    if (await ping()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`[test] the private dockerd did not answer at ${socket}`);
}

async function stopEngine(): Promise<void> {
  const running = daemon;
  daemon = undefined;
  if (!running || running.exitCode !== null) return;
  const exited = new Promise((resolve) => running.once('exit', resolve));
  running.kill('SIGTERM');
  await exited;
}

function unmountUnder(folder: string): void {
  const mounts = readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((point) => point.startsWith(folder))
    .sort((a, b) => b.length - a.length);
  for (const point of mounts) execFileSync('umount', ['-l', point]);
}

beforeAll(async () => {
  if (!canRunEngine) return;
  scratch = mkdtempSync(join(tmpdir(), 'ngb-engine-'));
  // The sandbox user (uid 1000) reaches its root filesystem through these folders.
  chmodSync(scratch, 0o755);
  socket = join(scratch, 'd.sock');
  await startEngine();
  execFileSync('sh', ['-c', 'docker save "$1" | docker -H "unix://$2" load', 'load', image, socket], { stdio: 'ignore' });
}, 180_000);

afterAll(async () => {
  await harness?.close();
  await stopEngine();
  if (scratch) {
    unmountUnder(scratch);
    rmSync(scratch, { recursive: true, force: true });
  }
}, 60_000);

describe.skipIf(!canRunEngine)('the Docker engine restarted during a session', () => {
  it('gives the next tool call a fresh sandbox, and the turn answers once', { timeout: 180_000 }, async () => {
    const runtime = createDockerRuntime({
      socketPath: socket,
      image,
      namespace: 'restart',
      maxSandboxes: 1,
      diskLimit: 'unlimited',
    });
    harness = await createHarness({ runtime, retryDelaysMs: [100, 100, 100] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    // The container's hostname is its short id: it names the container a command ran in.
    await harness.say('run: echo "before in $(cat /etc/hostname)"');
    const before = /before in (\w+)/.exec(harness.texts()[0] ?? '')?.[1];
    expect(before).toMatch(/^[0-9a-f]{12}$/);

    await stopEngine();
    await startEngine();
    await harness.say('run: echo "after in $(cat /etc/hostname)"');
    expect(harness.texts()).toHaveLength(2);
    const after = /after in (\w+)/.exec(harness.texts()[1] ?? '')?.[1];
    expect(after).toMatch(/^[0-9a-f]{12}$/);
    expect(after).not.toBe(before);
    expect(harness.events.filter((event) => event.type === 'delivery.sent')).toHaveLength(2);
    const ends = harness.events.flatMap((event) => (event.type === 'turn.end' ? [event.status] : []));
    expect(ends.at(-1)).toBe('succeeded');
    expect((await runtime.list()).map((sandbox) => sandbox.id.slice(0, 12))).toEqual([after]);
  });
});
