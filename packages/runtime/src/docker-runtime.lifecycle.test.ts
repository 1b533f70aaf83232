import os from 'node:os';
import { SandboxError, type SandboxSpec } from '@ngb/plugin-sdk';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { type AgentFolders, createAgentFolders } from './__fixtures__/agent-folders';
import { describeWithDocker, hostDocker, testImage } from './__fixtures__/docker-gate';
import { startCrashingGateway } from './__fixtures__/gateway-process';
import { sandboxLabels } from './docker-container-options';
import { createDockerRuntime, type DockerRuntime } from './docker-runtime';
import type { DockerRuntimeOptions } from './docker-runtime-options';

let folders: AgentFolders;
const runtimes: DockerRuntime[] = [];

function start(options: Omit<DockerRuntimeOptions, 'diskLimit'>): DockerRuntime {
  const runtime = createDockerRuntime({ image: testImage, diskLimit: 'unlimited', ...options });
  runtimes.push(runtime);
  return runtime;
}

async function spec(sessionId: string): Promise<SandboxSpec> {
  return {
    sessionId,
    agentFolder: await folders.make('agent'),
    agentName: 'Lifecycle',
    isMain: false,
    limits: { memoryMb: 256 },
  };
}

async function containerExists(id: string): Promise<boolean> {
  return hostDocker()
    .getContainer(id)
    .inspect()
    .then(
      () => true,
      () => false,
    );
}

async function containersOf(namespace: string): Promise<string[]> {
  const found = await hostDocker().listContainers({ all: true, filters: { label: [`${sandboxLabels.namespace}=${namespace}`] } });
  return found.map((container) => container.Id);
}

describeWithDocker('docker runtime: lifecycle', () => {
  beforeAll(async () => {
    folders = await createAgentFolders('docker-lifecycle');
  });
  afterAll(async () => {
    await Promise.all(runtimes.map((runtime) => runtime.close()));
    await folders?.remove();
  });

  it('reaps an idle sandbox after the idle timeout and removes its container', async () => {
    const clock = createManualClock();
    const runtime = start({ namespace: `test-idle-${process.pid}`, clock, idleTimeoutMs: 30 * 60 * 1000 });
    const sandbox = await runtime.acquire(await spec('idle'));
    await sandbox.call('bash', { command: 'true' });
    sandbox.release();
    await clock.advance(29 * 60 * 1000);
    expect(await containerExists(sandbox.id)).toBe(true);
    await clock.advance(60 * 1000);
    await expect.poll(() => containerExists(sandbox.id), { timeout: 10_000 }).toBe(false);
    expect(await runtime.list()).toEqual([]);
  });

  it('runs at most 2 sandboxes with a cap of 2: the third session waits, then runs', async () => {
    const namespace = `test-cap-${process.pid}`;
    const runtime = start({ namespace, maxSandboxes: 2 });
    const first = await runtime.acquire(await spec('cap-1'));
    const second = await runtime.acquire(await spec('cap-2'));
    let thirdReady = false;
    const third = runtime.acquire(await spec('cap-3')).then((sandbox) => {
      thirdReady = true;
      return sandbox;
    });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(thirdReady).toBe(false);
    expect((await containersOf(namespace)).length).toBe(2);
    first.release();
    const sandbox = await third;
    expect((await sandbox.call('bash', { command: 'echo third' })).output).toMatchObject({ stdout: 'third\n' });
    expect(await containerExists(first.id)).toBe(false);
    expect((await containersOf(namespace)).length).toBe(2);
    second.release();
    sandbox.release();
  });

  it('cleans up after a gateway process that crashed: its sandbox exits, and the next start removes it', async () => {
    const namespace = `test-orphans-${process.pid}`;
    const { child, containerId, cleanup } = await startCrashingGateway({
      namespace,
      agentFolder: await folders.make('agent'),
      image: testImage,
    });
    onTestFinished(cleanup);
    expect(await containerExists(containerId)).toBe(true);
    child.kill('SIGKILL');
    // The attach went away with the process, so the sandbox's stdin closed and it exited by itself.
    await expect
      .poll(async () => (await hostDocker().getContainer(containerId).inspect()).State.Running, { timeout: 10_000 })
      .toBe(false);
    const fresh = start({ namespace });
    const sandbox = await fresh.acquire(await spec('after-crash'));
    expect(await containerExists(containerId)).toBe(false);
    expect(await containersOf(namespace)).toEqual([sandbox.id]);
  });

  it("removes a killed gateway's sandbox from a runtime of another namespace, and leaves a live gateway's alone", async () => {
    const killed = await startCrashingGateway({
      namespace: `test-killed-owner-${process.pid}`,
      agentFolder: await folders.make('agent'),
      image: testImage,
    });
    onTestFinished(killed.cleanup);
    const alive = await startCrashingGateway({
      namespace: `test-live-owner-${process.pid}`,
      agentFolder: await folders.make('agent'),
      image: testImage,
    });
    onTestFinished(alive.cleanup);
    const exited = new Promise((resolve) => killed.child.once('exit', resolve));
    killed.child.kill('SIGKILL');
    await exited;
    const fresh = start({ namespace: `test-fresh-${process.pid}` });
    expect(await fresh.removeOrphans()).toBeGreaterThanOrEqual(1);
    expect(await containerExists(killed.containerId)).toBe(false);
    expect(await containerExists(alive.containerId)).toBe(true);
    expect((await hostDocker().getContainer(alive.containerId).inspect()).State.Running).toBe(true);
  });

  it('asks the processAlive seam about each owner, and removes only the containers of owners that are gone', async () => {
    const owner = start({ namespace: `test-seam-owner-${process.pid}` });
    const sandbox = await owner.acquire(await spec('seam'));
    const labels = (await hostDocker().getContainer(sandbox.id).inspect()).Config.Labels;
    expect(labels).toMatchObject({ 'ngb.owner.pid': String(process.pid), 'ngb.owner.host': os.hostname() });
    expect(labels['ngb.owner.start-time']).toMatch(/^\d+$/);
    // Only this process's containers are ever called gone: the engine is shared with other work.
    const asked: number[] = [];
    const keeping = start({
      namespace: `test-seam-keep-${process.pid}`,
      processAlive: async (identity) => {
        asked.push(identity.pid);
        return identity.pid === process.pid ? true : undefined;
      },
    });
    await keeping.removeOrphans();
    expect(asked).toContain(process.pid);
    expect(await containerExists(sandbox.id)).toBe(true);
    const sweeping = start({
      namespace: `test-seam-sweep-${process.pid}`,
      processAlive: async (identity) => (identity.pid === process.pid ? false : undefined),
    });
    expect(await sweeping.removeOrphans()).toBeGreaterThanOrEqual(1);
    expect(await containerExists(sandbox.id)).toBe(false);
  });

  it('leaves the containers of other namespaces alone while their process lives', async () => {
    const other = start({ namespace: `test-neighbour-${process.pid}` });
    const neighbour = await other.acquire(await spec('neighbour'));
    const runtime = start({ namespace: `test-self-${process.pid}` });
    await runtime.acquire(await spec('self'));
    expect(await containerExists(neighbour.id)).toBe(true);
  });

  it('notices a killed container: the running call fails and the next call gets a fresh one', async () => {
    const runtime = start({ namespace: `test-killed-${process.pid}` });
    const sandbox = await runtime.acquire(await spec('killed'));
    const firstId = sandbox.id;
    const running = sandbox.call('bash', { command: 'sleep 60' }).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await hostDocker().getContainer(firstId).kill();
    const error = await running;
    expect(SandboxError.isInstance(error) && error.reason).toBe('crashed');
    expect((error as Error).message).toMatch(/exited with code 137|was removed/);
    expect((await sandbox.call('bash', { command: 'echo fresh' })).output).toMatchObject({ stdout: 'fresh\n' });
    expect(sandbox.id).not.toBe(firstId);
    await expect.poll(() => containerExists(firstId), { timeout: 10_000 }).toBe(false);
  });
});
