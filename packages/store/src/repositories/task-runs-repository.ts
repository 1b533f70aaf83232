import type { TaskRun, TaskRunsRepository } from '@ngb/plugin-sdk';
import type { Selectable } from 'kysely';
import { allowedValues, assertAllowed } from '../allowed-values';
import type { TaskRunsTable } from '../database-schema';
import type { RepositoryContext } from '../repository-context';
import { normalizeLimit, optional, withReferences } from '../row-helpers';

function toTaskRun(row: Selectable<TaskRunsTable>): TaskRun {
  return {
    id: row.id,
    taskId: row.task_id,
    startedAt: row.started_at,
    endedAt: optional(row.ended_at),
    status: row.status as TaskRun['status'],
    result: optional(row.result),
    error: optional(row.error),
  };
}

export function createTaskRunsRepository(context: RepositoryContext): TaskRunsRepository {
  const { db } = context;
  return {
    async add(input) {
      assertAllowed(input.status, allowedValues.taskRunStatus, 'task run', 'status');
      const row = await withReferences(db(), [['task', 'tasks', input.taskId]], () =>
        db()
          .insertInto('task_runs')
          .values({
            id: context.generateId(),
            task_id: input.taskId,
            started_at: input.startedAt,
            ended_at: input.endedAt ?? null,
            status: input.status,
            result: input.result ?? null,
            error: input.error ?? null,
          })
          .returningAll()
          .executeTakeFirstOrThrow(),
      );
      return toTaskRun(row);
    },

    async listForTask(taskId, options = {}) {
      const limit = normalizeLimit(options.limit);
      if (limit === 0) return [];
      let query = db().selectFrom('task_runs').selectAll().where('task_id', '=', taskId).orderBy('seq', 'desc');
      if (limit !== undefined) query = query.limit(limit);
      return (await query.execute()).reverse().map(toTaskRun);
    },
  };
}
