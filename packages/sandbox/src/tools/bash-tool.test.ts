import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, outputOf, type ServerHarness, startServerHarness } from '../__fixtures__/server-harness';
import type { MemoryProbe } from '../memory-probe';
import type { BashOutput } from '../tool-schemas';

let harness: ServerHarness;
beforeAll(async () => {
  harness = await startServerHarness({ maxOutputBytes: 64 * 1024, env: { PATH: process.env.PATH, GREETING: 'hi' } });
});
afterAll(() => harness.close());

const bash = async (command: string, extra: { timeoutMs?: number } = {}) => harness.request('bash', { command }, extra);

async function isAlive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== '' && state !== 'Z' && state !== 'X';
}

describe('bash tool', () => {
  it('captures stdout and stderr separately with the exit code, in the agent folder', async () => {
    const output = outputOf<BashOutput>(await bash('pwd; echo oops >&2; exit 3'));
    expect(output).toEqual({
      stdout: `${harness.agentDirectory}\n`,
      stderr: 'oops\n',
      exitCode: 3,
      signal: null,
      truncated: false,
    });
  });

  it('runs with the given environment only', async () => {
    process.env.NGB_CANARY_BASH_TEST = 'must-not-leak';
    try {
      const output = outputOf<BashOutput>(await bash('echo "$GREETING"; env'));
      expect(output.stdout.startsWith('hi\n')).toBe(true);
      expect(output.stdout).not.toContain('must-not-leak');
    } finally {
      delete process.env.NGB_CANARY_BASH_TEST;
    }
  });

  it('runs in a directory of the workspace and refuses one outside it', async () => {
    await bash('mkdir -p sub');
    expect(outputOf<BashOutput>(await harness.request('bash', { command: 'pwd', cwd: 'sub' })).stdout).toBe(
      `${path.join(harness.agentDirectory, 'sub')}\n`,
    );
    expect(errorOf(await harness.request('bash', { command: 'pwd', cwd: '../..' })).code).toBe('path_outside_workspace');
  });

  it('times out, killing the whole process group, within the limit plus a little', async () => {
    const started = Date.now();
    const answer = await bash('sleep 100 & echo $! > bg.pid; echo waiting; sleep 100', { timeoutMs: 1000 });
    expect(Date.now() - started).toBeLessThan(2500);
    expect(errorOf(answer)).toMatchObject({ code: 'timeout', message: expect.stringMatching(/1000 ms[\s\S]*waiting/) });
    const backgroundPid = Number(await readFile(path.join(harness.agentDirectory, 'bg.pid'), 'utf8'));
    expect(await isAlive(backgroundPid)).toBe(false);
    expect(outputOf<BashOutput>(await bash('echo next')).stdout).toBe('next\n');
  });

  it('does not wait for background jobs the script leaves behind', async () => {
    const started = Date.now();
    const output = outputOf<BashOutput>(await bash('sleep 30 & echo quick'));
    expect(output.stdout).toBe('quick\n');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('caps 5 MB of output with the truncation marker', async () => {
    const output = outputOf<BashOutput>(await bash('head -c 5242880 /dev/zero | tr "\\0" a; echo; echo end'));
    expect(output.truncated).toBe(true);
    expect(output.stdout).toMatch(/\[ngb: output truncated: 5242885 bytes in total, \d+ bytes omitted here\]/);
    expect(output.stdout.endsWith('a\nend\n')).toBe(true);
    expect(output.stdout.length).toBeLessThan(70 * 1024);
  });
});

describe('bash tool: out of memory', () => {
  it('reports a kill as out of memory when the cgroup counted an OOM kill during the call', async () => {
    let kills = 0;
    const memoryProbe: MemoryProbe = { oomKills: async () => kills, limitBytes: async () => 256 * 1024 * 1024 };
    const local = await startServerHarness({ memoryProbe, env: { PATH: process.env.PATH } });
    try {
      kills = 0;
      const killed = local.request('bash', { command: 'echo allocating; kill -9 $$' });
      kills = 1;
      expect(errorOf(await killed)).toMatchObject({
        code: 'out_of_memory',
        message: /out of memory \(limit 256 MiB\)[\s\S]*allocating/,
      });
      const plain = outputOf<BashOutput>(await local.request('bash', { command: 'kill -9 $$' }));
      expect(plain).toMatchObject({ exitCode: null, signal: 'SIGKILL' });
    } finally {
      await local.close();
    }
  });
});
