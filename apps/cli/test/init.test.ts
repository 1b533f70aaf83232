import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, runCli } from './cli-harness';

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), 'ngb-cli-init-'));
});
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('ngb init', { timeout: 60_000 }, () => {
  it('creates the config, the data directory with the database, and the main and global agent folders', async () => {
    const result = await runCli(['init'], { cwd: dir });
    expect(result.code).toBe(0);
    for (const path of ['ngb.config.json', '.ngb/ngb.db', '.ngb/logs', 'agents/main/AGENTS.md', 'agents/global/AGENTS.md']) {
      expect(existsSync(join(dir, path)), path).toBe(true);
    }
    const config = JSON.parse(readFileSync(join(dir, 'ngb.config.json'), 'utf8'));
    expect(config.dataDir).toBe('.ngb');
    expect(result.stdout).toContain('created  agents/main/AGENTS.md');
    expect(result.stdout).toContain('agents: main');
  });

  it('is idempotent: a second run keeps everything, including edited files', async () => {
    writeFileSync(join(dir, 'agents/main/AGENTS.md'), '# my own instructions\n');
    const configBefore = readFileSync(join(dir, 'ngb.config.json'), 'utf8');
    const result = await runCli(['init'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Nothing to create');
    expect(result.stdout).not.toContain('created');
    expect(readFileSync(join(dir, 'agents/main/AGENTS.md'), 'utf8')).toBe('# my own instructions\n');
    expect(readFileSync(join(dir, 'ngb.config.json'), 'utf8')).toBe(configBefore);
  });

  it('--dir creates the project elsewhere', async () => {
    const result = await runCli(['init', '--dir', 'nested/project'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(existsSync(join(dir, 'nested/project/ngb.config.json'))).toBe(true);
    expect(existsSync(join(dir, 'nested/project/.ngb/ngb.db'))).toBe(true);
  });

  it('an invalid config is refused in one line naming the key, and is not rewritten', async () => {
    const other = join(dir, 'invalid');
    await runCli(['init', '--dir', other], { cwd: dir });
    const file = join(other, 'ngb.config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.runtime.driver = 'dockr';
    writeFileSync(file, JSON.stringify(config));
    const result = await runCli(['init'], { cwd: other });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('key "runtime.driver" must be "docker" or "local"');
    expect(readFileSync(file, 'utf8')).toBe(JSON.stringify(config));
  });

  it('broken JSON is named with the file, exit 1', async () => {
    const other = join(dir, 'broken');
    await runCli(['init', '--dir', other], { cwd: dir });
    writeFileSync(join(other, 'ngb.config.json'), '{ "dataDir": ');
    const result = await runCli(['agent', 'ls'], { cwd: other });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ngb.config.json is not valid JSON');
  });

  it('unknown keys are a warning, not a refusal', async () => {
    const other = join(dir, 'unknown');
    await runCli(['init', '--dir', other], { cwd: dir });
    const file = join(other, 'ngb.config.json');
    const config = JSON.parse(readFileSync(file, 'utf8'));
    config.colour = 'blue';
    config.runtime.flavour = 'fast';
    writeFileSync(file, JSON.stringify(config));
    const result = await runCli(['agent', 'ls'], { cwd: join(other, 'agents') });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('unknown key "colour" is ignored');
    expect(result.stderr).toContain('unknown key "runtime.flavour" is ignored');
    expect(result.stdout).toContain('main');
  });

  it.each([
    ['agents/main/AGENTS.md', 'agents/main/AGENTS.md is a symbolic link (to /nowhere/AGENTS.md, which does not exist)'],
    ['agents/main', 'agents/main is a symbolic link (to /nowhere/AGENTS.md, which does not exist)'],
    ['agents/global', 'agents/global is a symbolic link (to /nowhere/AGENTS.md, which does not exist)'],
  ])('over a dangling link at %s says what is wrong and how to fix it, exit 1', async (where, what) => {
    const other = mkdtempSync(join(tmpdir(), 'ngb-cli-init-link-'));
    try {
      mkdirSync(join(other, where, '..'), { recursive: true });
      symlinkSync('/nowhere/AGENTS.md', join(other, where));
      const result = await runCli(['init'], { cwd: other });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `✖ ${what}; the gateway reads nothing through links in the agents folder: remove it (rm ${where}), then run \`ngb init\` again`,
      );
      expect(result.stderr).not.toContain('EEXIST');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('over a dangling link as the agents folder or the config file names the missing target', async () => {
    const other = mkdtempSync(join(tmpdir(), 'ngb-cli-init-link-'));
    try {
      symlinkSync(join(other, 'gone'), join(other, 'agents'));
      const agentsResult = await runCli(['init'], { cwd: other });
      expect(agentsResult.code).toBe(1);
      expect(agentsResult.stderr.trim()).toBe(
        `✖ agents is a symbolic link to ${join(other, 'gone')}, which does not exist: create ${join(other, 'gone')} or remove the link (rm agents), then run \`ngb init\` again`,
      );
      rmSync(join(other, 'agents'));
      rmSync(join(other, 'ngb.config.json'));
      symlinkSync('/nowhere/ngb.config.json', join(other, 'ngb.config.json'));
      const configResult = await runCli(['init'], { cwd: other });
      expect(configResult.code).toBe(1);
      expect(configResult.stderr).toContain(
        'ngb.config.json is a symbolic link to /nowhere/ngb.config.json, which does not exist',
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('keeps a data folder that is a link to an existing folder', async () => {
    const other = mkdtempSync(join(tmpdir(), 'ngb-cli-init-link-'));
    try {
      mkdirSync(join(other, 'real-data'));
      symlinkSync(join(other, 'real-data'), join(other, '.ngb'));
      const result = await runCli(['init'], { cwd: other });
      expect(result.code, result.stderr).toBe(0);
      expect(existsSync(join(other, 'real-data', 'ngb.db'))).toBe(true);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
