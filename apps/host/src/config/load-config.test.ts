import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigError } from '@ngb/plugin-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { configRefusal } from './__tests__/config-refusal';
import { findConfigFile, loadConfig, parseConfig } from './load-config';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-config-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const refusal = (text: string): ConfigError => configRefusal(text, join(scratch, 'ngb.config.json'));

describe('parseConfig', () => {
  it('fills the defaults of an empty object', () => {
    const { config, warnings } = parseConfig('{}', 'ngb.config.json');
    expect(warnings).toEqual([]);
    expect(config).toMatchObject({
      dataDir: '.ngb',
      agentsDir: 'agents',
      runtime: { driver: 'docker', image: 'ngb-agent:latest', maxSandboxes: 5 },
    });
    expect(config.allowLocalRuntime).toBe(false);
  });

  it('names the key at fault, nested ones with dots', () => {
    expect(refusal('{"runtime":{"maxSandboxes":0}}')).toMatchObject({ key: 'runtime.maxSandboxes' });
    expect(refusal('{"runtime":{"maxSandboxes":0}}').message).toContain('key "runtime.maxSandboxes" must be from 1 to 1000');
    expect(refusal('{"model":{"provider":"mistral"}}').message).toContain('key "model.provider" must be "openai" or "anthropic"');
    expect(refusal('{"model":{"baseURL":"localhost"}}').message).toContain('key "model.baseURL" must be a URL');
    expect(refusal('{"channels":{"irc":{}}}').message).toContain('key "channels.irc"');
    expect(refusal('{"agents":{"bad name":{}}}').message).toContain('is not a valid agent folder name');
    expect(refusal('{"dataDir":5}').message).toMatch(/key "dataDir" is invalid: type: Expected string but received 5/);
  });

  it('reads an egress allowlist, normalized, and "none"', () => {
    const read = (network: unknown) =>
      parseConfig(JSON.stringify({ agents: { main: { network } } }), 'ngb.config.json').config.agents.main?.network;
    expect(read('none')).toBe('none');
    expect(read({ allow: ['API.Example.com', '*.Bücher.de'], maxBytesPerTurn: 1048576 })).toEqual({
      allow: ['api.example.com', '*.xn--bcher-kva.de'],
      maxBytesPerTurn: 1048576,
    });
  });

  it.each([
    ['the bridge mode of old', '"egress"', /key "agents\.main\.network" must be "none" or \{ "allow"/],
    [
      'an IP address',
      '{"allow":["example.com","127.0.0.1"]}',
      /key "agents\.main\.network" entry allow\[1\]: "127\.0\.0\.1" is an IP address/,
    ],
    ['a URL', '{"allow":["https://example.com"]}', /entry allow\[0\]: "https:\/\/example\.com" must be a domain name/],
    ['a single label', '{"allow":["localhost"]}', /entry allow\[0\]: "localhost" is a single-label name/],
    [
      'the runtime-only opt-in',
      '{"allow":["example.com"],"allowPrivateAddresses":["127.0.0.1"]}',
      /entry allowPrivateAddresses: is not a setting/,
    ],
  ])('refuses %s as a network, naming the key', (_name, network, message) => {
    const error = refusal(`{"agents":{"main":{"network":${network}}}}`);
    expect(error).toMatchObject({ key: 'agents.main.network' });
    expect(error.message).toMatch(message);
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

  it.each([
    ['agents', '[]', 'must be an object ({ "main": { ... } }, keyed by agent folder), not a list or a value'],
    ['agents', '[{"timezone":"UTC"}]', 'must be an object'],
    ['agents.main', '{"main":[]}', 'must be an object ({ ... }), not a list'],
    ['runtime', '[]', 'must be an object ({ ... }), not a list'],
    ['channels', '[]', 'must be an object ({ "telegram": { ... } })'],
    ['gateway', '"fast"', 'must be an object'],
    ['agents.main.timezone', '{"main":{"timezone":"Mars/Olympus"}}', 'is not a time zone: "Mars/Olympus" (use an IANA name'],
    ['agents.main.timezone', '{"main":{"timezone":"Europe/Berln"}}', 'is not a time zone'],
    ['agents.main.cpus', '{"main":{"cpus":0}}', 'must be from 0.01 to'],
    ['agents.main.cpus', '{"main":{"cpus":-1}}', 'must be from 0.01 to'],
    [
      'agents.main.cpus',
      '{"main":{"cpus":100000}}',
      `must be from 0.01 to ${availableParallelism()} (the CPU cores of this machine)`,
    ],
    ['agents.main.cpus', '{"main":{"cpus":1e400}}', 'must be a finite number'],
    ['agents.main.pids', '{"main":{"pids":0}}', 'must be from 32 to 4194304'],
    ['agents.main.pids', '{"main":{"pids":8}}', 'must be from 32 to 4194304'],
    ['agents.main.pids', '{"main":{"pids":64.5}}', 'must be a whole number'],
    ['agents.main.memoryMb', '{"main":{"memoryMb":16}}', 'must be from 128 to 1048576 (MiB)'],
    ['agents.main.memoryMb', '{"main":{"memoryMb":-512}}', 'must be from 128'],
    ['agents.main.model.compactAt', '{"main":{"model":{"compactAt":1.5}}}', 'must be below 1 (a share, such as 0.7)'],
    ['agents.main.model.compactAt', '{"main":{"model":{"compactAt":0}}}', 'must be above 0'],
    ['agents.main.model.contextWindow', '{"main":{"model":{"contextWindow":0}}}', 'must be at least 1'],
    ['agents.main.model.maxPromptMessages', '{"main":{"model":{"maxPromptMessages":2.5}}}', 'must be a whole number'],
    ['runtime.idleTimeoutMinutes', '{"idleTimeoutMinutes":0}', 'must be from 0.1 to 10080 (a week)'],
    ['runtime.idleTimeoutMinutes', '{"idleTimeoutMinutes":1000000000}', 'must be from 0.1 to 10080'],
    ['runtime.maxSandboxes', '{"maxSandboxes":0}', 'must be from 1 to 1000'],
    ['runtime.maxSandboxes', '{"maxSandboxes":2.5}', 'must be a whole number'],
    ['runtime.image', '{"image":"NGB-Agent:latest"}', 'must be an image reference such as ngb-agent:latest'],
    ['runtime.image', '{"image":"ngb agent"}', 'must be an image reference'],
    ['runtime.image', '{"image":"ngb-agent:"}', 'must be an image reference'],
    ['runtime.image', '{"image":"-rm"}', 'must be an image reference'],
    ['gateway.toolTimeoutSeconds', '{"toolTimeoutSeconds":3000000}', 'must be from 1 to 86400 (a day)'],
    ['gateway.toolTimeoutSeconds', '{"toolTimeoutSeconds":0}', 'must be from 1 to 86400'],
    ['gateway.attachmentMaxBytes', '{"attachmentMaxBytes":0}', 'must be at least 1'],
    ['gateway.sendFileMaxBytes', '{"sendFileMaxBytes":1.5}', 'must be a whole number'],
    ['dashboard.port', '{"port":-1}', 'must be from 0 to 65535'],
    ['dashboard.port', '{"port":70000}', 'must be from 0 to 65535'],
  ])('refuses a bad %s (%s) naming the key', (key, value, reason) => {
    const section = key.split('.')[0] ?? '';
    const error = refusal(`{${JSON.stringify(section)}:${value}}`);
    expect(error.key).toBe(key);
    expect(error.message).toContain(`key "${key}" ${reason}`);
  });

  it.each([
    ['runtime.image', { runtime: { image: 'registry.example.com:5000/team/ngb-agent:1.2.3' } }],
    ['runtime.image', { runtime: { image: `ngb-agent@sha256:${'a'.repeat(64)}` } }],
    ['agents.main', { agents: { main: { timezone: 'America/New_York', cpus: 0.5, pids: 64, memoryMb: 256 } } }],
    ['agents.main.model', { agents: { main: { model: { contextWindow: 200_000, compactAt: 0.6, maxPromptMessages: 20 } } } }],
    ['gateway.toolTimeoutSeconds', { gateway: { toolTimeoutSeconds: 86_400 } }],
    ['runtime.driver "auto" (older configs)', { runtime: { driver: 'auto' } }],
  ])('accepts a good %s', (_, config) => {
    expect(() => parseConfig(JSON.stringify(config), join(scratch, 'ngb.config.json'))).not.toThrow();
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

  it('takes the size caps of files saved from chats and sent to them, without warnings', () => {
    const { config, warnings } = parseConfig(
      '{"gateway":{"attachmentMaxBytes":1048576,"sendFileMaxBytes":2097152}}',
      join(scratch, 'ngb.config.json'),
    );
    expect(config.gateway).toMatchObject({ attachmentMaxBytes: 1_048_576, sendFileMaxBytes: 2_097_152 });
    expect(warnings).toEqual([]);
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
