import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@ngb/plugin-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { agentsDirProblem } from './agents-dir-policy';
import { loadConfig } from './load-config';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-agents-dir-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
/** A project whose config says `config`, with `agents` made by `prepare`; returns the load error. */
function loadError(config: object, prepare?: (root: string) => void): ConfigError | undefined {
  counter += 1;
  const root = join(scratch, `project-${counter}`);
  mkdirSync(root);
  writeFileSync(join(root, 'ngb.config.json'), JSON.stringify(config));
  prepare?.(root);
  try {
    loadConfig({ env: {}, cwd: root });
    return undefined;
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
}

describe('the agents folder (agentsDir) at load', () => {
  it.each([
    ['/', {}, 'is a system folder; every folder in it would become an agent'],
    ['/etc', {}, 'is a system folder (/etc)'],
    ['/usr/local/agents', {}, 'is a system folder (/usr)'],
    ['/var', { allowAgentsDirOutsideProject: true }, 'is a system folder'],
    ['/home', { allowAgentsDirOutsideProject: true }, 'is a system folder'],
    ['/', { allowAgentsDirOutsideProject: true }, 'is a system folder'],
    ['.', {}, 'is or holds the project folder'],
    ['..', { allowAgentsDirOutsideProject: true }, 'is or holds the project folder'],
    ['../elsewhere', {}, 'is outside the project folder'],
  ])('refuses %j (with %j) naming agentsDir', (agentsDir, extra, reason) => {
    const error = loadError({ agentsDir, ...extra });
    expect(error?.key).toBe('agentsDir');
    expect(error?.message).toMatch(/: key "agentsDir": /);
    expect(error?.message).toContain(reason);
  });

  it('says how to allow a folder outside the project, and allows it when asked', () => {
    expect(loadError({ agentsDir: '../elsewhere' })?.message).toContain('set "allowAgentsDirOutsideProject": true');
    expect(loadError({ agentsDir: '../elsewhere', allowAgentsDirOutsideProject: true })).toBeUndefined();
    expect(loadError({ agentsDir: 'agents' })).toBeUndefined();
    expect(loadError({ agentsDir: 'deep/er/agents' })).toBeUndefined();
  });

  it('resolves links: an agents folder that is a link to / or out of the project is refused', () => {
    const toRoot = loadError({}, (root) => symlinkSync('/', join(root, 'agents')));
    expect(toRoot?.message).toMatch(/key "agentsDir": .*agents \(\/\) is a system folder/);
    const out = loadError({}, (root) => {
      mkdirSync(join(root, '..', `outside-${counter}`));
      symlinkSync(join(root, '..', `outside-${counter}`), join(root, 'agents'));
    });
    expect(out?.message).toContain('is outside the project folder');
  });

  it('refuses an agents folder holding the data folder (the database would be an agent folder)', () => {
    expect(loadError({ agentsDir: 'state', dataDir: 'state/data' })?.message).toContain('holds the data folder');
  });

  it('refuses the home folder itself, even when folders outside the project are allowed', () => {
    const home = join(scratch, 'home-of-someone');
    const context = {
      root: join(home, 'project'),
      dataDir: join(home, 'project/.ngb'),
      allowOutsideProject: true,
      homeDir: home,
    };
    expect(agentsDirProblem({ ...context, agentsDir: home })).toContain('is or holds the home folder');
    expect(agentsDirProblem({ ...context, agentsDir: join(home, 'agents') })).toBeUndefined();
  });
});
