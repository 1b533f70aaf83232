import { ConfigError } from '@ngb/plugin-sdk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextRunAt, parseInterval, parseTaskTime, planTaskSchedule } from './schedule';

const seed = 16_4003;
const zones = ['UTC', 'Asia/Tokyo', 'Asia/Kolkata', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe'];
const now = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2090, 0, 1) });
/** The latest instant a JavaScript Date can hold. */
const maxDate = 8.64e15;

interface CronField {
  text: string;
  values: Set<number>;
}

/** One cron field over [min, max]: `*`, a value, a range, a step, or a list of those, with the values it allows. */
function cronField(min: number, max: number): fc.Arbitrary<CronField> {
  const span = (from: number, to: number, step: number) => {
    const values = new Set<number>();
    for (let value = from; value <= to; value += step) values.add(value);
    return values;
  };
  const value = fc.integer({ min, max });
  const range = fc.tuple(value, value).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
  const step = fc.integer({ min: 1, max: Math.max(1, max - min) });
  const part: fc.Arbitrary<CronField> = fc.oneof(
    value.map((n) => ({ text: `${n}`, values: new Set([n]) })),
    range.map(([a, b]) => ({ text: `${a}-${b}`, values: span(a, b, 1) })),
    step.map((s) => ({ text: `*/${s}`, values: span(min, max, s) })),
    fc.tuple(range, step).map(([[a, b], s]) => ({ text: `${a}-${b}/${s}`, values: span(a, b, s) })),
  );
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant({ text: '*', values: span(min, max, 1) }) },
    { weight: 3, arbitrary: part },
    {
      weight: 1,
      arbitrary: fc.array(part, { minLength: 2, maxLength: 3 }).map((parts) => ({
        text: parts.map((p) => p.text).join(','),
        values: new Set(parts.flatMap((p) => [...p.values])),
      })),
    },
  );
}

const cron = fc.record({
  minute: cronField(0, 59),
  hour: cronField(0, 23),
  day: cronField(1, 28),
  month: cronField(1, 12),
  weekday: cronField(0, 6),
});

function wallClock(instant: number, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      minute: 'numeric',
      hour: 'numeric',
      day: 'numeric',
      month: 'numeric',
      weekday: 'short',
      second: 'numeric',
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    second: Number(parts.second),
    minute: Number(parts.minute),
    hour: Number(parts.hour),
    day: Number(parts.day),
    month: Number(parts.month),
    weekday: weekdays.indexOf(parts.weekday ?? ''),
  };
}

function expectOnlyConfigErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
  }
}

const garbage = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        '*',
        '/',
        '-',
        ',',
        '?',
        'L',
        'W',
        '#',
        ' ',
        '0',
        '7',
        '60',
        '99',
        '1e9',
        'MON',
        'JAN',
        '@daily',
        'Z',
        'T',
        ':',
        '+',
      ),
      {
        maxLength: 14,
      },
    )
    .map((parts) => parts.join('')),
  fc.stringMatching(/^\d{1,5}-\d{1,3}-\d{1,3}[T ]\d{1,3}:\d{1,3}(:\d{1,3})?(Z|[+-]\d{2}:?\d{2})?$/),
);

describe('schedules (property)', () => {
  it('refuse any text of any type with a ConfigError, nothing else', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('cron', 'interval', 'once') as fc.Arbitrary<'cron'>,
        garbage,
        fc.constantFrom(...zones),
        now,
        (type, value, zone, after) =>
          expectOnlyConfigErrors(() => {
            const next = nextRunAt(type, value, zone, after);
            if (next !== undefined) {
              expect(Number.isSafeInteger(next)).toBe(true);
              expect(next).toBeLessThanOrEqual(maxDate);
            }
          }),
      ),
      { seed, numRuns: 200 },
    );
  });

  it('refuse unknown time zones and schedule types with a ConfigError naming the key', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 20 }),
        fc.string({ maxLength: 30 }),
        fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
        now,
        (type, value, zone, at) =>
          expectOnlyConfigErrors(() => planTaskSchedule({ scheduleType: type, scheduleValue: value, timezone: zone }, 'UTC', at)),
      ),
      { seed, numRuns: 200 },
    );
  });

  it('give a valid cron expression a next run strictly after now that matches every field', () => {
    fc.assert(
      fc.property(cron, fc.constantFrom(...zones), now, (fields, zone, after) => {
        const expression = [fields.minute, fields.hour, fields.day, fields.month, fields.weekday].map((f) => f.text).join(' ');
        const next = nextRunAt('cron', expression, zone, after);
        expect(next).toBeDefined();
        const at = next as number;
        expect(at).toBeGreaterThan(after);
        const wall = wallClock(at, zone);
        const allows = (field: CronField, value: number) => field.text === '*' || field.values.has(value);
        expect(wall.second).toBe(0);
        expect(allows(fields.minute, wall.minute)).toBe(true);
        expect(allows(fields.month, wall.month)).toBe(true);
        // A skipped hour (clocks going forward) may move a run to the next existing hour.
        if (!allows(fields.hour, wall.hour)) expect(fields.hour.values.has(wall.hour - 1)).toBe(true);
        // Like classic cron: with both day fields restricted, either one matching is enough.
        const anyDay = fields.day.text === '*';
        const anyWeekday = fields.weekday.text === '*';
        const dayMatches = allows(fields.day, wall.day);
        const weekdayMatches = allows(fields.weekday, wall.weekday);
        if (anyDay || anyWeekday) expect(dayMatches && weekdayMatches).toBe(true);
        else expect(dayMatches || weekdayMatches).toBe(true);
      }),
      { seed, numRuns: 100 },
    );
  });

  it('give an interval its next run exactly one interval later, within the dates a clock can show', () => {
    const interval = fc.tuple(
      fc.bigInt({ min: 0n, max: 10n ** 25n }),
      fc.constantFrom('', 'ms', 's', 'm', 'h', 'd', 'M', 'D'),
      fc.constantFrom('', ' '),
    );
    fc.assert(
      fc.property(interval, now, ([amount, unit, space], after) =>
        expectOnlyConfigErrors(() => {
          const text = `${amount}${space}${unit}`;
          const next = nextRunAt('interval', text, 'UTC', after) as number;
          expect(next - after).toBe(parseInterval(text));
          expect(next - after).toBeGreaterThanOrEqual(60_000);
          expect(Number.isSafeInteger(next)).toBe(true);
          expect(next).toBeLessThanOrEqual(maxDate);
        }),
      ),
      { seed, numRuns: 300 },
    );
  });

  it('read a one-off time with an offset as exactly that instant', () => {
    const time = fc.record({
      instant: fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31, 23, 59, 59) }),
      offsetMinutes: fc.integer({ min: -18 * 60, max: 18 * 60 }),
    });
    fc.assert(
      fc.property(time, ({ instant, offsetMinutes }) => {
        const wall = new Date(Math.floor(instant / 1000) * 1000 + offsetMinutes * 60_000);
        const sign = offsetMinutes < 0 ? '-' : '+';
        const magnitude = Math.abs(offsetMinutes);
        const offset = `${sign}${String(Math.floor(magnitude / 60)).padStart(2, '0')}:${String(magnitude % 60).padStart(2, '0')}`;
        const iso = wall.toISOString();
        if (!/^\d{4}-/.test(iso)) return;
        const text = `${iso.slice(0, 19)}${offset}`;
        expect(parseTaskTime(text, 'UTC')).toBe(Math.floor(instant / 1000) * 1000);
      }),
      { seed, numRuns: 300 },
    );
  });
});
