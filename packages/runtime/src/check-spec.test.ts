import { SandboxError, type SandboxSpec } from '@ngb/plugin-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentFolders, createAgentFolders } from './__fixtures__/agent-folders';
import { checkSpec } from './check-spec';

const defaults = { memoryMb: 1024, cpus: 1, pids: 256, diskMb: 1024 };
let folders: AgentFolders;
beforeAll(async () => {
  folders = await createAgentFolders('check-spec');
});
afterAll(() => folders?.remove());

async function spec(extra: Partial<SandboxSpec> = {}): Promise<SandboxSpec> {
  return { sessionId: 's', agentFolder: await folders.make('agent'), agentName: 'A', isMain: false, ...extra };
}

async function refusal(extra: Partial<SandboxSpec>): Promise<Error> {
  const error = await checkSpec(await spec(extra), defaults).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error('the spec was accepted');
  return error;
}

describe('checkSpec', () => {
  it('accepts a plain spec with no network', async () => {
    expect(await checkSpec(await spec({ env: { DEBUG: '1' } }), defaults)).toMatchObject({
      network: 'none',
      env: { DEBUG: '1' },
    });
  });

  it('normalizes an egress allowlist (lower case, punycode, no duplicates)', async () => {
    const checked = await checkSpec(
      await spec({ network: { allow: ['API.Example.com', 'api.example.com', '*.Bücher.de'] } }),
      defaults,
    );
    expect(checked.network).toEqual({ allow: ['api.example.com', '*.xn--bcher-kva.de'] });
  });

  it.each([
    ['the bridge mode of old', 'egress', /^\[@ngb\/runtime\] `network` must be "none" or \{ "allow"/],
    ['an unknown network', 'host', /`network` must be "none" or/],
    [
      'an IP address in the allowlist',
      { allow: ['example.com', '10.0.0.1'] },
      /`network.allow\[1\]` "10.0.0.1" is an IP address/,
    ],
    [
      'a byte cap that is not a count',
      { allow: ['example.com'], maxBytesPerTurn: -1 },
      /`network.maxBytesPerTurn` must be a whole number/,
    ],
  ])('refuses %s, naming the field', async (_name, network, message) => {
    const error = await refusal({ network: network as SandboxSpec['network'] });
    expect(SandboxError.isInstance(error) && error.reason).toBe('invalid_input');
    expect(error.message).toMatch(message);
  });

  it('refuses mounts that are not a list as mount_refused', async () => {
    const error = await refusal({ mounts: { hostPath: '/srv' } as unknown as SandboxSpec['mounts'] });
    expect(SandboxError.isInstance(error) && error.reason).toBe('mount_refused');
    expect(error.message).toMatch(/`mounts` must be a list/);
  });

  it('refuses a secret-looking setting value without repeating it', async () => {
    const value = ['xoxb-', '1234567890-', 'abcdefghijklmnop'].join('');
    const error = await refusal({ env: { CHANNEL: value } });
    expect(SandboxError.isInstance(error) && error.reason).toBe('invalid_input');
    expect(error.message).toMatch(/the value of "CHANNEL" looks like a Slack token/);
    expect(error.message).not.toContain(value);
  });

  it('refuses a setting longer than 4096 characters, naming it, before reading it for secrets', async () => {
    const error = await refusal({ env: { NOTES: 'aB3'.repeat(22_000) } });
    expect(SandboxError.isInstance(error) && error.reason).toBe('invalid_input');
    expect(error.message).toMatch(/`env.NOTES` is 66000 characters long; a setting may be at most 4096/);
    expect((await checkSpec(await spec({ env: { NOTES: 'a'.repeat(4096) } }), defaults)).env.NOTES).toHaveLength(4096);
  });

  it('refuses secret-looking names, and non-string values', async () => {
    expect((await refusal({ env: { DB_PASS: 'x' } })).message).toMatch(/"DB_PASS" looks like the name of a secret/);
    expect((await refusal({ env: { COUNT: 3 as unknown as string } })).message).toMatch(/`env.COUNT` must be a string/);
  });
});
