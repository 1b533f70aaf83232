import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createProject, runCli } from './cli-harness';

let project: { dir: string; remove: () => void };
beforeAll(async () => {
  assertBuilt();
  project = await createProject('agent');
});
afterAll(() => project?.remove());

const ngb = (args: string[]) => runCli(args, { cwd: project.dir });

describe('ngb agent', { timeout: 60_000 }, () => {
  it.each([
    ['bad name', 'an agent folder name is 1 to 64 letters'],
    ['-dash-first', 'unknown option'],
    ['_under', 'an agent folder name is 1 to 64 letters'],
    ['a'.repeat(65), 'an agent folder name is 1 to 64 letters'],
    ['global', '"global" is reserved'],
    ['GLOBAL', '"global" is reserved'],
    ['../escape', 'an agent folder name is 1 to 64 letters'],
  ])('add refuses the folder name %j in one line', async (folder, reason) => {
    const result = await ngb(['agent', 'add', folder]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(reason);
    if (folder.toLowerCase() !== 'global') expect(existsSync(join(project.dir, 'agents', folder))).toBe(false);
  });

  it('add creates the folder with a starter AGENTS.md and registers the agent; ls shows it', async () => {
    const result = await ngb(['agent', 'add', 'research_2', '--name', 'Research']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('agent research_2 added');
    expect(readFileSync(join(project.dir, 'agents/research_2/AGENTS.md'), 'utf8')).toContain('# research_2');
    const listed = await ngb(['agent', 'ls']);
    expect(listed.stdout).toMatch(/^main\s+yes\s/m);
    expect(listed.stdout).toMatch(/^research_2\s+default\s+none\s+0\s/m);
    const json = JSON.parse((await ngb(['agent', 'ls', '--json'])).stdout);
    expect(json.map((agent: { folder: string; name: string }) => [agent.folder, agent.name])).toEqual([
      ['main', 'main'],
      ['research_2', 'Research'],
    ]);
  });

  it('add of an existing agent is one line and exit 1', async () => {
    const result = await ngb(['agent', 'add', 'main']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('agent "main" already exists');
  });
});
