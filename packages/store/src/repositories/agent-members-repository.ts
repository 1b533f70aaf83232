import type { AgentMembersRepository } from '@ngb/plugin-sdk';
import type { RepositoryContext } from '../repository-context';
import { withReferences } from '../row-helpers';
import { roleHolderId, toUser } from './users-repository';

export function createAgentMembersRepository(context: RepositoryContext): AgentMembersRepository {
  const { db } = context;
  return {
    async add(agentId, identityId) {
      const userId = await roleHolderId(db(), identityId);
      await withReferences(
        db(),
        [
          ['agent', 'agents', agentId],
          ['user', 'users', userId],
        ],
        () =>
          db()
            .insertInto('agent_members')
            .values({ agent_id: agentId, user_id: userId, added_at: context.now() })
            .onConflict((conflict) => conflict.columns(['agent_id', 'user_id']).doNothing())
            .execute(),
      );
    },

    async remove(agentId, identityId) {
      const userId = await roleHolderId(db(), identityId);
      const result = await db()
        .deleteFrom('agent_members')
        .where('agent_id', '=', agentId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async isMember(agentId, identityId) {
      const userId = await roleHolderId(db(), identityId);
      const row = await db()
        .selectFrom('agent_members')
        .select('seq')
        .where('agent_id', '=', agentId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row !== undefined;
    },

    async list(agentId) {
      const rows = await db()
        .selectFrom('agent_members')
        .innerJoin('users', 'users.id', 'agent_members.user_id')
        .selectAll('users')
        .where('agent_members.agent_id', '=', agentId)
        .orderBy('agent_members.seq')
        .execute();
      return rows.map(toUser);
    },
  };
}
