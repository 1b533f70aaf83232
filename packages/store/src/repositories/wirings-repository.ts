import type { EngageMode, NewWiring, SessionMode, Wiring, WiringsRepository } from '@ngb/plugin-sdk';
import { ConfigError, errorMessage, NotFoundError } from '@ngb/plugin-sdk';
import type { Selectable } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import { runCachedQuery } from '../cached-query';
import type { WiringsTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { assertReferencesExist, isUniqueViolation, optional } from '../row-helpers';

function toWiring(row: Selectable<WiringsTable>): Wiring {
  return {
    id: row.id,
    chatId: row.chat_id,
    agentId: row.agent_id,
    engage: row.engage as EngageMode,
    pattern: optional(row.pattern),
    sessionMode: row.session_mode as SessionMode,
    priority: row.priority,
    accumulate: row.accumulate === 1,
    createdAt: row.created_at,
  };
}

/** @throws ConfigError when the engage or session settings cannot work */
function assertValidEngage(input: Pick<NewWiring, 'engage' | 'pattern' | 'sessionMode'>): void {
  assertAllowed(input.engage, allowedValues.engage, 'wiring', 'engage');
  assertAllowed(input.sessionMode, allowedValues.sessionMode, 'wiring', 'sessionMode');
  if (input.engage === 'pattern' && (input.pattern === undefined || input.pattern === '')) {
    throw new ConfigError('[@ngb/store] a wiring with engage "pattern" needs a `pattern`', { key: 'pattern' });
  }
  if (input.pattern === undefined) return;
  try {
    new RegExp(input.pattern, 'i');
  } catch (error) {
    throw new ConfigError(
      `[@ngb/store] wiring pattern "${input.pattern}" is not a valid regular expression: ${errorMessage(error)}`,
      {
        key: 'pattern',
        cause: error,
      },
    );
  }
}

export function createWiringsRepository(context: RepositoryContext): WiringsRepository {
  const { db } = context;
  return {
    async add(input) {
      assertValidEngage(input);
      await assertReferencesExist(db(), [
        ['chat', 'chats', input.chatId],
        ['agent', 'agents', input.agentId],
      ]);
      try {
        const row = await db()
          .insertInto('wirings')
          .values({
            id: context.generateId(),
            chat_id: input.chatId,
            agent_id: input.agentId,
            engage: input.engage,
            pattern: input.pattern ?? null,
            session_mode: input.sessionMode,
            priority: input.priority ?? 0,
            accumulate: input.accumulate === true ? 1 : 0,
            created_at: context.now(),
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        return toWiring(row);
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new ConfigError(`[@ngb/store] agent "${input.agentId}" is already wired to chat "${input.chatId}"`, {
          key: 'agentId',
          cause: error,
        });
      }
    },

    async update(id, patch) {
      const current = await db().selectFrom('wirings').selectAll().where('id', '=', id).executeTakeFirst();
      if (current === undefined) throw new NotFoundError('wiring', id);
      const wiring = toWiring(current);
      const next = {
        engage: patch.engage ?? wiring.engage,
        pattern: patch.pattern === null ? undefined : (patch.pattern ?? wiring.pattern),
        sessionMode: patch.sessionMode ?? wiring.sessionMode,
      };
      assertValidEngage(next);
      const row = await db()
        .updateTable('wirings')
        .set({
          engage: next.engage,
          pattern: next.pattern ?? null,
          session_mode: next.sessionMode,
          priority: patch.priority ?? wiring.priority,
          accumulate: (patch.accumulate ?? wiring.accumulate) ? 1 : 0,
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toWiring(row);
    },

    async get(id) {
      const row = await db().selectFrom('wirings').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toWiring(row);
    },

    async listForChat(chatId) {
      const rows = await runCachedQuery(context, 'wirings.listForChat', [chatId], () =>
        db().selectFrom('wirings').selectAll().where('chat_id', '=', chatId).orderBy('priority', 'desc').orderBy('seq'),
      );
      return rows.map(toWiring);
    },

    async listForAgent(agentId) {
      const rows = await db().selectFrom('wirings').selectAll().where('agent_id', '=', agentId).orderBy('seq').execute();
      return rows.map(toWiring);
    },

    async remove(id) {
      const result = await db().deleteFrom('wirings').where('id', '=', id).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw new NotFoundError('wiring', id);
    },
  };
}
