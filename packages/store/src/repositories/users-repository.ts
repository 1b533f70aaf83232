import type { User, UserRole, UserRoleName, UsersRepository } from '@ngb/plugin-sdk';
import { ConfigError } from '@ngb/plugin-sdk';
import type { Selectable } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import type { UserRolesTable, UsersTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { assertReferencesExist, optional } from '../row-helpers';

/** Maps a users row to the contract's User. */
export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    channel: row.channel,
    platformUserId: row.platform_user_id,
    name: optional(row.name),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toUserRole(row: Selectable<UserRolesTable>): UserRole {
  return { userId: row.user_id, role: row.role as UserRoleName, agentId: optional(row.agent_id), grantedAt: row.granted_at };
}

export function createUsersRepository(context: RepositoryContext): UsersRepository {
  const { db, now } = context;

  async function getByPlatformId(channel: string, platformUserId: string): Promise<User | undefined> {
    const row = await db()
      .selectFrom('users')
      .selectAll()
      .where('channel', '=', channel)
      .where('platform_user_id', '=', platformUserId)
      .executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  function findRole(userId: string, role: UserRoleName, agentId: string | undefined) {
    let query = db().selectFrom('user_roles').selectAll().where('user_id', '=', userId).where('role', '=', role);
    query = agentId === undefined ? query.where('agent_id', 'is', null) : query.where('agent_id', '=', agentId);
    return query.executeTakeFirst();
  }

  return {
    async upsert(input) {
      const existing = await getByPlatformId(input.channel, input.platformUserId);
      if (existing !== undefined && (input.name === undefined || input.name === existing.name)) return existing;
      const time = now();
      const row = await db()
        .insertInto('users')
        .values({
          id: context.generateId(),
          channel: input.channel,
          platform_user_id: input.platformUserId,
          name: input.name ?? null,
          created_at: time,
          updated_at: time,
        })
        .onConflict((conflict) =>
          conflict.columns(['channel', 'platform_user_id']).doUpdateSet((eb) => ({
            name: eb.fn.coalesce(eb.ref('excluded.name'), eb.ref('users.name')),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUser(row);
    },

    async get(id) {
      const row = await db().selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toUser(row);
    },

    getByPlatformId,

    async list() {
      return (await db().selectFrom('users').selectAll().orderBy('seq').execute()).map(toUser);
    },

    async grantRole(userId, role, agentId) {
      assertAllowed(role, allowedValues.role, 'user', 'role');
      // The core reads any owner role as owning the whole gateway: a scoped one would be a global owner.
      if (role === 'owner' && agentId !== undefined) {
        throw new ConfigError(
          `[@ngb/store] role "owner" cannot be scoped to agent "${agentId}": an owner owns the whole gateway; grant "owner" without an agent, or "admin" for agent "${agentId}"`,
          { key: 'agentId' },
        );
      }
      const existing = await findRole(userId, role, agentId);
      if (existing !== undefined) return toUserRole(existing);
      await assertReferencesExist(db(), [
        ['user', 'users', userId],
        ['agent', 'agents', agentId],
      ]);
      const row = await db()
        .insertInto('user_roles')
        .values({ user_id: userId, role, agent_id: agentId ?? null, granted_at: now() })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toUserRole(row);
    },

    async revokeRole(userId, role, agentId) {
      let query = db().deleteFrom('user_roles').where('user_id', '=', userId).where('role', '=', role);
      query = agentId === undefined ? query.where('agent_id', 'is', null) : query.where('agent_id', '=', agentId);
      const result = await query.executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async listRoles(userId) {
      const rows = await db().selectFrom('user_roles').selectAll().where('user_id', '=', userId).orderBy('seq').execute();
      return rows.map(toUserRole);
    },

    async listWithRole(role, filter = {}) {
      const rows = await db()
        .selectFrom('user_roles')
        .innerJoin('users', 'users.id', 'user_roles.user_id')
        .selectAll('users')
        .select((eb) => eb.fn.min('user_roles.seq').as('first_grant'))
        .where('user_roles.role', '=', role)
        .where((eb) =>
          filter.agentId === undefined
            ? eb('user_roles.agent_id', 'is', null)
            : eb.or([eb('user_roles.agent_id', 'is', null), eb('user_roles.agent_id', '=', filter.agentId)]),
        )
        .groupBy('users.id')
        .orderBy('first_grant')
        .execute();
      return rows.map(toUser);
    },
  };
}
