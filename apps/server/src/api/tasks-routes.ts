import { type Gateway, planTaskSchedule, taskStatusChange } from '@ngb/core';
import type { Clock, Store } from '@ngb/plugin-sdk';
import * as v from 'valibot';
import { type AnyApiRoute, defineRoute } from './api-route';
import { pageOf, pageQueryEntries, pageSchema } from './paging';
import { taskContextMode, taskRecord, taskRunRecord, taskScheduleType, taskStatus } from './record-schemas';
import { found, idParams, idText } from './route-inputs';

const newTask = v.strictObject({
  agentId: idText,
  chatId: v.pipe(idText, v.description('The chat the results are sent to.')),
  prompt: v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(20_000, 'must be at most 20000 characters')),
  scheduleType: taskScheduleType,
  scheduleValue: v.pipe(
    v.string(),
    v.maxLength(200),
    v.description('A cron expression (`0 8 * * *`), an interval of at least a minute (`30m`, `2h`, `1d`) or an ISO time.'),
  ),
  timezone: v.optional(
    v.pipe(v.string(), v.maxLength(100), v.description("IANA time zone; default: the agent's. An interval takes none.")),
  ),
  contextMode: v.optional(taskContextMode, 'group'),
});

/** `GET /tasks`, `POST /tasks`, `GET /tasks/:id`, `POST /tasks/:id/pause|resume|cancel`, `GET /tasks/:id/runs`. */
export function tasksRoutes(parts: { store: Store; gateway: Gateway; clock: Clock }): AnyApiRoute[] {
  const { store, gateway, clock } = parts;
  const task = async (id: string) => found(await store.tasks.get(id), 'task', id);
  const statusRoute = (action: 'pause' | 'resume' | 'cancel', status: 'paused' | 'active' | 'cancelled', summary: string) =>
    defineRoute({
      method: 'post',
      path: `/tasks/:id/${action}`,
      tag: 'tasks',
      summary,
      description: 'A completed or cancelled task never runs again: changing it is refused (409).',
      params: idParams,
      response: taskRecord,
      errors: [404, 409],
      handle: async ({ params }) => {
        const current = await task(params.id);
        const changed = await store.tasks.update(current.id, taskStatusChange(current, status, clock.now()));
        await gateway.tasksChanged();
        return changed;
      },
    });
  return [
    defineRoute({
      method: 'get',
      path: '/tasks',
      tag: 'tasks',
      summary: 'The scheduled tasks, oldest first; `agent` and `status` filter',
      query: v.object({ agent: v.optional(idText), status: v.optional(taskStatus), ...pageQueryEntries }),
      response: pageSchema(taskRecord),
      handle: async ({ query }) => pageOf(await store.tasks.list({ agentId: query.agent, status: query.status }), query),
    }),
    defineRoute({
      method: 'post',
      path: '/tasks',
      tag: 'tasks',
      summary: "Schedules a prompt for an agent, checked as the agent's `schedule_task` tool checks it",
      description:
        'An invalid cron expression, interval, time or time zone, a time zone on an interval, or a one-off time in the past is refused (400) with the reason.',
      body: newTask,
      response: taskRecord,
      status: 201,
      errors: [404, 415],
      handle: async ({ body }) => {
        const agent = found(await store.agents.get(body.agentId), 'agent', body.agentId);
        const chat = found(await store.chats.get(body.chatId), 'chat', body.chatId);
        const plan = planTaskSchedule(body, agent.timezone, clock.now());
        const created = await store.tasks.create({
          agentId: agent.id,
          chatId: chat.id,
          prompt: body.prompt,
          scheduleType: plan.scheduleType,
          scheduleValue: body.scheduleValue,
          timezone: plan.timezone,
          contextMode: body.contextMode,
          nextRunAt: plan.nextRunAt,
        });
        await gateway.tasksChanged();
        return created;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tasks/:id',
      tag: 'tasks',
      summary: 'One task',
      params: idParams,
      response: taskRecord,
      errors: [404],
      handle: ({ params }) => task(params.id),
    }),
    statusRoute('pause', 'paused', 'Pauses a task'),
    statusRoute('resume', 'active', 'Resumes a task from its next run after now'),
    statusRoute('cancel', 'cancelled', 'Cancels a task for good'),
    defineRoute({
      method: 'get',
      path: '/tasks/:id/runs',
      tag: 'tasks',
      summary: "The task's runs, oldest first",
      params: idParams,
      query: v.object(pageQueryEntries),
      response: pageSchema(taskRunRecord),
      errors: [404],
      handle: async ({ params, query }) => {
        await task(params.id);
        return pageOf(await store.taskRuns.listForTask(params.id), query);
      },
    }),
  ];
}
