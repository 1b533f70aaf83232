import { join } from 'node:path';
import { createSqliteStore } from '@ngb/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createProject, localRuntime, runCli } from './cli-harness';

let project: { dir: string; remove: () => void };
const ids = { ann: '', annOnSlack: '', bob: '', family: '' };

const ngb = (args: string[]) => runCli(args, { cwd: project.dir });

beforeAll(async () => {
  assertBuilt();
  project = await createProject('users', localRuntime);
  expect((await ngb(['agent', 'add', 'helper'])).code).toBe(0);
  // People and a chat as a running gateway would have stored them.
  const store = await createSqliteStore({ path: join(project.dir, '.ngb/ngb.db') });
  const ann = await store.users.upsert({ channel: 'telegram', platformUserId: '100', name: 'Ann' });
  const annOnSlack = await store.users.upsert({ channel: 'slack', platformUserId: 'U100' });
  await store.users.link(annOnSlack.id, ann.id);
  const bob = await store.users.upsert({ channel: 'telegram', platformUserId: '200', name: 'Bob' });
  const family = await store.chats.upsert({
    channel: 'telegram',
    platformChatId: '-300',
    name: 'Family',
    isGroup: true,
    status: 'active',
  });
  Object.assign(ids, { ann: ann.id, annOnSlack: annOnSlack.id, bob: bob.id, family: family.id });
  await store.close();
}, 120_000);
afterAll(() => project?.remove());

describe('ngb user', { timeout: 60_000 }, () => {
  it('grants owner, admin and member roles, shows them on every linked identity, and revokes them', async () => {
    expect((await ngb(['user', 'grant', 'telegram:100', 'owner'])).stdout).toContain('telegram:100 (Ann) is owner');
    expect((await ngb(['user', 'grant', ids.bob.slice(0, 8), 'admin', '--agent', 'helper'])).code).toBe(0);
    expect((await ngb(['user', 'grant', 'telegram:200', 'member', '--agent', 'main'])).stdout).toContain('is member of main');
    const listed = await ngb(['user', 'ls']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^USER\s+CHANNEL\s+PLATFORM ID\s+NAME\s+LINKED TO\s+ROLES$/m);
    expect(listed.stdout).toMatch(/^\S+\s+telegram\s+100\s+Ann\s+-\s+owner$/m);
    expect(listed.stdout).toMatch(new RegExp(`^\\S+\\s+slack\\s+U100\\s+-\\s+${ids.ann.slice(0, 8)}\\s+owner$`, 'm'));
    expect(listed.stdout).toMatch(/^\S+\s+telegram\s+200\s+Bob\s+-\s+admin\(helper\), member\(main\)$/m);
    // A role revoked through a linked identity is revoked from its user.
    expect((await ngb(['user', 'revoke', 'slack:U100', 'owner'])).code).toBe(0);
    expect((await ngb(['user', 'revoke', 'telegram:200', 'member', '--agent', 'main'])).code).toBe(0);
    const json = JSON.parse((await ngb(['user', 'ls', '--json'])).stdout) as Array<{ id: string; roles: string[] }>;
    expect(json.map((user) => user.roles)).toEqual([[], [], ['admin(helper)']]);
  });

  it('refuses unknown users, roles and agents, and a role not held, in one line with exit 1', async () => {
    const cases: Array<[string[], string]> = [
      [['user', 'grant', 'nobody', 'owner'], '✖ unknown user "nobody" (`ngb user ls` lists them)'],
      [['user', 'revoke', 'telegram:999', 'admin'], '✖ unknown user "telegram:999" (`ngb user ls` lists them)'],
      [['user', 'grant', 'telegram:100', 'king'], '✖ the role must be one of owner, admin, member, not "king"'],
      [['user', 'grant', 'telegram:100', 'member'], '✖ members belong to one agent: add --agent <folder>'],
      [
        ['user', 'grant', 'telegram:100', 'owner', '--agent', 'main'],
        '✖ an owner owns the whole gateway: drop --agent, or make them admin of that agent',
      ],
      [
        ['user', 'grant', 'telegram:100', 'admin', '--agent', 'ghost'],
        '✖ unknown agent "ghost" (agents: main, helper); add one with `ngb agent add ghost`',
      ],
      [['user', 'revoke', 'telegram:100', 'admin'], '✖ telegram:100 (Ann) is not admin (`ngb user ls` shows the roles)'],
    ];
    for (const [args, line] of cases) {
      const result = await ngb(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr.trim(), args.join(' ')).toBe(line);
    }
  });
});

describe('ngb chat policy', { timeout: 60_000 }, () => {
  it('sets the unknown-sender policy of a chat, and refuses unknown chats and policies', async () => {
    const set = await ngb(['chat', 'policy', 'telegram:-300', 'public']);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('telegram:Family is now public: everyone is answered');
    const [chat] = JSON.parse((await ngb(['chat', 'ls', '--json'])).stdout) as Array<{ unknownSenderPolicy: string }>;
    expect(chat?.unknownSenderPolicy).toBe('public');
    const unknown = await ngb(['chat', 'policy', 'nope', 'strict']);
    expect([unknown.code, unknown.stderr.trim()]).toEqual([1, '✖ unknown chat "nope" (`ngb chat ls` lists them)']);
    const bad = await ngb(['chat', 'policy', ids.family, 'open']);
    expect([bad.code, bad.stderr.trim()]).toEqual([
      1,
      '✖ the policy must be one of strict, request_approval, public, not "open"',
    ]);
  });
});

describe('ngb destination', { timeout: 60_000 }, () => {
  it('adds, lists and removes named destinations of an agent: a chat or another agent', async () => {
    expect((await ngb(['destination', 'ls'])).stdout).toContain('no destinations yet');
    expect((await ngb(['destination', 'add', 'family', '--chat', 'telegram:-300'])).stdout).toContain(
      'main: "family" points to chat telegram:Family',
    );
    expect((await ngb(['destination', 'add', 'research', '--to-agent', 'helper'])).code).toBe(0);
    expect((await ngb(['destination', 'add', 'boss', '--agent', 'helper', '--to-agent', 'main'])).code).toBe(0);
    const listed = await ngb(['destination', 'ls']);
    expect(listed.stdout).toMatch(/^main\s+family\s+chat telegram:-300 \(Family\)$/m);
    expect(listed.stdout).toMatch(/^main\s+research\s+agent helper$/m);
    expect(listed.stdout).toMatch(/^helper\s+boss\s+agent main$/m);
    const helperOnly = JSON.parse((await ngb(['destination', 'ls', '--agent', 'helper', '--json'])).stdout);
    expect(helperOnly).toEqual([
      { agent: 'helper', name: 'boss', target: { type: 'agent', agentId: expect.any(String) }, to: 'agent main' },
    ]);
    expect((await ngb(['destination', 'rm', 'family'])).stdout).toContain('main: "family" removed');
    expect((await ngb(['destination', 'ls', '--agent', 'main', '--json'])).stdout).not.toContain('family');
  });

  it('refuses unknown agents, chats and destinations, and a missing or double target, in one line with exit 1', async () => {
    const cases: Array<[string[], string]> = [
      [['destination', 'add', 'x', '--chat', 'nope'], '✖ unknown chat "nope" (`ngb chat ls` lists them)'],
      [
        ['destination', 'add', 'x', '--to-agent', 'ghost'],
        '✖ unknown agent "ghost" (agents: main, helper); add one with `ngb agent add ghost`',
      ],
      [
        ['destination', 'add', 'x', '--agent', 'ghost', '--to-agent', 'main'],
        '✖ unknown agent "ghost" (agents: main, helper); add one with `ngb agent add ghost`',
      ],
      [['destination', 'add', 'x'], '✖ pass exactly one target: --chat <chat> or --to-agent <folder>'],
      [
        ['destination', 'add', 'x', '--chat', ids.family, '--to-agent', 'helper'],
        '✖ pass exactly one target: --chat <chat> or --to-agent <folder>',
      ],
      [['destination', 'rm', 'nothing'], '✖ unknown destination "nothing" of main (`ngb destination ls` lists them)'],
      [
        ['destination', 'ls', '--agent', 'ghost'],
        '✖ unknown agent "ghost" (agents: main, helper); add one with `ngb agent add ghost`',
      ],
    ];
    for (const [args, line] of cases) {
      const result = await ngb(args);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr.trim(), args.join(' ')).toBe(line);
    }
  });
});
