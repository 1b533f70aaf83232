import type { User, UserRole, UserRoleName, UsersRepository } from '@ngb/plugin-sdk';
import { ConfigError, NotFoundError } from '@ngb/plugin-sdk';
import type { Kysely, Selectable } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import type { StoreDatabase, UserRolesTable, UsersTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { assertReferencesExist, optional } from '../row-helpers';

/** Maps a users row to the contract's User. */
export function toUser(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    channel: row.channel,
    platformUserId: row.platform_user_id,
    name: optional(row.name),
    linkedUserId: optional(row.linked_user_id),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toUserRole(row: Selectable<UserRolesTable>): UserRole {
  return { userId: row.user_id, role: row.role as UserRoleName, agentId: optional(row.agent_id), grantedAt: row.granted_at };
}

/**
 * The user whose roles an identity holds: the one it is linked to, else itself. An unknown id is
 * returned as it is, so the caller's own not-found handling applies.
 */
export async function roleHolderId(db: Kysely<StoreDatabase>, userId: string): Promise<string> {
  const row = await db.selectFrom('users').select(['id', 'linked_user_id']).where('id', '=', userId).executeTakeFirst();
  return row?.linked_user_id ?? userId;
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
          linked_user_id: null,
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

    async grantRole(identityId, role, agentId) {
      const userId = await roleHolderId(db(), identityId);
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

    async revokeRole(identityId, role, agentId) {
      const userId = await roleHolderId(db(), identityId);
      let query = db().deleteFrom('user_roles').where('user_id', '=', userId).where('role', '=', role);
      query = agentId === undefined ? query.where('agent_id', 'is', null) : query.where('agent_id', '=', agentId);
      const result = await query.executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async listRoles(identityId) {
      const userId = await roleHolderId(db(), identityId);
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

    async link(identityId, targetId) {
      const identity = await db().selectFrom('users').select('id').where('id', '=', identityId).executeTakeFirst();
      if (identity === undefined) throw new NotFoundError('user', identityId);
      const target = await db().selectFrom('users').select('id').where('id', '=', targetId).executeTakeFirst();
      if (target === undefined) throw new NotFoundError('user', targetId);
      const userId = await roleHolderId(db(), targetId);
      const from = await roleHolderId(db(), identityId);
      if (from !== userId) {
        // What the identity's user held moves to the user it joins: roles are only ever held by a
        // user no identity links onwards from.
        await db()
          .updateTable('user_roles')
          .set({ user_id: userId })
          .where('user_id', '=', from)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('user_roles as held')
                  .select('held.seq')
                  .where('held.user_id', '=', userId)
                  .whereRef('held.role', '=', 'user_roles.role')
                  .where((inner) =>
                    inner(
                      inner.fn.coalesce('held.agent_id', inner.val('')),
                      '=',
                      inner.fn.coalesce('user_roles.agent_id', inner.val('')),
                    ),
                  ),
              ),
            ),
          )
          .execute();
        await db().deleteFrom('user_roles').where('user_id', '=', from).execute();
        await db()
          .updateTable('agent_members')
          .set({ user_id: userId })
          .where('user_id', '=', from)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('agent_members as held')
                  .select('held.seq')
                  .where('held.user_id', '=', userId)
                  .whereRef('held.agent_id', '=', 'agent_members.agent_id'),
              ),
            ),
          )
          .execute();
        await db().deleteFrom('agent_members').where('user_id', '=', from).execute();
        await db()
          .updateTable('users')
          .set({ linked_user_id: userId, updated_at: now() })
          .where((eb) => eb.or([eb('id', '=', from), eb('linked_user_id', '=', from), eb('id', '=', identityId)]))
          .where('id', '!=', userId)
          .execute();
      }
      const row = await db().selectFrom('users').selectAll().where('id', '=', identityId).executeTakeFirstOrThrow();
      return toUser(row);
    },

    async listIdentities(identityId) {
      const userId = await roleHolderId(db(), identityId);
      const rows = await db()
        .selectFrom('users')
        .selectAll()
        .where((eb) => eb.or([eb('id', '=', userId), eb('linked_user_id', '=', userId)]))
        .orderBy('seq')
        .execute();
      return rows.map(toUser);
    },
  };
}
