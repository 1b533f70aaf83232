import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, cliBin, cliEnv, createProject, localRuntime, runCli, waitFor } from './cli-harness';

let server: FakeLlmServer;
let project: { dir: string; remove: () => void };
const secret = 'sk-test-this-must-never-be-printed';
let model: Record<string, string>;

beforeAll(async () => {
  assertBuilt();
  server = await createFakeLlmServer({ acceptAnyModel: true, apiKey: secret });
  model = { OPENAI_BASE_URL: `${server.url}/v1`, OPENAI_API_KEY: secret };
  project = await createProject('logs', localRuntime);
  const result = await runCli(['run', '-p', 'write the log', '--stream'], { cwd: project.dir, env: model });
  if (result.code !== 0) throw new Error(result.stderr);
});
afterAll(async () => {
  await server?.close();
  project?.remove();
});

const ngb = (args: string[]) => runCli(args, { cwd: project.dir });

describe('ngb logs', { timeout: 60_000 }, () => {
  it('shows the gateway events of the run, one readable line each', async () => {
    const result = await ngb(['logs']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{3} info\s+run\s+message\.received .*senderId=/m);
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d\.\d{3} info\s+run\s+turn\.end .*status=succeeded/m);
    expect(result.stdout).not.toContain('text.delta');
  });

  it('keeps message text out of an info-level log file; a debug-level one has it at debug', async () => {
    const file = join(project.dir, '.ngb/logs/gateway.jsonl');
    const infoLog = readFileSync(file, 'utf8');
    expect(infoLog).toContain('"event":"message.received"');
    expect(infoLog).not.toContain('write the log');
    expect(infoLog).not.toContain('echo: write the log');
    const debugRun = await runCli(['run', '-p', 'debug words', '--debug'], { cwd: project.dir, env: model });
    expect(debugRun.code).toBe(0);
    const debugLines = await ngb(['logs', '--json', '--level', 'debug', '-n', '200']);
    const carrying = debugLines.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .filter((record) => JSON.stringify(record).includes('debug words'));
    expect(carrying.length).toBeGreaterThan(0);
    expect(carrying.every((record) => record.level === 'debug')).toBe(true);
  });

  it('--level debug includes every text delta; --level error hides the rest', async () => {
    expect((await ngb(['logs', '--level', 'debug'])).stdout).toContain('text.delta');
    expect((await ngb(['logs', '--level', 'error'])).stdout).toBe('');
    const bad = await ngb(['logs', '--level', 'loud']);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('✖ --level must be one of debug, info, warn, error, not "loud"');
  });

  it('--json prints the stored JSON lines; -n limits them', async () => {
    const result = await ngb(['logs', '--json', '-n', '3']);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    for (const line of lines)
      expect(JSON.parse(line)).toMatchObject({ time: expect.any(String), level: expect.any(String), pid: expect.any(Number) });
  });

  it('never contains the API key', () => {
    const text = readFileSync(join(project.dir, '.ngb/logs/gateway.jsonl'), 'utf8');
    expect(text).toContain('turn.end');
    expect(text).not.toContain(secret);
  });

  it('-f follows a running gateway live', async () => {
    const follower = spawn(process.execPath, [cliBin, 'logs', '-f', '--json', '-n', '0'], { cwd: project.dir, env: cliEnv() });
    let output = '';
    follower.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => follower.once('exit', resolve));
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const run = await runCli(['run', '-p', 'followed live'], { cwd: project.dir, env: model });
      expect(run.code).toBe(0);
      const line = await waitFor(
        () => output.split('\n').find((candidate) => candidate.includes('"event":"turn.end"')),
        'the turn.end line of the followed run',
      );
      expect(JSON.parse(line)).toMatchObject({ event: 'turn.end', status: 'succeeded', command: 'run' });
    } finally {
      follower.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
