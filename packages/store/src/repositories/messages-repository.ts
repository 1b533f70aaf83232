import type { Attachment, MessageDirection, MessageQuery, MessagesRepository, StoredMessage } from '@ngb/plugin-sdk';
import { NotFoundError } from '@ngb/plugin-sdk';
import { type Insertable, type Selectable, sql } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import { runCachedQuery } from '../cached-query';
import type { MessagesTable } from '../database-schema';
import { toFtsMatchQuery } from '../fts-query';
import type { RepositoryContext } from '../repository-context';
import { normalizeLimit, optional, parseJsonColumn, toJsonColumn, withReferences } from '../row-helpers';

const defaultSearchLimit = 20;
const defaultFindLimit = 50;
// New messages join the search index in bulk (one FTS5 segment for many rows): after this many
// inserts, and before every search.
const indexBatchSize = 256;

export function createMessagesRepository(context: RepositoryContext): MessagesRepository {
  const { db, logger } = context;

  function toMessage(row: Selectable<MessagesTable>): StoredMessage {
    return {
      id: row.id,
      chatId: row.chat_id,
      platformMessageId: row.platform_message_id,
      threadId: optional(row.thread_id),
      senderId: row.sender_id,
      senderName: optional(row.sender_name),
      text: row.text,
      mentionsBot: row.mentions_bot === 1,
      replyToPlatformId: optional(row.reply_to_platform_id),
      replyToAuthorId: optional(row.reply_to_author_id),
      replyToAuthorName: optional(row.reply_to_author_name),
      replyToText: optional(row.reply_to_text),
      attachments:
        row.attachments === '[]'
          ? []
          : parseJsonColumn<Attachment[]>(row.attachments, [], logger, `messages ${row.id} attachments`),
      timestamp: row.timestamp,
      direction: row.direction as MessageDirection,
      hop: row.hop,
      createdAt: row.created_at,
      originalText: optional(row.original_text),
      editedAt: optional(row.edited_at),
      deletedAt: optional(row.deleted_at),
    };
  }

  async function catchUpSearchIndex(): Promise<void> {
    context.searchIndex.unindexedInserts = 0;
    // One statement: the catch-up trigger indexes exactly the rows between the old and the new mark.
    await sql`UPDATE search_index_state SET indexed_seq = (SELECT COALESCE(MAX(seq), 0) FROM messages)
      WHERE id = 1 AND indexed_seq < (SELECT COALESCE(MAX(seq), 0) FROM messages)`.execute(db());
  }

  async function getByPlatformId(chatId: string, platformMessageId: string): Promise<StoredMessage | undefined> {
    const [row] = await runCachedQuery(context, 'messages.getByPlatformId', [chatId, platformMessageId], () =>
      db().selectFrom('messages').selectAll().where('chat_id', '=', chatId).where('platform_message_id', '=', platformMessageId),
    );
    return row === undefined ? undefined : toMessage(row);
  }

  async function find(query: MessageQuery): Promise<StoredMessage[]> {
    const limit = normalizeLimit(query.limit) ?? defaultFindLimit;
    if (limit === 0) return [];
    const conditions = [sql`1 = 1`];
    if (query.afterId !== undefined) {
      const after = await db()
        .selectFrom('messages')
        .select(['timestamp', 'seq'])
        .where('id', '=', query.afterId)
        .executeTakeFirst();
      if (after === undefined) throw new NotFoundError('message', query.afterId);
      conditions.push(sql`(m.timestamp < ${after.timestamp} OR (m.timestamp = ${after.timestamp} AND m.seq < ${after.seq}))`);
    }
    if (query.text !== undefined) {
      const match = toFtsMatchQuery(query.text);
      if (match === undefined) return [];
      await catchUpSearchIndex();
      conditions.push(sql`m.seq IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ${match}) AND m.deleted_at IS NULL`);
    }
    if (query.chatId !== undefined) conditions.push(sql`m.chat_id = ${query.chatId}`);
    if (query.senderId !== undefined) conditions.push(sql`m.sender_id = ${query.senderId}`);
    if (query.fromTimestamp !== undefined) conditions.push(sql`m.timestamp >= ${query.fromTimestamp}`);
    if (query.toTimestamp !== undefined) conditions.push(sql`m.timestamp <= ${query.toTimestamp}`);
    const result = await sql<Selectable<MessagesTable>>`
      SELECT m.* FROM messages AS m WHERE ${sql.join(conditions, sql` AND `)}
      ORDER BY m.timestamp DESC, m.seq DESC LIMIT ${limit}`.execute(db());
    return result.rows.map(toMessage);
  }

  return {
    find,

    async insert(input) {
      assertAllowed(input.direction, allowedValues.direction, 'message', 'direction');
      const row: Insertable<MessagesTable> = {
        id: context.generateId(),
        chat_id: input.chatId,
        platform_message_id: input.platformMessageId,
        thread_id: input.threadId ?? null,
        sender_id: input.senderId,
        sender_name: input.senderName ?? null,
        text: input.text,
        mentions_bot: input.mentionsBot ? 1 : 0,
        reply_to_platform_id: input.replyToPlatformId ?? null,
        reply_to_author_id: input.replyToAuthorId ?? null,
        reply_to_author_name: input.replyToAuthorName ?? null,
        reply_to_text: input.replyToText ?? null,
        attachments:
          input.attachments === undefined || input.attachments.length === 0
            ? '[]'
            : toJsonColumn(input.attachments, 'message attachments'),
        timestamp: input.timestamp,
        direction: input.direction,
        hop: input.hop ?? 0,
        created_at: context.now(),
      };
      // One statement on the common path: the unique (chat, platform id) index turns a duplicate into a no-op.
      const [inserted] = await withReferences(db(), [['chat', 'chats', input.chatId]], () =>
        runCachedQuery(context, 'messages.insert', Object.values(row), () =>
          db()
            .insertInto('messages')
            .values(row)
            .onConflict((conflict) => conflict.columns(['chat_id', 'platform_message_id']).doNothing())
            .returningAll(),
        ),
      );
      if (inserted !== undefined) {
        context.searchIndex.unindexedInserts += 1;
        if (context.searchIndex.unindexedInserts >= indexBatchSize) await catchUpSearchIndex();
        return { message: toMessage(inserted), inserted: true };
      }
      const existing = await getByPlatformId(input.chatId, input.platformMessageId);
      if (existing === undefined) throw new Error('[@ngb/store] message insert conflicted but the stored message was not found');
      return { message: existing, inserted: false };
    },

    async edit(chatId, platformMessageId, change) {
      await db()
        .updateTable('messages')
        .set((update) => ({
          original_text: update.fn.coalesce('original_text', 'text'),
          text: change.text,
          edited_at: change.editedAt,
        }))
        .where('chat_id', '=', chatId)
        .where('platform_message_id', '=', platformMessageId)
        .where((where) => where.or([where('edited_at', 'is', null), where('edited_at', '<=', change.editedAt)]))
        .execute();
      return getByPlatformId(chatId, platformMessageId);
    },

    async markDeleted(chatId, platformMessageId, deletedAt) {
      await db()
        .updateTable('messages')
        .set({ deleted_at: deletedAt })
        .where('chat_id', '=', chatId)
        .where('platform_message_id', '=', platformMessageId)
        .where('deleted_at', 'is', null)
        .execute();
      return getByPlatformId(chatId, platformMessageId);
    },

    async get(id) {
      const [row] = await runCachedQuery(context, 'messages.get', [id], () =>
        db().selectFrom('messages').selectAll().where('id', '=', id),
      );
      return row === undefined ? undefined : toMessage(row);
    },

    getByPlatformId,

    async listForChat(chatId, options = {}) {
      const limit = normalizeLimit(options.limit);
      if (limit === 0) return [];
      let query = db()
        .selectFrom('messages')
        .selectAll()
        .where('chat_id', '=', chatId)
        .orderBy('timestamp', 'desc')
        .orderBy('seq', 'desc');
      if (options.afterTimestamp !== undefined) query = query.where('timestamp', '>', options.afterTimestamp);
      if (limit !== undefined) query = query.limit(limit);
      return (await query.execute()).reverse().map(toMessage);
    },

    async search(text, options = {}) {
      const match = toFtsMatchQuery(text);
      const limit = normalizeLimit(options.limit) ?? defaultSearchLimit;
      if (match === undefined || limit === 0) return [];
      await catchUpSearchIndex();
      const chatFilter = options.chatId === undefined ? sql`` : sql`AND m.chat_id = ${options.chatId}`;
      const result = await sql<Selectable<MessagesTable>>`
        SELECT m.* FROM messages_fts JOIN messages AS m ON m.seq = messages_fts.rowid
        WHERE messages_fts MATCH ${match} AND m.deleted_at IS NULL ${chatFilter}
        ORDER BY messages_fts.rank, m.timestamp DESC, m.seq DESC
        LIMIT ${limit}`.execute(db());
      return result.rows.map(toMessage);
    },
  };
}
