import { defineCommandGroup, defineNgbCommand } from '../define-command';

const ls = defineNgbCommand({
  path: 'ngb user ls',
  description: 'List the people the gateway knows: each identity, the user it is linked to, and the roles',
  args: { json: { type: 'boolean', description: 'Print JSON' } },
  async run(flags) {
    const { listUsers } = await import('../user/user-actions');
    await listUsers(flags);
  },
});

const roleArgs = {
  user: { type: 'positional', required: true, description: 'User id, a unique prefix of it, or channel:platformUserId' },
  role: { type: 'positional', required: true, description: 'owner, admin or member' },
  agent: {
    type: 'string',
    alias: 'g',
    description: 'Only for this agent (admin: optional; member: required; owner: never)',
    valueHint: 'folder',
  },
} as const;

const grant = defineNgbCommand({
  path: 'ngb user grant',
  description: 'Grant a role: owner (the whole gateway), admin (of every agent, or of --agent) or member of --agent',
  args: roleArgs,
  async run(flags) {
    const { changeRole } = await import('../user/user-actions');
    await changeRole(flags, 'grant');
  },
});

const revoke = defineNgbCommand({
  path: 'ngb user revoke',
  description: 'Revoke a role granted with `ngb user grant` (the same role and --agent)',
  args: roleArgs,
  async run(flags) {
    const { changeRole } = await import('../user/user-actions');
    await changeRole(flags, 'revoke');
  },
});

/** `ngb user ls | grant | revoke`. */
export const userCommands = defineCommandGroup('user', 'List users; grant or revoke owner, admin and member roles', {
  ls: async () => ls,
  grant: async () => grant,
  revoke: async () => revoke,
});
