import type { OpenProject } from '@ngb/host';
import type { Agent, Store, User } from '@ngb/plugin-sdk';
import { findAgent } from '../agent/find-agent';
import { fail } from '../cli-error';
import { colors } from '../colors';
import { printLine } from '../output';
import { shortId, table } from '../render/format';
import { type ProjectFlags, withProject } from '../with-project';

const roles = ['owner', 'admin', 'member'] as const;
type RoleName = (typeof roles)[number];

/** The user an id, id prefix or `channel:platformUserId` names; one line and exit 1 otherwise. */
async function resolveUser(store: Store, wanted: string): Promise<User> {
  const exact = await store.users.get(wanted);
  if (exact) return exact;
  const separator = wanted.indexOf(':');
  if (separator > 0) {
    const byPlatform = await store.users.getByPlatformId(wanted.slice(0, separator), wanted.slice(separator + 1));
    if (byPlatform) return byPlatform;
  }
  const matches = (await store.users.list()).filter((user) => user.id.startsWith(wanted));
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) fail(`unknown user "${wanted}" (\`ngb user ls\` lists them)`);
  fail(`user id "${wanted}" is ambiguous: it starts ${matches.length} users; type more of it`);
}

/** The roles of a user as words: `owner`, `admin`, `admin(main)`, `member(main)`. */
async function describeRoles(store: Store, user: User, agents: readonly Agent[]): Promise<string[]> {
  const folder = (agentId: string | undefined) => agents.find((agent) => agent.id === agentId)?.folder ?? agentId;
  const held = (await store.users.listRoles(user.id)).map((role) =>
    role.agentId === undefined ? role.role : `${role.role}(${folder(role.agentId)})`,
  );
  for (const agent of agents) if (await store.agentMembers.isMember(agent.id, user.id)) held.push(`member(${agent.folder})`);
  return held;
}

const describe = (user: User) => `${user.channel}:${user.platformUserId}${user.name ? ` (${user.name})` : ''}`;

/** `ngb user ls`. */
export async function listUsers(flags: ProjectFlags & { json: boolean }): Promise<void> {
  await withProject(flags, async ({ store, agents }) => {
    const users = await store.users.list();
    const rows = await Promise.all(users.map(async (user) => ({ user, roles: await describeRoles(store, user, agents) })));
    if (flags.json) {
      printLine(JSON.stringify(rows.map((row) => ({ ...row.user, roles: row.roles }))));
      return;
    }
    if (rows.length === 0) {
      printLine('no users yet: they appear when someone writes to the bot; claim the gateway with the code `ngb serve` prints');
      return;
    }
    const lines = table(
      ['USER', 'CHANNEL', 'PLATFORM ID', 'NAME', 'LINKED TO', 'ROLES'],
      rows.map(({ user, roles: held }) => [
        shortId(user.id),
        user.channel,
        user.platformUserId,
        user.name ?? '-',
        user.linkedUserId ? shortId(user.linkedUserId) : '-',
        held.join(', ') || '-',
      ]),
    );
    printLine(colors.dim(lines[0] ?? ''));
    for (const line of lines.slice(1)) printLine(line);
  });
}

/** `ngb user grant | revoke <user> <role> [--agent folder]`. */
export async function changeRole(
  flags: ProjectFlags & { user: string; role: string; agent: string | undefined },
  change: 'grant' | 'revoke',
): Promise<void> {
  const role = flags.role as RoleName;
  if (!roles.includes(role)) fail(`the role must be one of ${roles.join(', ')}, not "${flags.role}"`);
  if (role === 'owner' && flags.agent !== undefined)
    fail('an owner owns the whole gateway: drop --agent, or make them admin of that agent');
  if (role === 'member' && flags.agent === undefined) fail('members belong to one agent: add --agent <folder>');
  await withProject(flags, async (project: OpenProject) => {
    const { store } = project;
    const user = await resolveUser(store, flags.user);
    const agent = flags.agent === undefined ? undefined : findAgent(project, flags.agent);
    const what = `${role}${agent ? ` of ${agent.folder}` : ''}`;
    if (change === 'grant') {
      if (role === 'member' && agent) await store.agentMembers.add(agent.id, user.id);
      else if (role !== 'member') await store.users.grantRole(user.id, role, agent?.id);
      printLine(`${colors.green('✓')} ${describe(user)} is ${what}`);
      return;
    }
    const revoked =
      role === 'member' && agent
        ? await store.agentMembers.remove(agent.id, user.id)
        : role !== 'member' && (await store.users.revokeRole(user.id, role, agent?.id));
    if (!revoked) fail(`${describe(user)} is not ${what} (\`ngb user ls\` shows the roles)`);
    printLine(`${colors.green('✓')} ${describe(user)} is no longer ${what}`);
  });
}
