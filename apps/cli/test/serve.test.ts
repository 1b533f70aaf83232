import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliBin, cliEnv, localRuntime, runCli, useProjectWithModel, waitFor } from './cli-harness';

const fixture = useProjectWithModel('serve', localRuntime);

function withChannels(channels: Record<string, unknown>): () => void {
  const file = join(fixture.project.dir, 'ngb.config.json');
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(original), channels }));
  return () => writeFileSync(file, original);
}

describe('ngb serve', { timeout: 60_000 }, () => {
  it('runs with the web chat and the dashboard on loopback, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [cliBin, 'serve', '--grace', '2'], {
      cwd: fixture.project.dir,
      env: cliEnv(fixture.model),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor(() => stdout.includes('gateway ready'), `serve to be ready (stderr: ${stderr})`, 20_000);
      expect(stdout).toContain('channels web');
      const url = /open\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      expect(url).toBeDefined();
      const ready = await fetch(`${url}/readyz`);
      expect(await ready.json()).toMatchObject({ status: 'ready', channels: { web: 'connected' } });
      const run = await runCli(['run', '-p', 'while serving'], { cwd: fixture.project.dir, env: fixture.model });
      expect(run.stdout).toBe('echo: while serving\n');
      expect(stdout).not.toContain('while serving');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout).toContain('stopped in');
    const log = readFileSync(join(fixture.project.dir, '.ngb/logs/gateway.jsonl'), 'utf8');
    expect(log).toContain('"msg":"gateway ready"');
    expect(log).toContain('"msg":"gateway stopped"');
  });

  it('writes one JSON object per line with --log-format json, the ready record carrying the address', async () => {
    const child = spawn(process.execPath, [cliBin, 'serve', '--grace', '2', '--log-format', 'json'], {
      cwd: fixture.project.dir,
      env: cliEnv(fixture.model),
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor(() => stdout.includes('"ngb serve ready"'), 'serve to be ready', 20_000);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const records = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const ready = records.find((record) => record.msg === 'ngb serve ready');
    expect(ready).toMatchObject({ level: 'info', channels: ['web'], runtime: 'local (NOT ISOLATED)' });
    expect(String(ready?.url)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(records.at(-1)).toMatchObject({ msg: 'ngb serve stopped' });
    expect(records.every((record) => typeof record.time === 'string' && typeof record.level === 'string')).toBe(true);
  });

  it('--host replaces dashboard.host, and an address other than loopback still needs the token', async () => {
    const refused = await runCli(['serve', '--host', '0.0.0.0'], { cwd: fixture.project.dir, env: fixture.model });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('refusing to listen on 0.0.0.0 without an auth token');
    const badPort = await runCli(['serve', '--port', '70000'], { cwd: fixture.project.dir, env: fixture.model });
    expect(badPort.code).toBe(1);
    expect(badPort.stderr.trim()).toBe('✖ --port must be a whole number from 0 to 65535, not "70000"');
  });

  it('refuses an unknown --log-format in one line', async () => {
    const result = await runCli(['serve', '--log-format', 'xml'], { cwd: fixture.project.dir, env: fixture.model });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('✖ --log-format must be text or json (got "xml")');
  });

  it('refuses in one line when a configured channel lacks an option it needs', async () => {
    const restore = withChannels({ feishu: { enabled: true } });
    try {
      const result = await runCli(['serve'], {
        cwd: fixture.project.dir,
        env: { ...fixture.model, FEISHU_APP_SECRET: '123:secret-token' },
      });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        '✖ channel "feishu": key "channels.feishu.appId" is invalid: Invalid key: Expected "appId" but received undefined',
      );
      expect(result.stdout + result.stderr).not.toContain('123:secret-token');
    } finally {
      restore();
    }
  });

  it('names the missing secret of an enabled channel', async () => {
    const restore = withChannels({ discord: { enabled: true } });
    try {
      const result = await runCli(['serve'], { cwd: fixture.project.dir, env: fixture.model });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        '✖ channel "discord" is enabled in ngb.config.json but DISCORD_BOT_TOKEN (the bot token) is not set',
      );
    } finally {
      restore();
    }
  });

  it('a disabled channel is not composed', async () => {
    const restore = withChannels({ telegram: { enabled: false } });
    try {
      const child = spawn(process.execPath, [cliBin, 'serve'], { cwd: fixture.project.dir, env: cliEnv(fixture.model) });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
      });
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      try {
        await waitFor(() => stdout.includes('gateway ready'), 'serve to be ready', 20_000);
      } finally {
        child.kill('SIGINT');
      }
      expect(await exited).toBe(0);
    } finally {
      restore();
    }
  });

  it('without a model it says which variables to set', async () => {
    const result = await runCli(['serve'], { cwd: fixture.project.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('set ANTHROPIC_API_KEY (Anthropic) or OPENAI_API_KEY (OpenAI), or set OPENAI_BASE_URL');
  });
});
