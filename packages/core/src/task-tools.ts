import { type Clock, defineTool, errorMessage, NgbError, type Store, type TaskPatch, type Tool } from '@ngb/plugin-sdk';
import { type ChatPlaces, homeChat, isEphemeralChannel } from './home-chat';
import { planTaskSchedule, taskStatusChange } from './schedule';
import type { TurnInfo } from './turn-runner';

/** What the task tools need. */
export interface TaskToolsOptions {
  store: Store;
  clock: Clock;
  places: ChatPlaces;
  /** Re-arms the scheduler after a task changed. */
  reschedule: () => Promise<void>;
}

const taskId = { type: 'string', description: 'The id of one of your tasks (from list_tasks).' };

/**
 * Where a new task reports: the conversation it was scheduled in, unless that conversation lives
 * only as long as one process (a terminal): then the agent's home chat or the owner's, and when
 * there is none the task is refused rather than left with nobody to deliver to.
 */
async function taskTarget(
  { store, places }: Pick<TaskToolsOptions, 'store' | 'places'>,
  turn: TurnInfo,
): Promise<{ sessionId?: string; chatId?: string; note?: string; refusal?: string }> {
  const chat = turn.session.chatId ? await store.chats.get(turn.session.chatId) : undefined;
  if (!chat || !isEphemeralChannel(places, chat.channel)) return { sessionId: turn.session.id, chatId: turn.session.chatId };
  const home = await homeChat(store, places, turn.agent.id);
  if (!home) {
    return {
      refusal: `this conversation is in a terminal ("${chat.name}"), which cannot receive a result once its command has ended, and agent "${turn.agent.name}" has no chat (nor has the owner) to send it to instead; schedule it from a chat app conversation with the agent`,
    };
  }
  return {
    chatId: home.id,
    note: `; it runs in the gateway serving the chat apps, and its result goes to chat "${home.name}" (${home.channel}), because this terminal conversation cannot receive it once its command has ended`,
  };
}

/** A schedule checked by {@link planTaskSchedule}, or its refusal in words for the model. */
function checkedSchedule(
  ...request: Parameters<typeof planTaskSchedule>
): ReturnType<typeof planTaskSchedule> | { refusal: string } {
  try {
    return planTaskSchedule(...request);
  } catch (error) {
    return { refusal: errorMessage(error).replace('[@ngb/core] ', '') };
  }
}

/** Host tools to schedule recurring or one-off prompts and manage them. */
export function createTaskTools(options: TaskToolsOptions, turn: TurnInfo): Tool[] {
  const { store, clock } = options;

  const ownTask = async (id: string) => {
    const task = await store.tasks.get(id);
    // The heartbeat follows the config alone: the agent can neither see nor change it.
    return task && task.agentId === turn.agent.id && task.kind === 'task' ? task : undefined;
  };

  const scheduleTask = defineTool<{
    prompt: string;
    schedule_type: 'cron' | 'interval' | 'once';
    schedule_value: string;
    timezone?: string;
    context_mode?: 'group' | 'isolated';
  }>({
    name: 'schedule_task',
    description:
      'Schedule a prompt to run later: cron ("0 8 * * *" = every day at 8:00), interval ("30m", "2h", "1d") or once (ISO time). The result is sent to this chat. context_mode "group" runs in this conversation, "isolated" in a fresh one.',
    inputSchema: {
      type: 'object',
      properties: {
        prompt: { type: 'string' },
        schedule_type: { type: 'string', enum: ['cron', 'interval', 'once'] },
        schedule_value: { type: 'string' },
        timezone: { type: 'string', description: 'IANA time zone; default: the agent time zone.' },
        context_mode: { type: 'string', enum: ['group', 'isolated'] },
      },
      required: ['prompt', 'schedule_type', 'schedule_value'],
    },
    where: 'host',
    async execute(input) {
      const plan = checkedSchedule(
        { scheduleType: input.schedule_type, scheduleValue: input.schedule_value, timezone: input.timezone },
        turn.agent.timezone,
        clock.now(),
      );
      if ('refusal' in plan) return { output: `not scheduled: ${plan.refusal}`, isError: true };
      const target = await taskTarget(options, turn);
      if (target.refusal) return { output: `not scheduled: ${target.refusal}`, isError: true };
      const task = await store.tasks.create({
        agentId: turn.agent.id,
        sessionId: target.sessionId,
        chatId: target.chatId,
        prompt: input.prompt,
        scheduleType: plan.scheduleType,
        scheduleValue: input.schedule_value,
        timezone: plan.timezone,
        contextMode: input.context_mode ?? 'group',
        nextRunAt: plan.nextRunAt,
      });
      await options.reschedule();
      return { output: `scheduled task ${task.id}; first run ${new Date(plan.nextRunAt).toISOString()}${target.note ?? ''}` };
    },
  });

  const listTasks = defineTool({
    name: 'list_tasks',
    description: 'List your scheduled tasks.',
    inputSchema: { type: 'object', properties: {} },
    where: 'host',
    async execute() {
      const tasks = (await store.tasks.list({ agentId: turn.agent.id })).filter((task) => task.kind === 'task');
      if (tasks.length === 0) return { output: 'no tasks' };
      const lines = tasks.map((task) => {
        const next = task.nextRunAt ? new Date(task.nextRunAt).toISOString() : '-';
        return `${task.id} [${task.status}] ${task.scheduleType} ${task.scheduleValue} (${task.timezone}) next ${next}: ${task.prompt}`;
      });
      return { output: lines.join('\n') };
    },
  });

  const statusTool = (name: string, description: string, status: 'paused' | 'active' | 'cancelled') =>
    defineTool<{ task_id: string }>({
      name,
      description,
      inputSchema: { type: 'object', properties: { task_id: taskId }, required: ['task_id'] },
      where: 'host',
      async execute(input) {
        const task = await ownTask(input.task_id);
        if (!task) return { output: `unknown task "${input.task_id}"`, isError: true };
        let patch: TaskPatch;
        try {
          patch = taskStatusChange(task, status, clock.now());
        } catch (error) {
          if (!NgbError.isInstance(error) || error.code !== 'task_state') throw error;
          return { output: errorMessage(error).replace('[@ngb/core] ', ''), isError: true };
        }
        await store.tasks.update(task.id, patch);
        await options.reschedule();
        return { output: `task ${task.id} is ${status}` };
      },
    });

  const updateTask = defineTool<{
    task_id: string;
    prompt?: string;
    schedule_type?: 'cron' | 'interval' | 'once';
    schedule_value?: string;
    timezone?: string;
  }>({
    name: 'update_task',
    description:
      'Change the prompt and/or the schedule of one of your tasks (same schedule forms as schedule_task). A new schedule needs schedule_value; schedule_type defaults to the current one.',
    inputSchema: {
      type: 'object',
      properties: {
        task_id: taskId,
        prompt: { type: 'string' },
        schedule_type: { type: 'string', enum: ['cron', 'interval', 'once'] },
        schedule_value: { type: 'string' },
        timezone: { type: 'string', description: 'IANA time zone; default: the task time zone (cron, once).' },
      },
      required: ['task_id'],
    },
    where: 'host',
    async execute(input) {
      const task = await ownTask(input.task_id);
      if (!task)
        return { output: `not updated: no task "${input.task_id}" of yours (see list_tasks); nothing changed`, isError: true };
      if (task.status === 'completed' || task.status === 'cancelled') {
        return {
          output: `not updated: task ${task.id} is ${task.status} and never runs again; schedule a new one`,
          isError: true,
        };
      }
      const reschedules = input.schedule_type !== undefined || input.schedule_value !== undefined || input.timezone !== undefined;
      if (input.prompt === undefined && !reschedules) {
        return {
          output: 'not updated: give a new prompt, or a new schedule_value (and schedule_type or timezone)',
          isError: true,
        };
      }
      if (input.prompt !== undefined && input.prompt.trim() === '')
        return { output: 'not updated: the prompt is empty', isError: true };
      const patch: TaskPatch = input.prompt === undefined ? {} : { prompt: input.prompt };
      if (reschedules) {
        const scheduleType = input.schedule_type ?? task.scheduleType;
        const scheduleValue = input.schedule_value ?? (input.schedule_type === undefined ? task.scheduleValue : undefined);
        if (scheduleValue === undefined) {
          return { output: `not updated: a new schedule_type needs its schedule_value; nothing changed`, isError: true };
        }
        // An interval has no time zone; a cron or once task keeps its own unless given another.
        const timezone = input.timezone ?? (scheduleType === 'interval' ? undefined : task.timezone);
        const plan = checkedSchedule({ scheduleType, scheduleValue, timezone }, turn.agent.timezone, clock.now());
        if ('refusal' in plan) return { output: `not updated: ${plan.refusal}; nothing changed`, isError: true };
        Object.assign(patch, {
          scheduleType: plan.scheduleType,
          scheduleValue,
          timezone: plan.timezone,
          ...(task.status === 'active' ? { nextRunAt: plan.nextRunAt } : {}),
        });
      }
      const updated = await store.tasks.update(task.id, patch);
      await options.reschedule();
      const next = updated.nextRunAt ? `; next run ${new Date(updated.nextRunAt).toISOString()}` : '';
      return { output: `updated task ${task.id} [${updated.status}]${next}` };
    },
  });

  return [
    scheduleTask,
    updateTask,
    listTasks,
    statusTool('pause_task', 'Pause one of your scheduled tasks.', 'paused'),
    statusTool('resume_task', 'Resume a paused task.', 'active'),
    statusTool('cancel_task', 'Cancel one of your scheduled tasks for good.', 'cancelled'),
  ];
}
