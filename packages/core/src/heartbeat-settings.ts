import * as v from 'valibot';
import { isValidTimeZone } from './format-messages';
import { parseInterval } from './schedule';

/** What an agent is asked at each heartbeat unless its config says otherwise. */
export const defaultHeartbeatPrompt =
  'Heartbeat: check on what you are keeping an eye on for the user (your notes, open tasks, anything due). If nothing needs the user now, answer exactly HEARTBEAT_OK and nothing else; otherwise write the message the user should get.';

const timeOfDay = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day such as 08:00 or 22:30'));

/** `activeHours`: heartbeats run only from `start` to `end` (end excluded) on the clocks of `timeZone`. */
const activeHoursSchema = v.pipe(
  v.object({
    start: timeOfDay,
    end: timeOfDay,
    /** @default the agent's time zone */
    timeZone: v.optional(v.pipe(v.string(), v.check(isValidTimeZone, 'must be an IANA time zone such as Europe/Berlin'))),
  }),
  v.check((hours) => hours.start !== hours.end, 'start and end must differ (leave activeHours out to run at any hour)'),
);

/** One agent's heartbeat, as the gateway's `heartbeats` option takes it. */
export const heartbeatSchema = v.object({
  /** How often, as an interval of at least a minute: `30m`, `2h`, `1d`. */
  every: v.pipe(
    v.string(),
    v.check((every) => parseInterval(every) !== undefined, 'must be an interval of at least 1 minute such as 30m, 2h or 1d'),
  ),
  activeHours: v.optional(activeHoursSchema),
  /** @default {@link defaultHeartbeatPrompt} */
  prompt: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty'))),
  /** The main chat, as `<channel>:<platform chat id>`; by default the agent's first direct chat with an owner. */
  chat: v.optional(v.pipe(v.string(), v.regex(/^[^:]+:.+$/, 'must be "<channel>:<platform chat id>", such as telegram:12345'))),
});

/** The gateway's `heartbeats` option: each agent's heartbeat, by agent folder. */
export const heartbeatsSchema = v.record(v.string(), heartbeatSchema);

/** One agent's heartbeat after checking. */
export type HeartbeatSettings = v.InferOutput<typeof heartbeatSchema>;

function minutesOf(time: string): number {
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/**
 * Whether `at` falls within the active hours, read on the clocks of `timeZone`. A window whose end
 * comes before its start runs over midnight (`22:00`–`06:00`).
 */
export function withinActiveHours(hours: { start: string; end: string }, timeZone: string, at: number): boolean {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const now = field('hour') * 60 + field('minute');
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  return start < end ? now >= start && now < end : now >= start || now < end;
}
