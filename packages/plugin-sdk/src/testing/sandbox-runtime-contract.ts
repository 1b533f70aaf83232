import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxRuntime, SandboxSpec } from '../contracts/sandbox';
import { errorMessage, SandboxError, type SandboxErrorReason } from '../errors';

/** What a runtime driver hands to {@link describeSandboxRuntimeContract}. */
export interface SandboxRuntimeHarness {
  /** A fresh runtime. The suite closes it. */
  runtime: SandboxRuntime;
  /**
   * A spec for a new session whose agent folder exists on the host, is empty and is writable from
   * inside the sandbox.
   */
  createSpec(sessionId: string): Promise<SandboxSpec>;
  /** Removes what the harness made (folders, ...), after the runtime was closed. */
  teardown?(): Promise<void>;
}

/** Options of {@link describeSandboxRuntimeContract}. */
export interface SandboxRuntimeContractOptions {
  /** Time limit of each test; container drivers need more than process drivers. @default 30000 */
  testTimeoutMs?: number;
}

/** Resolves the error a promise rejected with, failing when it resolved. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}

async function expectSandboxError(promise: Promise<unknown>, reason: SandboxErrorReason): Promise<SandboxError> {
  const error = await rejectionOf(promise);
  expect(SandboxError.isInstance(error), `expected a SandboxError, got ${String(error)}`).toBe(true);
  expect((error as SandboxError).reason, errorMessage(error)).toBe(reason);
  return error as SandboxError;
}

let sessionCounter = 0;
const newSessionId = (label: string) => `contract-${label}-${process.pid}-${++sessionCounter}`;

/**
 * The behaviour every {@link SandboxRuntime} driver must show. Drivers that run `@ngb/sandbox`
 * pass it; the suite uses its `bash`, `write_file`, `read_file` and `edit_file` tools.
 *
 * @example
 * describeSandboxRuntimeContract('local', async () => ({ runtime: createLocalRuntime(), createSpec }));
 */
export function describeSandboxRuntimeContract(
  name: string,
  factory: () => Promise<SandboxRuntimeHarness>,
  options: SandboxRuntimeContractOptions = {},
): void {
  const timeout = options.testTimeoutMs ?? 30_000;

  describe(`SandboxRuntime contract: ${name}`, () => {
    let harness: SandboxRuntimeHarness;
    beforeAll(async () => {
      harness = await factory();
    }, timeout * 2);
    afterAll(async () => {
      await harness?.runtime.close();
      await harness?.teardown?.();
    }, timeout);

    it('declares version 1, a name, whether it isolates, and the tools it offers', () => {
      const { runtime } = harness;
      expect(runtime.specificationVersion).toBe(1);
      expect(runtime.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(typeof runtime.isolated).toBe('boolean');
      const names = runtime.tools.map((tool) => tool.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toEqual(expect.arrayContaining(['bash', 'read_file', 'write_file', 'edit_file']));
      for (const tool of runtime.tools) {
        expect(tool.description.length).toBeGreaterThan(0);
        expect(tool.inputSchema.type).toBe('object');
      }
    });

    it('runs tools in the agent folder of the session', { timeout }, async () => {
      const spec = await harness.createSpec(newSessionId('run'));
      const sandbox = await harness.runtime.acquire(spec);
      expect(sandbox.sessionId).toBe(spec.sessionId);
      expect(sandbox.id).not.toBe('');
      const echo = await sandbox.call('bash', { command: 'echo hello; echo problem >&2; exit 4' });
      expect(echo.output).toMatchObject({ stdout: 'hello\n', stderr: 'problem\n', exitCode: 4 });
      expect(echo.durationMs).toBeGreaterThanOrEqual(0);
      await sandbox.call('write_file', { path: 'notes/contract.txt', content: 'written inside' });
      expect(await readFile(path.join(spec.agentFolder, 'notes/contract.txt'), 'utf8')).toBe('written inside');
      const read = await sandbox.call('read_file', { path: 'notes/contract.txt' });
      expect(read.output).toMatchObject({ content: 'written inside' });
      sandbox.release();
    });

    it("lists the tools the sandbox offers: the runtime's built-in tools, described alike", { timeout }, async () => {
      const sandbox = await harness.runtime.acquire(await harness.createSpec(newSessionId('tools')));
      const listed = await sandbox.listTools();
      expect(listed.map((tool) => tool.name)).toEqual(expect.arrayContaining(['bash', 'read_file', 'write_file']));
      for (const tool of listed) expect(harness.runtime.tools).toContainEqual(tool);
      expect(sandbox.id).not.toBe('');
      sandbox.release();
    });

    it('hands out the same warm sandbox while the session has one, and different ones to other sessions', {
      timeout,
    }, async () => {
      const spec = await harness.createSpec(newSessionId('warm'));
      const first = await harness.runtime.acquire(spec);
      await first.call('bash', { command: 'true' });
      first.release();
      const second = await harness.runtime.acquire(spec);
      expect(second.id).toBe(first.id);
      const other = await harness.runtime.acquire(await harness.createSpec(newSessionId('other')));
      expect(other.id).not.toBe(first.id);
      second.release();
      other.release();
    });

    it('refuses bad calls with typed errors and keeps answering', { timeout }, async () => {
      const sandbox = await harness.runtime.acquire(await harness.createSpec(newSessionId('bad')));
      await expectSandboxError(sandbox.call('no_such_tool', {}), 'invalid_input');
      await expectSandboxError(sandbox.call('bash', { command: 42 }), 'invalid_input');
      await expectSandboxError(sandbox.call('read_file', { path: '../../../../../../etc/passwd' }), 'invalid_input');
      await sandbox.call('write_file', { path: 'twice.txt', content: 'a a' });
      await expectSandboxError(sandbox.call('edit_file', { path: 'twice.txt', oldText: 'a', newText: 'b' }), 'tool_failed');
      await expectSandboxError(sandbox.call('read_file', { path: 'missing.txt' }), 'tool_failed');
      expect((await sandbox.call('bash', { command: 'echo fine' })).output).toMatchObject({ stdout: 'fine\n' });
      sandbox.release();
    });

    it('times out a long call quickly and stays usable', { timeout }, async () => {
      const sandbox = await harness.runtime.acquire(await harness.createSpec(newSessionId('timeout')));
      const started = Date.now();
      await expectSandboxError(sandbox.call('bash', { command: 'sleep 100' }, { timeoutMs: 1000 }), 'timeout');
      expect(Date.now() - started).toBeLessThan(4000);
      expect((await sandbox.call('bash', { command: 'echo after' })).output).toMatchObject({ stdout: 'after\n' });
      sandbox.release();
    });

    it('aborts a call when its signal fires, and streams progress', { timeout }, async () => {
      const sandbox = await harness.runtime.acquire(await harness.createSpec(newSessionId('abort')));
      const controller = new AbortController();
      const seen: string[] = [];
      const call = sandbox.call(
        'bash',
        { command: 'echo started; sleep 100' },
        {
          signal: controller.signal,
          onProgress: (progress) => {
            seen.push(`${progress.stream}:${progress.text}`);
            controller.abort();
          },
        },
      );
      const started = Date.now();
      await expectSandboxError(call, 'aborted');
      expect(Date.now() - started).toBeLessThan(5000);
      expect(seen).toEqual(['stdout:started\n']);
      expect((await sandbox.call('bash', { command: 'echo again' })).output).toMatchObject({ stdout: 'again\n' });
      sandbox.release();
    });

    it('lists sandboxes and reaps idle ones; a reaped sandbox refuses calls', { timeout }, async () => {
      const spec = await harness.createSpec(newSessionId('reap'));
      const sandbox = await harness.runtime.acquire(spec);
      const listed = (await harness.runtime.list()).find((info) => info.sessionId === spec.sessionId);
      expect(listed).toMatchObject({ id: sandbox.id, agentName: spec.agentName, state: 'idle', claims: 1, callsInFlight: 0 });
      expect(await harness.runtime.reap({ sessionId: spec.sessionId, idleForMs: 60_000 })).toBe(0);
      expect(await harness.runtime.reap({ sessionId: spec.sessionId, idleForMs: 0 })).toBe(1);
      expect((await harness.runtime.list()).some((info) => info.sessionId === spec.sessionId)).toBe(false);
      await expectSandboxError(sandbox.call('bash', { command: 'true' }), 'closed');
      const fresh = await harness.runtime.acquire(spec);
      expect(fresh.id).not.toBe(sandbox.id);
      expect((await fresh.call('bash', { command: 'echo fresh' })).output).toMatchObject({ stdout: 'fresh\n' });
      fresh.release();
    });

    it('close() stops a sandbox for good and the session then gets a new one', { timeout }, async () => {
      const spec = await harness.createSpec(newSessionId('close'));
      const sandbox = await harness.runtime.acquire(spec);
      await sandbox.close();
      await sandbox.close();
      await expectSandboxError(sandbox.call('bash', { command: 'true' }), 'closed');
      await expectSandboxError(sandbox.listTools(), 'closed');
      const next = await harness.runtime.acquire(spec);
      expect(next).not.toBe(sandbox);
      expect((await next.call('bash', { command: 'echo new' })).output).toMatchObject({ stdout: 'new\n' });
      await next.close();
    });

    it('refuses acquires after the runtime is closed', { timeout }, async () => {
      const own = await factory();
      try {
        const sandbox = await own.runtime.acquire(await own.createSpec(newSessionId('closing')));
        await own.runtime.close();
        await expectSandboxError(sandbox.call('bash', { command: 'true' }), 'closed');
        await expectSandboxError(own.runtime.acquire(await own.createSpec(newSessionId('late'))), 'closed');
        expect(await own.runtime.list()).toEqual([]);
        await own.runtime.close();
      } finally {
        await own.teardown?.();
      }
    });
  });
}
