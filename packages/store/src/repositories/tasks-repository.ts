import type { ScheduledTask, TaskContextMode, TaskKind, TaskScheduleType, TaskStatus, TasksRepository } from '@ngb/plugin-sdk';
import { NotFoundError } from '@ngb/plugin-sdk';
import { type Selectable, sql } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import type { TasksTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { optional, withReferences } from '../row-helpers';

function toTask(row: Selectable<TasksTable>): ScheduledTask {
  return {
    id: row.id,
    kind: row.kind as TaskKind,
    agentId: row.agent_id,
    sessionId: optional(row.session_id),
    chatId: optional(row.chat_id),
    prompt: row.prompt,
    scheduleType: row.schedule_type as TaskScheduleType,
    scheduleValue: row.schedule_value,
    timezone: row.timezone,
    contextMode: row.context_mode as TaskContextMode,
    status: row.status as TaskStatus,
    nextRunAt: optional(row.next_run_at),
    lastRunAt: optional(row.last_run_at),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function createTasksRepository(context: RepositoryContext): TasksRepository {
  const { db, now } = context;
  return {
    async create(input) {
      assertAllowed(input.scheduleType, allowedValues.scheduleType, 'task', 'scheduleType');
      assertAllowed(input.contextMode, allowedValues.contextMode, 'task', 'contextMode');
      assertAllowed(input.status, allowedValues.taskStatus, 'task', 'status');
      assertAllowed(input.kind, allowedValues.taskKind, 'task', 'kind');
      const time = now();
      const row = await withReferences(
        db(),
        [
          ['agent', 'agents', input.agentId],
          ['session', 'sessions', input.sessionId],
          ['chat', 'chats', input.chatId],
        ],
        () =>
          db()
            .insertInto('tasks')
            .values({
              id: context.generateId(),
              kind: input.kind ?? 'task',
              agent_id: input.agentId,
              session_id: input.sessionId ?? null,
              chat_id: input.chatId ?? null,
              prompt: input.prompt,
              schedule_type: input.scheduleType,
              schedule_value: input.scheduleValue,
              timezone: input.timezone,
              context_mode: input.contextMode,
              status: input.status ?? 'active',
              next_run_at: input.nextRunAt ?? null,
              created_at: time,
              updated_at: time,
            })
            .returningAll()
            .executeTakeFirstOrThrow(),
      );
      return toTask(row);
    },

    async get(id) {
      const row = await db().selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : toTask(row);
    },

    async list(filter = {}) {
      let query = db().selectFrom('tasks').selectAll().orderBy('seq');
      if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      return (await query.execute()).map(toTask);
    },

    async update(id, patch) {
      assertAllowed(patch.scheduleType, allowedValues.scheduleType, 'task', 'scheduleType');
      assertAllowed(patch.status, allowedValues.taskStatus, 'task', 'status');
      const row = await db()
        .updateTable('tasks')
        .set({
          status: patch.status,
          next_run_at: patch.nextRunAt,
          last_run_at: patch.lastRunAt,
          prompt: patch.prompt,
          schedule_type: patch.scheduleType,
          schedule_value: patch.scheduleValue,
          timezone: patch.timezone,
          updated_at: now(),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (row === undefined) throw new NotFoundError('task', id);
      return toTask(row);
    },

    async due(at) {
      const rows = await db()
        .selectFrom('tasks')
        .selectAll()
        .where('status', '=', sql.lit('active'))
        .where('next_run_at', 'is not', null)
        .where('next_run_at', '<=', at)
        .orderBy('next_run_at')
        .orderBy('seq')
        .execute();
      return rows.map(toTask);
    },

    async nextDueAt() {
      const row = await db()
        .selectFrom('tasks')
        .select((eb) => eb.fn.min('next_run_at').as('next'))
        .where('status', '=', sql.lit('active'))
        .where('next_run_at', 'is not', null)
        .executeTakeFirst();
      return optional(row?.next ?? null);
    },

    async claimRun(id, dueAt, patch) {
      assertAllowed(patch.status, allowedValues.taskStatus, 'task', 'status');
      // Compare-and-set on next_run_at: of two processes firing this run, one changes the row.
      const result = await db()
        .updateTable('tasks')
        .set({ status: patch.status, next_run_at: patch.nextRunAt, last_run_at: patch.lastRunAt, updated_at: now() })
        .where('id', '=', id)
        .where('status', '=', sql.lit('active'))
        .where('next_run_at', '=', dueAt)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async remove(id) {
      const result = await db().deleteFrom('tasks').where('id', '=', id).executeTakeFirst();
      if (result.numDeletedRows === 0n) throw new NotFoundError('task', id);
    },
  };
}
