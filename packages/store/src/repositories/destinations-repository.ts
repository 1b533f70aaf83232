import type { Destination, DestinationsRepository, DestinationTarget } from '@ngb/plugin-sdk';
import { NotFoundError } from '@ngb/plugin-sdk';
import type { Selectable } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import type { DestinationsTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { assertReferencesExist } from '../row-helpers';

function toTarget(row: Selectable<DestinationsTable>): DestinationTarget {
  if (row.target_type === 'agent' && row.target_agent_id !== null) return { type: 'agent', agentId: row.target_agent_id };
  return { type: 'chat', chatId: row.target_chat_id ?? '' };
}

function toDestination(row: Selectable<DestinationsTable>): Destination {
  return {
    id: row.id,
    agentId: row.agent_id,
    name: row.name,
    target: toTarget(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createDestinationsRepository(context: RepositoryContext): DestinationsRepository {
  const { db, now } = context;
  return {
    async set(input) {
      const { target } = input;
      assertAllowed(target.type, allowedValues.targetType, 'destination', 'target.type');
      await assertReferencesExist(db(), [
        ['agent', 'agents', input.agentId],
        target.type === 'chat' ? ['chat', 'chats', target.chatId] : ['agent', 'agents', target.agentId],
      ]);
      const time = now();
      const targetColumns = {
        target_type: target.type,
        target_chat_id: target.type === 'chat' ? target.chatId : null,
        target_agent_id: target.type === 'agent' ? target.agentId : null,
      };
      const row = await db()
        .insertInto('destinations')
        .values({
          id: context.generateId(),
          agent_id: input.agentId,
          name: input.name,
          ...targetColumns,
          created_at: time,
          updated_at: time,
        })
        .onConflict((conflict) => conflict.columns(['agent_id', 'name']).doUpdateSet({ ...targetColumns, updated_at: time }))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toDestination(row);
    },

    async get(agentId, name) {
      const row = await db()
        .selectFrom('destinations')
        .selectAll()
        .where('agent_id', '=', agentId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row === undefined ? undefined : toDestination(row);
    },

    async list(agentId) {
      const rows = await db().selectFrom('destinations').selectAll().where('agent_id', '=', agentId).orderBy('seq').execute();
      return rows.map(toDestination);
    },

    async remove(agentId, name) {
      const result = await db()
        .deleteFrom('destinations')
        .where('agent_id', '=', agentId)
        .where('name', '=', name)
        .executeTakeFirst();
      if (result.numDeletedRows === 0n) throw new NotFoundError('destination', `${agentId}/${name}`);
    },
  };
}
