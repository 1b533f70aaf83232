/** How a task repeats: a cron expression, an interval in ms, or one ISO/epoch time. */
export type TaskScheduleType = 'cron' | 'interval' | 'once';
/** Whether a task runs in its chat's session (`group`) or in a fresh one (`isolated`). */
export type TaskContextMode = 'group' | 'isolated';
/**
 * What a task is: one the agent or a person scheduled (`task`), or an agent's heartbeat (`heartbeat`),
 * the system task the gateway keeps in sync with the agent's `heartbeat` config.
 */
export type TaskKind = 'task' | 'heartbeat';
/** Life of a task. */
export type TaskStatus = 'active' | 'paused' | 'completed' | 'cancelled';

/** A scheduled prompt. The store keeps it; the core validates schedules and computes `nextRunAt`. */
export interface ScheduledTask {
  id: string;
  kind: TaskKind;
  agentId: string;
  sessionId?: string;
  /** The store's chat id the task reports to. */
  chatId?: string;
  prompt: string;
  scheduleType: TaskScheduleType;
  scheduleValue: string;
  timezone: string;
  contextMode: TaskContextMode;
  status: TaskStatus;
  nextRunAt?: number;
  lastRunAt?: number;
  createdAt: number;
  updatedAt: number;
}

/** Input of {@link TasksRepository.create}. */
export interface NewScheduledTask {
  /** @default 'task' */
  kind?: TaskKind;
  agentId: string;
  sessionId?: string;
  chatId?: string;
  prompt: string;
  scheduleType: TaskScheduleType;
  scheduleValue: string;
  timezone: string;
  contextMode: TaskContextMode;
  nextRunAt?: number;
  /** @default 'active' */
  status?: TaskStatus;
}

/** Changes to a task; `null` clears the optional fields. */
export interface TaskPatch {
  status?: TaskStatus;
  nextRunAt?: number | null;
  lastRunAt?: number | null;
  prompt?: string;
  scheduleType?: TaskScheduleType;
  scheduleValue?: string;
  timezone?: string;
}

/** Scheduled tasks. */
export interface TasksRepository {
  /** @throws NotFoundError for an unknown agent, session or chat */
  create(input: NewScheduledTask): Promise<ScheduledTask>;
  /** @returns undefined for an unknown id */
  get(id: string): Promise<ScheduledTask | undefined>;
  list(filter?: { agentId?: string; status?: TaskStatus }): Promise<ScheduledTask[]>;
  /** @throws NotFoundError for an unknown id */
  update(id: string, patch: TaskPatch): Promise<ScheduledTask>;
  /** @returns `active` tasks with `nextRunAt <= now`, earliest `nextRunAt` first */
  due(now: number): Promise<ScheduledTask[]>;
  /** @returns the earliest `nextRunAt` of `active` tasks (to arm one timer), or undefined */
  nextDueAt(): Promise<number | undefined>;
  /**
   * Claims one firing of a due task: applies `patch` only when the task is still `active` with
   * `nextRunAt` equal to `dueAt`, in one compare-and-set statement. Of two processes firing the same
   * task at once, exactly one gets true; the other must not run it.
   * @returns true when this caller claimed the firing
   */
  claimRun(id: string, dueAt: number, patch: Pick<TaskPatch, 'status' | 'nextRunAt' | 'lastRunAt'>): Promise<boolean>;
  /** Deletes a task and its runs. @throws NotFoundError for an unknown id */
  remove(id: string): Promise<void>;
}

/** One run of a task. */
export interface TaskRun {
  id: string;
  taskId: string;
  startedAt: number;
  endedAt?: number;
  status: 'succeeded' | 'failed';
  result?: string;
  error?: string;
}

/** History of task runs. */
export interface TaskRunsRepository {
  /** @throws NotFoundError for an unknown task */
  add(input: Omit<TaskRun, 'id'>): Promise<TaskRun>;
  /** @param options.limit keep the most recent `limit` runs (still oldest first) */
  listForTask(taskId: string, options?: { limit?: number }): Promise<TaskRun[]>;
}
