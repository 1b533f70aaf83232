import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotSupportedError, SandboxError, type SandboxSpec } from '@ngb/plugin-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFolders, createAgentFolders } from './__fixtures__/agent-folders';
import { buildSandboxProgram } from './__fixtures__/sandbox-program';
import { createLocalRuntime } from './local-runtime';

let folders: AgentFolders;
let program: string;

beforeAll(async () => {
  folders = await createAgentFolders('local');
  program = await buildSandboxProgram();
});
afterAll(() => folders.remove());

async function spec(sessionId: string, extra: Partial<SandboxSpec> = {}): Promise<SandboxSpec> {
  return { sessionId, agentFolder: await folders.make('agent'), agentName: 'Local', isMain: false, ...extra };
}

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return SandboxError.isInstance(error) ? error.reason : `not a SandboxError: ${String(error)}`;
  }
}

describe('createLocalRuntime', () => {
  it('says plainly that it does not isolate', () => {
    const runtime = createLocalRuntime({ program });
    expect(runtime).toMatchObject({ name: 'local', isolated: false });
  });

  it('passes none of the gateway environment to the sandbox unless told to', async () => {
    process.env.NGB_CANARY_SECRET = 'canary-7f3a-local';
    const runtime = createLocalRuntime({ program });
    try {
      const sandbox = await runtime.acquire(await spec('env'));
      const result = await sandbox.call('bash', { command: 'env' });
      expect(JSON.stringify(result.output)).not.toContain('canary-7f3a-local');
      const custom = createLocalRuntime({ program, env: { PATH: '/usr/bin:/bin', ONLY_THIS: 'yes' } });
      const other = await custom.acquire(await spec('env-custom'));
      expect((await other.call('bash', { command: 'echo "$ONLY_THIS"' })).output).toMatchObject({ stdout: 'yes\n' });
      await custom.close();
    } finally {
      delete process.env.NGB_CANARY_SECRET;
      await runtime.close();
    }
  });

  it('refuses extra mounts, bad folders and bad specs before starting anything', async () => {
    const runtime = createLocalRuntime({ program });
    try {
      const mount = { hostPath: folders.base, containerPath: 'data' };
      expect(await reasonOf(runtime.acquire(await spec('mounts', { mounts: [mount] })))).toBe('mount_refused');
      expect(await reasonOf(runtime.acquire({ ...(await spec('missing')), agentFolder: `${folders.base}/nope` }))).toBe(
        'invalid_input',
      );
      expect(await reasonOf(runtime.acquire({ ...(await spec('global')), agentFolder: `${folders.base}/global` }))).toBe(
        'invalid_input',
      );
      expect(await reasonOf(runtime.acquire({ ...(await spec('relative')), agentFolder: 'agents/main' }))).toBe('invalid_input');
      expect(await reasonOf(runtime.acquire(await spec('limits', { limits: { pids: -1 } })))).toBe('invalid_input');
      expect(await reasonOf(runtime.acquire(await spec('')))).toBe('invalid_input');
      expect(await runtime.list()).toEqual([]);
    } finally {
      await runtime.close();
    }
  });

  it('refuses an egress allowlist, which it cannot enforce, and never starts the program with the full network', async () => {
    const runtime = createLocalRuntime({ program });
    try {
      const error = await runtime
        .acquire(await spec('egress', { network: { allow: ['example.com'] } }))
        .catch((caught: unknown) => caught);
      expect(NotSupportedError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/^\[@ngb\/runtime\] the local runtime cannot limit the network/);
      expect((error as Error).message).toMatch(/example\.com/);
      expect((error as Error).message).toMatch(/Use the Docker runtime/);
      expect(await runtime.list()).toEqual([]);
    } finally {
      await runtime.close();
    }
  });

  it('says how to build the sandbox program when it is missing', async () => {
    const runtime = createLocalRuntime({ program: `${folders.base}/no-such-bin.js` });
    const error = await runtime.acquire(await spec('no-program')).catch((caught: unknown) => caught);
    expect(SandboxError.isInstance(error) && error.reason).toBe('image_missing');
    expect((error as Error).message).toMatch(/pnpm build/);
    expect(await runtime.list()).toEqual([]);
    await runtime.close();
  });

  it('notices a killed sandbox process: the running call fails and the next call gets a fresh one', async () => {
    const runtime = createLocalRuntime({ program });
    try {
      const sandbox = await runtime.acquire(await spec('killed'));
      const firstId = sandbox.id;
      const running = sandbox.call('bash', { command: 'sleep 30' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      process.kill(Number(firstId.slice('pid:'.length)), 'SIGKILL');
      const error = await running.catch((caught: unknown) => caught);
      expect(SandboxError.isInstance(error) && error.reason).toBe('crashed');
      expect((error as Error).message).toMatch(/SIGKILL/);
      expect((await sandbox.call('bash', { command: 'echo back' })).output).toMatchObject({ stdout: 'back\n' });
      expect(sandbox.id).not.toBe(firstId);
    } finally {
      await runtime.close();
    }
  });

  it('tells the program it is not isolated: on its own, the program refuses to serve on the host', async () => {
    const folder = await folders.make('agent');
    const alone = spawnSync(process.execPath, [program, '--root', folder], { input: '', encoding: 'utf8' });
    expect(alone.status).toBe(1);
    expect(alone.stdout).toBe('');
    expect(alone.stderr).toMatch(
      /refusing to serve: the tools it runs could write forged answers into its stdio, because it (runs as root|is dumpable)/,
    );
    expect(alone.stderr).toMatch(/--not-isolated/);
    const runtime = createLocalRuntime({ program });
    try {
      const sandbox = await runtime.acquire(await spec('not-isolated'));
      expect((await sandbox.call('bash', { command: 'echo served' })).output).toMatchObject({ stdout: 'served\n' });
    } finally {
      await runtime.close();
    }
  });

  it('rejects options it cannot use, naming the key', () => {
    expect(() => createLocalRuntime({ maxSandboxes: 0 })).toThrow(/maxSandboxes/);
    expect(() => createLocalRuntime({ idleTimeoutMs: -5 })).toThrow(/idleTimeoutMs/);
    // Past 2^31-1 ms a timer fires at once: the sandbox would be reaped, or every call time out, at once.
    expect(() => createLocalRuntime({ idleTimeoutMs: 3e9 })).toThrow(
      /option "idleTimeoutMs" is invalid: must be at most 2147483647 ms/,
    );
    expect(() => createLocalRuntime({ defaultTimeoutMs: 3e9 })).toThrow(
      /option "defaultTimeoutMs" is invalid: must be at most 86400000 ms/,
    );
  });
});

describe('sandbox environment', () => {
  it('passes settings from the spec and refuses secret-looking names', async () => {
    const base = await mkdtemp(join(tmpdir(), 'ngb-env-'));
    const folder = join(base, 'agent');
    await mkdir(folder);
    const runtime = createLocalRuntime();
    try {
      const sandbox = await runtime.acquire({
        sessionId: 'env-1',
        agentFolder: folder,
        agentName: 'a',
        isMain: false,
        env: { GREETING: 'hi there' },
      });
      const result = await sandbox.call('bash', { command: 'echo "$GREETING"' });
      expect((result.output as { stdout: string }).stdout).toBe('hi there\n');
      sandbox.release();
      for (const name of ['API_KEY', 'GITHUB_TOKEN', 'DB_PASSWORD', 'bad-name']) {
        await expect(
          runtime.acquire({ sessionId: `env-${name}`, agentFolder: folder, agentName: 'a', isMain: false, env: { [name]: 'x' } }),
        ).rejects.toThrow(name === 'bad-name' ? /not a valid variable name/ : /looks like the name of a secret/);
      }
    } finally {
      await runtime.close();
      await rm(base, { recursive: true, force: true });
    }
  });
});
