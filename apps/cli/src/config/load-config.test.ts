import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@ngb/plugin-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { findConfigFile, loadConfig, parseConfig } from './load-config';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function refusal(text: string): ConfigError {
  try {
    parseConfig(text, join(scratch, 'ngb.config.json'));
  } catch (error) {
    if (ConfigError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('the config was accepted');
}

describe('parseConfig', () => {
  it('fills the defaults of an empty object', () => {
    const { config, warnings } = parseConfig('{}', 'ngb.config.json');
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      dataDir: '.ngb',
      agentsDir: 'agents',
      runtime: { driver: 'auto', image: 'ngb-agent:latest', maxSandboxes: 5 },
    });
    expect(config.allowLocalRuntime).toBe(false);
  });

  it('names the key at fault, nested ones with dots', () => {
    expect(refusal('{"runtime":{"maxSandboxes":0}}')).toMatchObject({ key: 'runtime.maxSandboxes' });
    expect(refusal('{"runtime":{"maxSandboxes":0}}').message).toContain('key "runtime.maxSandboxes" must be at least 1');
    expect(refusal('{"model":{"provider":"mistral"}}').message).toContain('key "model.provider" must be "openai" or "anthropic"');
    expect(refusal('{"model":{"baseURL":"localhost"}}').message).toContain('key "model.baseURL" must be a URL');
    expect(refusal('{"channels":{"irc":{}}}').message).toContain('key "channels.irc"');
    expect(refusal('{"agents":{"bad name":{}}}').message).toContain('is not a valid agent folder name');
    expect(refusal('{"dataDir":5}').message).toMatch(/key "dataDir" is invalid: type: Expected string but received 5/);
  });

  it('refuses the egress network, naming the key and the egress proxy', () => {
    const error = refusal('{"agents":{"main":{"network":"egress"}}}');
    expect(error).toMatchObject({ key: 'agents.main.network' });
    expect(error.message).toContain('key "agents.main.network" is "egress", which is not available yet');
    expect(error.message).toContain('egress proxy');
    expect(parseConfig('{"agents":{"main":{"network":"none"}}}', 'ngb.config.json').config.agents.main?.network).toBe('none');
  });

  it('reads extra mounts of an agent, with ~ expanded, and refuses malformed ones naming the key', () => {
    const { config, warnings } = parseConfig(
      JSON.stringify({
        agents: {
          main: {
            mounts: [{ hostPath: '/srv/docs' }, { hostPath: '~/notes', containerPath: 'notes', readonly: true, readOnly: false }],
          },
        },
      }),
      join(scratch, 'ngb.config.json'),
    );
    expect(config.agents.main?.mounts).toEqual([
      { hostPath: '/srv/docs' },
      { hostPath: join(homedir(), 'notes'), containerPath: 'notes', readonly: true },
    ]);
    expect(warnings).toEqual([expect.stringContaining('unknown key "agents.main.mounts.1.readOnly" is ignored')]);
    expect(refusal('{"agents":{"main":{"mounts":[{"containerPath":"x"}]}}}')).toMatchObject({
      key: 'agents.main.mounts.0.hostPath',
    });
    expect(refusal('{"agents":{"main":{"mounts":[{"hostPath":"docs"}]}}}').message).toContain(
      'key "agents.main.mounts.0.hostPath" must be an absolute host path',
    );
    expect(refusal('{"agents":{"main":{"mounts":[{"hostPath":"/srv","readonly":"yes"}]}}}').message).toContain(
      'key "agents.main.mounts.0.readonly" must be true or false',
    );
    expect(refusal('{"agents":{"main":{"mounts":{"hostPath":"/srv"}}}}').message).toContain(
      'key "agents.main.mounts" must be a list',
    );
  });

  it('refuses what is not JSON, or not an object', () => {
    expect(refusal('{ "dataDir": ').message).toContain('is not valid JSON');
    expect(refusal('[1, 2]').message).toContain('must hold a JSON object');
  });

  it('warns about unknown keys at any depth, but not inside channel options', () => {
    const { warnings } = parseConfig(
      JSON.stringify({
        extra: 1,
        runtime: { turbo: true },
        agents: { main: { mood: 'happy' } },
        channels: { telegram: { enabled: false, pollingTimeout: 5 } },
      }),
      join(scratch, 'ngb.config.json'),
    );
    expect(warnings.map((warning) => warning.replace(/^.*: unknown/, 'unknown'))).toEqual([
      'unknown key "extra" is ignored',
      'unknown key "runtime.turbo" is ignored',
      'unknown key "agents.main.mood" is ignored',
    ]);
  });
});

describe('loadConfig', () => {
  const project = join(scratch, 'project');
  mkdirSync(join(project, 'deep/er'), { recursive: true });
  writeFileSync(join(project, 'ngb.config.json'), '{"dataDir":"state"}');

  it('finds the config from a subdirectory and resolves paths against its directory', () => {
    expect(findConfigFile(join(project, 'deep/er'))).toBe(join(project, 'ngb.config.json'));
    const loaded = loadConfig({ env: {}, cwd: join(project, 'deep/er') });
    expect(loaded.paths).toMatchObject({
      root: project,
      dataDir: join(project, 'state'),
      database: join(project, 'state/ngb.db'),
      logFile: join(project, 'state/logs/gateway.jsonl'),
      agentsDir: join(project, 'agents'),
    });
  });

  it('takes --config first, then NGB_CONFIG', () => {
    const other = join(scratch, 'other.json');
    writeFileSync(other, '{"dataDir":"elsewhere"}');
    expect(loadConfig({ env: { NGB_CONFIG: other }, cwd: project }).paths.dataDir).toBe(join(scratch, 'elsewhere'));
    expect(loadConfig({ configOption: 'ngb.config.json', env: { NGB_CONFIG: other }, cwd: project }).paths.dataDir).toBe(
      join(project, 'state'),
    );
    expect(() => loadConfig({ env: { NGB_CONFIG: join(scratch, 'missing.json') }, cwd: project })).toThrow(
      /\(from NGB_CONFIG\): no such file/,
    );
  });

  it('says to run `ngb init` when there is no config anywhere up', () => {
    expect(() => loadConfig({ env: {}, cwd: '/' })).toThrow(/run `ngb init` here, or pass --config <file>/);
  });
});
