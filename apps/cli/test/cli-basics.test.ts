import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from './cli-harness';

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ngb-cli-basics-'));
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('ngb help, version and bad input', { timeout: 60_000 }, () => {
  it('`ngb --help` lists every command and exits 0', async () => {
    const result = await runCli(['--help'], { cwd: dir });
    expect(result.code).toBe(0);
    for (const command of ['init', 'serve', 'run', 'shell', 'logs', 'session', 'agent', 'chat', 'channel', 'image', 'doctor']) {
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\s`, 'm'));
    }
    expect(result.stderr).toBe('');
  });

  it('`ngb --version` prints the version of the package', async () => {
    const result = await runCli(['--version'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('`ngb`, `ngb --help`, `ngb help` and `ngb --version` answer without the ES module loader; a command loads the CLI', async () => {
    // NODE_DEBUG=esm makes Node's ES module loader say what it loads, on stderr.
    const env = { NODE_DEBUG: 'esm' };
    const help = await runCli(['--help'], { cwd: dir });
    for (const args of [[], ['--help'], ['-h'], ['help'], ['--version']]) {
      const result = await runCli(args, { cwd: dir, env });
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toMatch(args[0] === '--version' ? /^\d+\.\d+\.\d+\n$/ : /^ngb \d/);
      if (args[0] !== '--version') expect(result.stdout).toBe(help.stdout);
    }
    const command = await runCli(['--debug', '--help'], { cwd: dir, env });
    expect(command.code).toBe(0);
    expect(command.stdout).toBe(help.stdout);
    expect(command.stderr).toMatch(/^ESM \d+: .*dist\/bin\.js/m);
  });

  it('`ngb run --help` shows the flags of run, including the exit codes', async () => {
    const result = await runCli(['run', '--help'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--prompt');
    expect(result.stdout).toContain('--timeout');
    expect(result.stdout).toContain('124');
  });

  it('`ngb help session ls` is the help of the subcommand', async () => {
    const result = await runCli(['help', 'session', 'ls'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ngb session ls');
    expect(result.stdout).toContain('--agent');
  });

  it('an unknown command is one line on stderr with a suggestion, exit 1', async () => {
    const result = await runCli(['rnu'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('unknown command "rnu"');
    expect(result.stderr).toContain('did you mean "run"?');
  });

  it('an unknown subcommand is one line naming the group, exit 1', async () => {
    const result = await runCli(['session', 'lsit'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('ngb session: unknown command "lsit" (did you mean "ls"?)');
  });

  it('an unknown flag is one line and no stack trace, exit 1', async () => {
    const result = await runCli(['run', '--frobnicate', '-p', 'hi'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('✖ ngb run: unknown option --frobnicate (see `ngb run --help`)');
  });

  it('a flag without its value is named, exit 1', async () => {
    const result = await runCli(['logs', '-n'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('option --lines needs a value');
  });

  it('a missing positional is named, exit 1', async () => {
    const result = await runCli(['session', 'show'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('✖ ngb session show: missing <id> (see `ngb session show --help`)');
  });

  it('outside a project, commands say to run `ngb init` (one line, exit 1)', async () => {
    const result = await runCli(['session', 'ls'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('no ngb.config.json in');
    expect(result.stderr).toContain('run `ngb init`');
    expect(result.stderr).not.toContain('    at ');
  });

  it('an unreadable --config file is one line naming it, exit 1', async () => {
    const result = await runCli(['agent', 'ls', '--config', 'nowhere.json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot read the config file ${join(dir, 'nowhere.json')} (from --config): no such file`);
  });

  it('--debug adds the stack trace', async () => {
    const result = await runCli(['agent', 'ls', '--config', 'nowhere.json', '--debug'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot read the config file');
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});
