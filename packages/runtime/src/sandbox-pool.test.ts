import { SandboxError, type SandboxRuntime, type SandboxSpec } from '@ngb/plugin-sdk';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFolders, createAgentFolders } from './__fixtures__/agent-folders';
import { buildSandboxProgram } from './__fixtures__/sandbox-program';
import { createLocalRuntime, type LocalRuntimeOptions } from './local-runtime';

// The pool is the same for every driver; it is exercised here through the local one (real child
// processes, started in tens of milliseconds).

let folders: AgentFolders;
let program: string;
let runtime: SandboxRuntime | undefined;

beforeAll(async () => {
  folders = await createAgentFolders('pool');
  program = await buildSandboxProgram();
});
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
});
afterAll(() => folders.remove());

function start(options: LocalRuntimeOptions = {}): SandboxRuntime {
  runtime = createLocalRuntime({ program, ...options });
  return runtime;
}

async function spec(sessionId: string): Promise<SandboxSpec> {
  return { sessionId, agentFolder: await folders.make('agent'), agentName: 'Pool', isMain: false };
}

const settledWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);

describe('sandbox pool: the cap and the queue', () => {
  it('lets a third session wait while two hold the cap of 2, then runs it when one is released', async () => {
    const pool = start({ maxSandboxes: 2 });
    const first = await pool.acquire(await spec('s1'));
    const second = await pool.acquire(await spec('s2'));
    const third = pool.acquire(await spec('s3'));
    expect(await settledWithin(third, 300)).toBe(false);
    expect((await pool.list()).map((info) => info.sessionId).sort()).toEqual(['s1', 's2']);
    first.release();
    const sandbox = await third;
    expect((await sandbox.call('bash', { command: 'echo third' })).output).toMatchObject({ stdout: 'third\n' });
    expect((await pool.list()).map((info) => info.sessionId).sort()).toEqual(['s2', 's3']);
    second.release();
  });

  it('serves waiters in arrival order', async () => {
    const pool = start({ maxSandboxes: 1 });
    const holder = await pool.acquire(await spec('holder'));
    const order: string[] = [];
    const specs = await Promise.all(['w1', 'w2', 'w3'].map((id) => spec(id)));
    // Acquired in this order, synchronously; each spec's checks take their own time on the disk.
    const waiting = specs.map(async (waiterSpec) => {
      const sandbox = await pool.acquire(waiterSpec);
      order.push(waiterSpec.sessionId);
      await new Promise((resolve) => setTimeout(resolve, 20));
      sandbox.release();
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    holder.release();
    await Promise.all(waiting);
    expect(order).toEqual(['w1', 'w2', 'w3']);
  });

  it('never stops a claimed sandbox or one with a call running to make room', async () => {
    const pool = start({ maxSandboxes: 1 });
    const busy = await pool.acquire(await spec('busy'));
    busy.release();
    const call = busy.call('bash', { command: 'sleep 0.4; echo done' });
    const waiter = pool.acquire(await spec('waiter'));
    expect(await settledWithin(waiter, 200)).toBe(false);
    expect((await call).output).toMatchObject({ stdout: 'done\n' });
    (await waiter).release();
  });

  it('stops waiting when the acquire is aborted, and the queue moves on', async () => {
    const pool = start({ maxSandboxes: 1 });
    const holder = await pool.acquire(await spec('holder'));
    const controller = new AbortController();
    const aborted = pool.acquire(await spec('impatient'), { signal: controller.signal });
    const patient = pool.acquire(await spec('patient'));
    controller.abort();
    const error = await aborted.catch((caught: unknown) => caught);
    expect(SandboxError.isInstance(error) && error.reason).toBe('aborted');
    holder.release();
    expect((await patient).sessionId).toBe('patient');
  });

  it('gives back the place in the queue of a spec that is refused', async () => {
    const pool = start({ maxSandboxes: 1 });
    const holder = await pool.acquire(await spec('holder'));
    const refused = pool
      .acquire({ ...(await spec('bad')), agentFolder: `${folders.base}/missing` })
      .catch((caught: unknown) => caught);
    const good = pool.acquire(await spec('good'));
    const error = await refused;
    expect(SandboxError.isInstance(error) && error.reason).toBe('invalid_input');
    holder.release();
    expect((await good).sessionId).toBe('good');
    expect((await pool.list()).map((info) => info.sessionId)).toEqual(['good']);
  });

  it('starts one sandbox for concurrent acquires of a new session', async () => {
    const pool = start({ maxSandboxes: 3 });
    const sessionSpec = await spec('shared');
    const [a, b, c] = await Promise.all([pool.acquire(sessionSpec), pool.acquire(sessionSpec), pool.acquire(sessionSpec)]);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(await pool.list()).toMatchObject([{ sessionId: 'shared', claims: 3 }]);
  });

  it('rejects waiting acquires when the runtime closes', async () => {
    const pool = start({ maxSandboxes: 1 });
    await pool.acquire(await spec('holder'));
    const waiter = pool.acquire(await spec('waiter')).catch((caught: unknown) => caught);
    await pool.close();
    const error = await waiter;
    expect(SandboxError.isInstance(error) && error.reason).toBe('closed');
  });
});

describe('sandbox pool: idle reaping', () => {
  it('stops a sandbox after the idle timeout on its own clock, counting from the last call', async () => {
    const clock = createManualClock();
    const pool = start({ clock, idleTimeoutMs: 60_000 });
    const sandbox = await pool.acquire(await spec('idle'));
    await clock.advance(40_000);
    await sandbox.call('bash', { command: 'true' });
    await clock.advance(40_000);
    expect((await pool.list()).length).toBe(1);
    await clock.advance(20_000);
    await expect.poll(async () => (await pool.list()).length).toBe(0);
    const error = await sandbox.call('bash', { command: 'true' }).catch((caught: unknown) => caught);
    expect(SandboxError.isInstance(error) && error.reason).toBe('closed');
  });

  it('does not reap a sandbox while a call runs', async () => {
    const clock = createManualClock();
    const pool = start({ clock, idleTimeoutMs: 1000 });
    const sandbox = await pool.acquire(await spec('long-call'));
    const call = sandbox.call('bash', { command: 'sleep 0.3; echo survived' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await clock.advance(5000);
    expect(await pool.reap({ idleForMs: 0 })).toBe(0);
    expect((await call).output).toMatchObject({ stdout: 'survived\n' });
    expect(await pool.reap({ idleForMs: 0 })).toBe(1);
  });
});
