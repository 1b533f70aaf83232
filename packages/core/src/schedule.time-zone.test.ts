import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextRunAt, parseTaskTime } from './schedule';

const hostZoneBefore = process.env.TZ;
const start = Date.UTC(2026, 0, 1);

// The same expectations under two host time zones: the task's zone decides, never the host's.
// (Node applies a change of process.env.TZ to Date at once; the first test proves it did.)
describe.each([
  ['UTC', 0],
  ['Pacific/Auckland', -780],
])('a one-off time without an offset, on a host whose TZ is %s', (hostZone, offsetInJanuary) => {
  beforeAll(() => {
    process.env.TZ = hostZone;
  });
  afterAll(() => {
    if (hostZoneBefore === undefined) delete process.env.TZ;
    else process.env.TZ = hostZoneBefore;
  });

  it('runs in that host zone (the test really changed it)', () => {
    expect(new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset()).toBe(offsetInJanuary);
  });

  it.each([
    ['2026-01-15T09:00:00', 'America/New_York', '2026-01-15T14:00:00.000Z'],
    ['2026-06-15T09:00:00', 'Asia/Tokyo', '2026-06-15T00:00:00.000Z'],
    ['2026-06-15 09:00', 'Europe/Berlin', '2026-06-15T07:00:00.000Z'],
    ['2026-01-15T09:00:00.250', 'UTC', '2026-01-15T09:00:00.250Z'],
    ['2026-01-15T09:00:00Z', 'Asia/Tokyo', '2026-01-15T09:00:00.000Z'],
    ['2026-01-15T09:00:00+05:30', 'America/New_York', '2026-01-15T03:30:00.000Z'],
    ['2026-01-15T09:00:00-0800', 'Asia/Tokyo', '2026-01-15T17:00:00.000Z'],
  ])('%s in %s runs at %s', (value, zone, expected) => {
    expect(new Date(nextRunAt('once', value, zone, start) ?? 0).toISOString()).toBe(expected);
  });

  it.each([
    // Clocks jump from 02:00 to 03:00: 02:30 does not exist and moves forward by the gap, to 03:30 EDT.
    ['2026-03-08T02:30:00', 'America/New_York', '2026-03-08T07:30:00.000Z'],
    // Clocks go back from 02:00 to 01:00: 01:30 happens twice; the first one (EDT) is taken.
    ['2026-11-01T01:30:00', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-11-01T00:59:59', 'America/New_York', '2026-11-01T04:59:59.000Z'],
    ['2026-11-01T02:00:00', 'America/New_York', '2026-11-01T07:00:00.000Z'],
    // The southern hemisphere, and a zone whose gap is 30 minutes.
    ['2026-09-27T02:15:00', 'Pacific/Auckland', '2026-09-26T14:15:00.000Z'],
    ['2026-04-05T02:30:00', 'Pacific/Auckland', '2026-04-04T13:30:00.000Z'],
    ['2026-10-04T02:15:00', 'Australia/Lord_Howe', '2026-10-03T15:45:00.000Z'],
  ])('around a daylight-saving change: %s in %s runs at %s', (value, zone, expected) => {
    expect(new Date(parseTaskTime(value, zone)).toISOString()).toBe(expected);
  });

  it.each([
    ['tomorrow-ish', /not a date and time/],
    ['2026-01-15', /not a date and time/],
    ['2026-02-30T09:00:00', /no such date/],
    ['2026-01-15T24:00:00', /no such time of day/],
    ['2026-01-15T09:00:00+19:00', /no such offset/],
  ])('refuses %s with the reason', (value, reason) => {
    expect(() => parseTaskTime(value, 'Europe/Berlin')).toThrow(reason);
  });
});
