import { ConfigError, errorMessage, NgbError, type ScheduledTask, type TaskPatch, type TaskScheduleType } from '@ngb/plugin-sdk';
import { Cron } from 'croner';
import { isValidTimeZone } from './format-messages';
import { type WallClock, zonedTimeToInstant } from './zoned-time';

const durationPattern = /^(\d+)\s*(ms|s|m|h|d)?$/i;
const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
// Longer intervals would put the next run past what a date can hold (and mean nothing anyway).
const maxIntervalMs = 36_500 * 86_400_000;

/** Parses an interval such as `30m`, `2h`, `90s` or a number of milliseconds: 1 minute to 100 years. */
export function parseInterval(value: string): number | undefined {
  const match = durationPattern.exec(value.trim());
  if (!match) return undefined;
  const milliseconds = Number(match[1]) * (unitMs[(match[2] ?? 'ms').toLowerCase()] ?? 1);
  return milliseconds >= 60_000 && milliseconds <= maxIntervalMs ? milliseconds : undefined;
}

const isoTimePattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * The instant of a one-off task time in ISO 8601. A time with `Z` or an offset is that instant; a
 * time without one is read on the clocks of `timeZone` (never the host's): `2026-01-15T09:00:00`
 * in America/New_York is 14:00 UTC. Around daylight-saving changes see {@link zonedTimeToInstant}.
 * @throws ConfigError with the reason when the text is not such a time
 */
export function parseTaskTime(value: string, timeZone: string): number {
  const invalid = (why: string) =>
    new ConfigError(
      `[@ngb/core] invalid time "${value}": ${why}; use ISO 8601 such as 2026-12-24T08:00:00 (read in the task's time zone, ${timeZone}) or 2026-12-24T08:00:00Z`,
      { key: 'schedule_value' },
    );
  const match = isoTimePattern.exec(value.trim());
  if (!match) throw invalid('not a date and time');
  const field = (index: number) => Number(match[index] ?? 0);
  const wall: WallClock = {
    year: field(1),
    month: field(2),
    day: field(3),
    hour: field(4),
    minute: field(5),
    second: field(6),
    millisecond: Number((match[7] ?? '0').padEnd(3, '0')),
  };
  const check = new Date(Date.UTC(wall.year, wall.month - 1, wall.day));
  if (check.getUTCMonth() !== wall.month - 1 || check.getUTCDate() !== wall.day) throw invalid('no such date');
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) throw invalid('no such time of day');
  const zone = match[8];
  if (zone === undefined) return zonedTimeToInstant(wall, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.millisecond);
  if (zone.toUpperCase() === 'Z') return asUtc;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  if (offsetMinutes > 18 * 60) throw invalid('no such offset');
  return asUtc - (zone.startsWith('-') ? -1 : 1) * offsetMinutes * 60_000;
}

/**
 * The next run of a schedule after `after`, or undefined when a one-off time has passed.
 * @throws ConfigError with the reason when the schedule or time zone is invalid
 */
export function nextRunAt(
  scheduleType: TaskScheduleType,
  scheduleValue: string,
  timezone: string,
  after: number,
): number | undefined {
  if (!isValidTimeZone(timezone))
    throw new ConfigError(`[@ngb/core] unknown time zone "${timezone}" (use an IANA name such as Europe/Berlin)`, {
      key: 'timezone',
    });
  switch (scheduleType) {
    case 'cron': {
      let cron: Cron;
      try {
        cron = new Cron(scheduleValue, { timezone, paused: true });
      } catch (error) {
        throw new ConfigError(`[@ngb/core] invalid cron expression "${scheduleValue}": ${errorMessage(error)}`, {
          key: 'schedule_value',
        });
      }
      const next = cron.nextRun(new Date(after));
      cron.stop();
      return next?.getTime();
    }
    case 'interval': {
      const interval = parseInterval(scheduleValue);
      if (interval === undefined) {
        throw new ConfigError(
          `[@ngb/core] invalid interval "${scheduleValue}": use a duration from 1 minute to 100 years such as 30m, 2h or 1d`,
          { key: 'schedule_value' },
        );
      }
      return after + interval;
    }
    case 'once': {
      const at = parseTaskTime(scheduleValue, timezone);
      return at > after ? at : undefined;
    }
  }
}

const scheduleTypes: readonly TaskScheduleType[] = ['cron', 'interval', 'once'];

/** A new task's schedule as a person or an agent gives it. */
export interface TaskScheduleRequest {
  scheduleType: string;
  scheduleValue: string;
  /** IANA time zone; when left out, `defaultTimezone`. An interval takes none. */
  timezone?: string;
}

/**
 * Checks a new task's schedule the one way every entry point checks it (the `schedule_task` tool,
 * the HTTP API): a known type, no time zone on an interval, a valid cron expression, interval, time
 * and time zone, and a first run still to come.
 * @returns the checked type, the time zone the task runs in and its first run (epoch ms)
 * @throws ConfigError with the reason, its `key` the field at fault
 */
export function planTaskSchedule(
  request: TaskScheduleRequest,
  defaultTimezone: string,
  now: number,
): { scheduleType: TaskScheduleType; timezone: string; nextRunAt: number } {
  const scheduleType = scheduleTypes.find((type) => type === request.scheduleType);
  if (scheduleType === undefined) {
    throw new ConfigError(`[@ngb/core] schedule_type must be cron, interval or once, not "${request.scheduleType}"`, {
      key: 'schedule_type',
    });
  }
  if (scheduleType === 'interval' && request.timezone !== undefined) {
    throw new ConfigError(
      `[@ngb/core] an interval task runs every ${request.scheduleValue} from now, so a time zone means nothing for it; leave timezone out, or use cron for times of day in ${request.timezone}`,
      { key: 'timezone' },
    );
  }
  const timezone = request.timezone ?? defaultTimezone;
  const first = nextRunAt(scheduleType, request.scheduleValue, timezone, now);
  if (first === undefined) throw new ConfigError('[@ngb/core] that time is in the past', { key: 'schedule_value' });
  return { scheduleType, timezone, nextRunAt: first };
}

/**
 * The change that pauses, resumes (from the next run after `now`) or cancels a task.
 * @throws NgbError with code `task_state` when the task is completed or cancelled (it never runs
 *   again), or is an agent's heartbeat (it follows the agent's `heartbeat` config alone)
 */
export function taskStatusChange(task: ScheduledTask, status: 'active' | 'paused' | 'cancelled', now: number): TaskPatch {
  if (task.kind === 'heartbeat') {
    throw new NgbError(
      'task_state',
      "[@ngb/core] this task is the agent's heartbeat: change or remove the agent's heartbeat in the config (agents.<folder>.heartbeat)",
    );
  }
  if (task.status === 'completed' || task.status === 'cancelled') {
    throw new NgbError('task_state', `[@ngb/core] task is ${task.status}`);
  }
  if (status !== 'active') return { status };
  return { status, nextRunAt: nextRunAt(task.scheduleType, task.scheduleValue, task.timezone, now) ?? null };
}
