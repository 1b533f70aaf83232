import type {
  Logger,
  MessageFormat,
  NewOutboxEntry,
  OutboundChoice,
  OutboxEntry,
  OutboxRepository,
  OutboxStatus,
} from '@ngb/plugin-sdk';
import { NgbError, NotFoundError } from '@ngb/plugin-sdk';
import { type Selectable, sql, type UpdateObject } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import type { OutboxTable, StoreDatabase } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { optional, parseJsonColumn, toJsonColumn, withReferences } from '../row-helpers';

function toOutboxEntry(row: Selectable<OutboxTable>, logger: Logger): OutboxEntry {
  const choices =
    row.choices === null
      ? undefined
      : parseJsonColumn<OutboundChoice[] | undefined>(row.choices, undefined, logger, 'outbox.choices');
  return {
    id: row.id,
    key: row.key,
    sessionId: optional(row.session_id),
    turnId: optional(row.turn_id),
    channel: row.channel,
    chatId: row.chat_id,
    threadId: optional(row.thread_id),
    text: row.text,
    format: row.format as MessageFormat,
    replyToPlatformId: optional(row.reply_to_platform_id),
    status: row.status as OutboxStatus,
    attempts: row.attempts,
    error: optional(row.error),
    nextAttemptAt: optional(row.next_attempt_at),
    permanentFailure: row.permanent_failure === 1,
    platformMessageId: optional(row.platform_message_id),
    sentChunkIds: JSON.parse(row.sent_chunk_ids) as string[],
    streamMessageIds: JSON.parse(row.stream_message_ids) as string[],
    streaming: row.streaming === 1,
    hop: row.hop,
    ...(choices === undefined ? {} : { choices }),
    sentAt: optional(row.sent_at),
    failedAt: optional(row.failed_at),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createOutboxRepository(context: RepositoryContext): OutboxRepository {
  const { db, now } = context;

  async function change(id: string, values: UpdateObject<StoreDatabase, 'outbox'>): Promise<OutboxEntry> {
    const row = await db()
      .updateTable('outbox')
      .set({ ...values, updated_at: now() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (row === undefined) throw new NotFoundError('outbox entry', id);
    return toOutboxEntry(row, context.logger);
  }

  async function insert(input: NewOutboxEntry, streaming: boolean): Promise<{ entry: OutboxEntry; inserted: boolean }> {
    assertAllowed(input.format, allowedValues.format, 'outbox entry', 'format');
    const time = now();
    const row = await withReferences(
      db(),
      [
        ['session', 'sessions', input.sessionId],
        ['turn', 'turns', input.turnId],
      ],
      () =>
        db()
          .insertInto('outbox')
          .values({
            id: context.generateId(),
            key: input.key,
            session_id: input.sessionId ?? null,
            turn_id: input.turnId ?? null,
            channel: input.channel,
            chat_id: input.chatId,
            thread_id: input.threadId ?? null,
            text: input.text,
            format: input.format ?? 'plain',
            reply_to_platform_id: input.replyToPlatformId ?? null,
            hop: input.hop ?? 0,
            choices: input.choices === undefined ? null : toJsonColumn(input.choices, 'outbox choices'),
            status: 'pending',
            attempts: 0,
            permanent_failure: 0,
            streaming: streaming ? 1 : 0,
            created_at: time,
            updated_at: time,
          })
          .onConflict((conflict) => conflict.column('key').doNothing())
          .returningAll()
          .executeTakeFirst(),
    );
    if (row !== undefined) return { entry: toOutboxEntry(row, context.logger), inserted: true };
    const existing = await db().selectFrom('outbox').selectAll().where('key', '=', input.key).executeTakeFirstOrThrow();
    return { entry: toOutboxEntry(existing, context.logger), inserted: false };
  }

  return {
    enqueue: (input) => insert(input, false),

    async openStream(input) {
      return (await insert(input, true)).entry;
    },

    recordStreamMessage(id, platformMessageId) {
      return change(id, { stream_message_ids: sql<string>`json_insert(stream_message_ids, '$[#]', ${platformMessageId})` });
    },

    closeStream(id, text) {
      return change(id, { text, streaming: 0 });
    },

    async get(id) {
      const row = await db().selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toOutboxEntry(row, context.logger);
    },

    async listPending(filter = {}) {
      let query = db()
        .selectFrom('outbox')
        .selectAll()
        .where('status', '=', sql.lit('pending'))
        .where('streaming', '=', 0)
        .orderBy('seq');
      if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
      if (filter.chatId !== undefined) query = query.where('chat_id', '=', filter.chatId);
      return (await query.execute()).map((row) => toOutboxEntry(row, context.logger));
    },

    async listSentToChat(channel, chatId, options) {
      const rows = await db()
        .selectFrom('outbox')
        .selectAll()
        .where('status', '=', sql.lit('sent'))
        .where('channel', '=', channel)
        .where('chat_id', '=', chatId)
        .orderBy('sent_at', 'desc')
        .orderBy('seq', 'desc')
        .limit(Math.max(0, Math.floor(options.limit)))
        .execute();
      return rows.reverse().map((row) => toOutboxEntry(row, context.logger));
    },

    markSent(id, platformMessageId, sentAt) {
      return change(id, {
        status: 'sent',
        platform_message_id: platformMessageId,
        sent_at: sentAt,
        error: null,
        next_attempt_at: null,
      });
    },

    markFailed(id, error, options) {
      return change(id, {
        status: 'failed',
        error,
        attempts: (eb) => eb('attempts', '+', 1),
        next_attempt_at: null,
        permanent_failure: options.permanent ? 1 : 0,
        failed_at: options.failedAt ?? now(),
      });
    },

    async listFailed(options = {}) {
      const rows = await db()
        .selectFrom('outbox')
        .selectAll()
        .where('status', '=', sql.lit('failed'))
        .orderBy('failed_at', 'desc')
        .orderBy('seq', 'desc')
        .limit(options.limit ?? 100)
        .execute();
      return rows.map((row) => toOutboxEntry(row, context.logger));
    },

    async requeue(id) {
      const row = await db()
        .updateTable('outbox')
        .set({
          status: 'pending',
          attempts: 0,
          error: null,
          next_attempt_at: null,
          permanent_failure: 0,
          failed_at: null,
          updated_at: now(),
        })
        .where('id', '=', id)
        .where('status', '=', sql.lit('failed'))
        .returningAll()
        .executeTakeFirst();
      if (row !== undefined) return toOutboxEntry(row, context.logger);
      const current = await db().selectFrom('outbox').select('status').where('id', '=', id).executeTakeFirst();
      if (current === undefined) throw new NotFoundError('outbox entry', id);
      throw new NgbError(
        'outbox_not_failed',
        `[@ngb/store] outbox entry ${id} is ${current.status}, not failed: only a failed delivery can be retried`,
      );
    },

    recordChunk(id, platformMessageId) {
      return change(id, { sent_chunk_ids: sql<string>`json_insert(sent_chunk_ids, '$[#]', ${platformMessageId})` });
    },

    bumpAttempt(id, error, nextAttemptAt) {
      return change(id, { error, attempts: (eb) => eb('attempts', '+', 1), next_attempt_at: nextAttemptAt });
    },

    async pendingChats() {
      const rows = await db()
        .selectFrom('outbox')
        .select(['channel', 'chat_id'])
        .select((eb) => eb.fn.min('seq').as('first_seq'))
        .where('status', '=', sql.lit('pending'))
        .where('streaming', '=', 0)
        .groupBy(['channel', 'chat_id'])
        .orderBy('first_seq')
        .execute();
      return rows.map((row) => ({ channel: row.channel, chatId: row.chat_id }));
    },
  };
}
