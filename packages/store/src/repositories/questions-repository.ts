import type { Question, QuestionStatus, QuestionsRepository } from '@ngb/plugin-sdk';
import { NotFoundError } from '@ngb/plugin-sdk';
import { type Selectable, sql } from 'kysely';
import { runCachedQuery } from '../cached-query';
import type { QuestionsTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { optional, parseJsonColumn, toJsonColumn, withReferences } from '../row-helpers';

function toQuestion(row: Selectable<QuestionsTable>, context: RepositoryContext): Question {
  return {
    id: row.id,
    key: row.key,
    sessionId: row.session_id,
    turnId: row.turn_id,
    agentId: row.agent_id,
    chatId: row.chat_id,
    threadId: optional(row.thread_id),
    text: row.text,
    options: parseJsonColumn<string[]>(row.options, [], context.logger, 'questions.options'),
    defaultOption: optional(row.default_option),
    status: row.status as QuestionStatus,
    answer: optional(row.answer),
    answeredBy: optional(row.answered_by),
    expiresAt: row.expires_at,
    createdAt: row.created_at,
    endedAt: optional(row.ended_at),
  };
}

export function createQuestionsRepository(context: RepositoryContext): QuestionsRepository {
  const { db } = context;

  async function get(id: string): Promise<Question | undefined> {
    const row = await db().selectFrom('questions').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toQuestion(row, context);
  }

  return {
    async create(input) {
      const row = await withReferences(
        db(),
        [
          ['session', 'sessions', input.sessionId],
          ['turn', 'turns', input.turnId],
          ['agent', 'agents', input.agentId],
          ['chat', 'chats', input.chatId],
        ],
        () =>
          db()
            .insertInto('questions')
            .values({
              id: context.generateId(),
              key: input.key,
              session_id: input.sessionId,
              turn_id: input.turnId,
              agent_id: input.agentId,
              chat_id: input.chatId,
              thread_id: input.threadId ?? null,
              text: input.text,
              options: toJsonColumn(input.options, 'question options'),
              default_option: input.defaultOption ?? null,
              status: 'pending',
              expires_at: input.expiresAt,
              created_at: input.createdAt,
            })
            .onConflict((conflict) => conflict.column('key').doNothing())
            .returningAll()
            .executeTakeFirst(),
      );
      if (row !== undefined) return { question: toQuestion(row, context), inserted: true };
      const existing = await db().selectFrom('questions').selectAll().where('key', '=', input.key).executeTakeFirstOrThrow();
      return { question: toQuestion(existing, context), inserted: false };
    },

    get,

    async listPending(chatId) {
      // Read for every message routed in a known chat (a reply may answer a waiting question).
      const rows = await runCachedQuery(context, 'questions.listPending', [chatId], () =>
        db()
          .selectFrom('questions')
          .selectAll()
          .where('chat_id', '=', chatId)
          .where('status', '=', sql.lit('pending'))
          .orderBy('seq'),
      );
      return rows.map((row) => toQuestion(row, context));
    },

    async end(id, outcome) {
      const current = await get(id);
      if (current === undefined) throw new NotFoundError('question', id);
      const values =
        outcome.status === 'answered'
          ? { status: 'answered', answer: outcome.answer, answered_by: outcome.answeredBy, ended_at: outcome.at }
          : { status: 'expired', answer: current.defaultOption ?? null, ended_at: outcome.at };
      const row = await db()
        .updateTable('questions')
        .set(values)
        .where('id', '=', id)
        .where('status', '=', sql.lit('pending'))
        .returningAll()
        .executeTakeFirst();
      return row === undefined ? current : toQuestion(row, context);
    },
  };
}
