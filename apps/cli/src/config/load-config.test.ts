import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  it('takes a size limit per agent (default 1024 MiB), and runs without limits only when told', () => {
    const { config } = parseConfig('{"agents":{"main":{}}}', 'ngb.config.json');
    expect(config.agents.main?.diskLimitMb).toBe(1024);
    expect(config.runtime.diskLimits).toBe('on');
    expect(refusal('{"agents":{"main":{"diskLimitMb":8}}}').message).toContain(
      'key "agents.main.diskLimitMb" must be at least 16 (MiB)',
    );
    expect(refusal('{"runtime":{"diskLimits":false}}').message).toContain('key "runtime.diskLimits" must be "on" or "off"');
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
