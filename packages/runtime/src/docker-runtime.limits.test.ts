import { type Sandbox, SandboxError, type SandboxRuntime } from '@ngb/plugin-sdk';
import type { BashOutput } from '@ngb/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AgentFolders, createAgentFolders } from './__fixtures__/agent-folders';
import { describeWithDocker, testImage } from './__fixtures__/docker-gate';
import { createDockerRuntime } from './docker-runtime';

let folders: AgentFolders;
let runtime: SandboxRuntime;
let sandbox: Sandbox;

async function errorOf(promise: Promise<unknown>): Promise<SandboxError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!SandboxError.isInstance(error)) throw new Error(`expected a SandboxError, got ${String(error)}`);
  return error;
}

/** Calls `echo` until the sandbox answers (it may be replaced while the kernel cleans up). */
async function answersAgain(target: Sandbox, withinMs: number): Promise<BashOutput> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return (await target.call('bash', { command: 'echo alive' }, { timeoutMs: 5000 })).output as BashOutput;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

describeWithDocker('docker runtime: limits', () => {
  beforeAll(async () => {
    folders = await createAgentFolders('docker-limits');
    runtime = createDockerRuntime({ image: testImage, namespace: `test-limits-${process.pid}`, diskLimit: 'unlimited' });
    sandbox = await runtime.acquire({
      sessionId: 'limited',
      agentFolder: await folders.make('agent'),
      agentName: 'Limited',
      isMain: false,
      limits: { memoryMb: 256, pids: 64, cpus: 1 },
    });
  });

  afterAll(async () => {
    await runtime?.close();
    await folders?.remove();
  });

  it('times out `sleep 100` with a 1 s limit within about 2 s and answers the next call', async () => {
    const started = Date.now();
    const error = await errorOf(sandbox.call('bash', { command: 'sleep 100' }, { timeoutMs: 1000 }));
    expect(error.reason).toBe('timeout');
    expect(error.message).toMatch(/timed out after 1000 ms/);
    expect(Date.now() - started).toBeLessThan(2500);
    expect((await sandbox.call('bash', { command: 'echo next' })).output).toMatchObject({ stdout: 'next\n' });
  });

  it('caps 5 MB of output with the truncation marker', async () => {
    const output = (await sandbox.call('bash', { command: 'head -c 5242880 /dev/zero | tr "\\0" x' })).output as BashOutput;
    expect(output.truncated).toBe(true);
    expect(output.stdout).toMatch(/\[ngb: output truncated: 5242880 bytes in total, \d+ bytes omitted here\]/);
    expect(output.stdout.length).toBeLessThan(120 * 1024);
  });

  it('stops a memory hog at the memory limit with a clear out-of-memory error', async () => {
    const error = await errorOf(
      sandbox.call(
        'bash',
        { command: 'python3 -c "data = b\'x\' * (1024 * 1024 * 1024); print(len(data))"' },
        { timeoutMs: 30_000 },
      ),
    );
    expect(error.reason).toBe('out_of_memory');
    expect(error.message).toMatch(/out of memory \(limit 256 MiB\)/);
    expect(await answersAgain(sandbox, 10_000)).toMatchObject({ stdout: 'alive\n' });
  });

  it('bounds a fork bomb by the pids limit, and the sandbox recovers', async () => {
    const bomb = sandbox.call('bash', { command: 'bomb() { bomb | bomb & }; bomb; sleep 5' }, { timeoutMs: 3000 });
    const outcome = await bomb.then(
      () => 'finished',
      (error: unknown) => (SandboxError.isInstance(error) ? error.reason : String(error)),
    );
    expect(['finished', 'timeout', 'crashed']).toContain(outcome);
    expect(await answersAgain(sandbox, 15_000)).toMatchObject({ stdout: 'alive\n' });
    const events = (
      await sandbox.call('bash', {
        command:
          'cat /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/pids/pids.events 2>/dev/null || cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/pids.events',
      })
    ).output as BashOutput;
    const [limit, , denied] = events.stdout.trim().split(/\s+/);
    expect(limit).toBe('64');
    // The kernel refused forks because the limit was reached: the bomb hit the wall, not the host.
    expect(Number(denied)).toBeGreaterThan(0);
  });
});
