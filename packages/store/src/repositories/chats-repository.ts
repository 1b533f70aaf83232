import type { Chat, ChatStatus, ChatsRepository, UnknownSenderPolicy } from '@ngb/plugin-sdk';
import { NotFoundError } from '@ngb/plugin-sdk';
import type { Selectable } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import { runCachedQuery } from '../cached-query';
import type { ChatsTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';

function toChat(row: Selectable<ChatsTable>): Chat {
  return {
    id: row.id,
    channel: row.channel,
    platformChatId: row.platform_chat_id,
    name: row.name,
    isGroup: row.is_group === 1,
    unknownSenderPolicy: row.unknown_sender_policy as UnknownSenderPolicy,
    status: row.status as ChatStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createChatsRepository(context: RepositoryContext): ChatsRepository {
  const { db, now } = context;

  async function getByPlatformId(channel: string, platformChatId: string): Promise<Chat | undefined> {
    const [row] = await runCachedQuery(context, 'chats.getByPlatformId', [channel, platformChatId], () =>
      db().selectFrom('chats').selectAll().where('channel', '=', channel).where('platform_chat_id', '=', platformChatId),
    );
    return row === undefined ? undefined : toChat(row);
  }

  return {
    async upsert(input) {
      assertAllowed(input.unknownSenderPolicy, allowedValues.unknownSenderPolicy, 'chat', 'unknownSenderPolicy');
      assertAllowed(input.status, allowedValues.chatStatus, 'chat', 'status');
      // Every inbound message upserts its chat: a read is enough when nothing changed.
      const existing = await getByPlatformId(input.channel, input.platformChatId);
      if (existing !== undefined && existing.name === input.name && existing.isGroup === input.isGroup) return existing;
      const time = now();
      const row = await db()
        .insertInto('chats')
        .values({
          id: context.generateId(),
          channel: input.channel,
          platform_chat_id: input.platformChatId,
          name: input.name,
          is_group: input.isGroup ? 1 : 0,
          unknown_sender_policy: input.unknownSenderPolicy ?? 'strict',
          status: input.status ?? 'pending',
          created_at: time,
          updated_at: time,
        })
        .onConflict((conflict) =>
          conflict.columns(['channel', 'platform_chat_id']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            is_group: eb.ref('excluded.is_group'),
            updated_at: eb.ref('excluded.updated_at'),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toChat(row);
    },

    async get(id) {
      const [row] = await runCachedQuery(context, 'chats.get', [id], () =>
        db().selectFrom('chats').selectAll().where('id', '=', id),
      );
      return row === undefined ? undefined : toChat(row);
    },

    getByPlatformId,

    async list(filter = {}) {
      let query = db().selectFrom('chats').selectAll().orderBy('seq');
      if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      return (await query.execute()).map(toChat);
    },

    async update(id, patch) {
      assertAllowed(patch.unknownSenderPolicy, allowedValues.unknownSenderPolicy, 'chat', 'unknownSenderPolicy');
      assertAllowed(patch.status, allowedValues.chatStatus, 'chat', 'status');
      const row = await db()
        .updateTable('chats')
        .set({
          name: patch.name,
          unknown_sender_policy: patch.unknownSenderPolicy,
          status: patch.status,
          updated_at: now(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw new NotFoundError('chat', id);
      return toChat(row);
    },
  };
}
