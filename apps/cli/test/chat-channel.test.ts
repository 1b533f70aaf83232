import { beforeAll, describe, expect, it } from 'vitest';
import { localRuntime, runCli, useProjectWithModel } from './cli-harness';

const fixture = useProjectWithModel('chat', localRuntime);
beforeAll(async () => {
  await runCli(['run', '-p', 'make a chat'], { cwd: fixture.project.dir, env: fixture.model });
});

const ngb = (args: string[]) => runCli(args, { cwd: fixture.project.dir });

describe('ngb chat', { timeout: 60_000 }, () => {
  it('ls hides the terminal chats unless --all; the run left its chat unwired', async () => {
    expect((await ngb(['chat', 'ls'])).stdout).toContain('no chats yet');
    const all = await ngb(['chat', 'ls', '--all']);
    expect(all.stdout).toMatch(/^[0-9a-f]{8}\s+cli\s+run-[0-9a-f-]+\s+ngb run \(\S+\)\s+direct\s+active\s+strict\s+-$/m);
  });

  it('wire links a chat to an agent, checking the flags first', async () => {
    const [chat] = JSON.parse((await ngb(['chat', 'ls', '--all', '--json'])).stdout);
    const bad = await ngb(['chat', 'wire', chat.id, '--pattern', '(unclosed']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--pattern is not a valid regular expression');
    const wired = await ngb(['chat', 'wire', chat.id.slice(0, 6), '--pattern', '^hey']);
    expect(wired.code).toBe(0);
    expect(wired.stdout).toContain('wired to main (engage pattern /^hey/, shared sessions)');
    const [after] = JSON.parse((await ngb(['chat', 'ls', '--all', '--json'])).stdout);
    expect(after.wirings).toMatchObject([{ engage: 'pattern', pattern: '^hey', sessionMode: 'shared', agent: 'main' }]);
    const sticky = await ngb(['chat', 'wire', chat.id, '--engage', 'mention-sticky', '--session-mode', 'per-thread']);
    expect(sticky.stdout).toContain('rewired to main (engage mention-sticky, per-thread sessions)');
    const [stuck] = JSON.parse((await ngb(['chat', 'ls', '--all', '--json'])).stdout);
    expect(stuck.wirings).toMatchObject([{ engage: 'mention-sticky', sessionMode: 'per-thread' }]);
    const unknown = await ngb(['chat', 'wire', 'nope']);
    expect(unknown.stderr.trim()).toBe('✖ unknown chat "nope" (`ngb chat ls` lists them)');
  });
});

describe('ngb channel ls', { timeout: 60_000 }, () => {
  it('lists every channel with its config, secrets and adapter state', async () => {
    const result = await ngb(['channel', 'ls']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^CHANNEL\s+CONFIG\s+SECRETS\s+ADAPTER\s+LAST STATUS \(ngb serve\)$/m);
    for (const name of ['telegram', 'slack', 'discord', 'whatsapp', 'qq', 'feishu', 'wecom', 'dingtalk', 'web']) {
      expect(result.stdout).toMatch(new RegExp(`^${name}\\s+off\\s`, 'm'));
    }
    expect(result.stdout).toMatch(/^telegram\s+off\s+not set\s+ready/m);
    expect(result.stdout).toMatch(/^feishu\s+off\s+not set\s+needs config/m);
    expect(result.stdout).toMatch(/^web\s+off\s+ok\s+ready/m);
  });
});
