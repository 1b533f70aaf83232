import { ConfigError, type TaskScheduleType } from '@ngb/plugin-sdk';
import { Cron } from 'croner';
import { isValidTimeZone } from './format-messages';

const durationPattern = /^(\d+)\s*(ms|s|m|h|d)?$/i;
const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses an interval such as `30m`, `2h`, `90s` or a number of milliseconds. */
export function parseInterval(value: string): number | undefined {
  const match = durationPattern.exec(value.trim());
  if (!match) return undefined;
  const milliseconds = Number(match[1]) * (unitMs[(match[2] ?? 'ms').toLowerCase()] ?? 1);
  return milliseconds >= 60_000 ? milliseconds : undefined;
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
        throw new ConfigError(`[@ngb/core] invalid cron expression "${scheduleValue}": ${(error as Error).message}`, {
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
          `[@ngb/core] invalid interval "${scheduleValue}": use a duration of at least 1 minute such as 30m, 2h or 1d`,
          { key: 'schedule_value' },
        );
      }
      return after + interval;
    }
    case 'once': {
      const at = Date.parse(scheduleValue);
      if (Number.isNaN(at))
        throw new ConfigError(`[@ngb/core] invalid time "${scheduleValue}": use ISO 8601 such as 2026-12-24T08:00:00Z`, {
          key: 'schedule_value',
        });
      return at > after ? at : undefined;
    }
  }
}
