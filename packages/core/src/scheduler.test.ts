import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';
import { nextRunAt, parseInterval } from './schedule';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const start = Date.UTC(2026, 0, 1);
const schedule = (input: Record<string, unknown>) => ({ type: 'reply' as const, toolCalls: [{ name: 'schedule_task', input }] });
const lastToolResult = (h: Harness) => {
  const results = h.llm.requests().flatMap((request) => request.messages.filter((message) => message.role === 'tool'));
  return results.at(-1)?.content;
};

describe('schedules', () => {
  it.each([
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['90s', 90_000],
    ['3600000', 3_600_000],
    ['10s', undefined],
    ['soon', undefined],
    ['-5m', undefined],
  ])('interval %s → %s', (value, expected) => {
    expect(parseInterval(value)).toBe(expected);
  });

  it('computes cron runs in the task time zone', () => {
    expect(nextRunAt('cron', '0 8 * * *', 'Europe/Berlin', start)).toBe(Date.UTC(2026, 0, 1, 7));
    expect(nextRunAt('cron', '0 8 * * *', 'America/New_York', start)).toBe(Date.UTC(2026, 0, 1, 13));
    expect(nextRunAt('once', '2026-01-02T00:00:00Z', 'UTC', start)).toBe(Date.UTC(2026, 0, 2));
    expect(nextRunAt('once', '2025-01-02T00:00:00Z', 'UTC', start)).toBeUndefined();
  });

  it.each([
    ['cron', 'every morning', 'UTC', /invalid cron expression "every morning"/],
    ['cron', '0 8 * * *', 'Mars/Base', /unknown time zone "Mars\/Base"/],
    ['interval', '5', 'UTC', /invalid interval "5"/],
    ['once', 'tomorrow-ish', 'UTC', /invalid time "tomorrow-ish"/],
  ] as const)('refuses %s %j in %s with the reason', (type, value, zone, reason) => {
    expect(() => nextRunAt(type, value, zone, start)).toThrow(reason);
  });
});

describe('scheduled tasks', () => {
  it('runs a cron task at 8:00 in its time zone, answers in the chat, records the run and re-arms', async () => {
    const clock = createManualClock(start);
    harness = await createHarness({
      clock,
      script: [
        schedule({
          prompt: 'send me the weather summary',
          schedule_type: 'cron',
          schedule_value: '0 8 * * *',
          timezone: 'Europe/Berlin',
        }),
        { type: 'reply', text: 'Scheduled.' },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('every morning at 8 send me the weather summary');
    expect(harness.texts()).toEqual(['Scheduled.']);
    const [task] = await harness.store.tasks.list();
    expect(task?.nextRunAt).toBe(Date.UTC(2026, 0, 1, 7));
    await clock.advance(Date.UTC(2026, 0, 1, 7) - start);
    await harness.gateway.idle();
    expect(harness.texts()).toEqual(['Scheduled.', 'echo: send me the weather summary']);
    const runs = await harness.store.taskRuns.listForTask(task?.id ?? '');
    expect(runs.map((run) => run.status)).toEqual(['succeeded']);
    expect((await harness.store.tasks.get(task?.id ?? ''))?.nextRunAt).toBe(Date.UTC(2026, 0, 2, 7));
  });

  it('refuses an invalid schedule before saving, telling the model why', async () => {
    harness = await createHarness({
      script: [schedule({ prompt: 'x', schedule_type: 'cron', schedule_value: '61 * * * *' }), { type: 'reply', text: 'Sorry.' }],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('schedule something odd');
    expect(lastToolResult(harness)).toMatch(/^Error: not scheduled: invalid cron expression "61 \* \* \* \*"/);
    expect(await harness.store.tasks.list()).toEqual([]);
  });

  it('refuses a time zone on an interval task, saying why', async () => {
    harness = await createHarness({
      script: [
        schedule({ prompt: 'x', schedule_type: 'interval', schedule_value: '2h', timezone: 'Asia/Tokyo' }),
        { type: 'reply', text: 'Sorry.' },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('every two hours, Tokyo time');
    expect(lastToolResult(harness)).toBe(
      'Error: not scheduled: an interval task runs every 2h from now, so a time zone means nothing for it; leave timezone out, or use cron for times of day in Asia/Tokyo',
    );
    expect(await harness.store.tasks.list()).toEqual([]);
  });

  it('reads a one-off time without an offset in the task time zone, and runs it then', async () => {
    const clock = createManualClock(start);
    harness = await createHarness({
      clock,
      script: [
        schedule({ prompt: 'call the bank', schedule_type: 'once', schedule_value: '2026-01-15T09:00:00' }),
        { type: 'reply', text: 'Scheduled.' },
      ],
    });
    const agent = await harness.addAgent('andy', { timezone: 'America/New_York' });
    await harness.addChat('c1', { agent });
    await harness.say('on January 15 at 9 remind me to call the bank');
    const [task] = await harness.store.tasks.list();
    expect(task?.nextRunAt).toBe(Date.UTC(2026, 0, 15, 14));
    await clock.advance(Date.UTC(2026, 0, 15, 14) - start - 1);
    await harness.gateway.idle();
    expect(harness.texts()).toEqual(['Scheduled.']);
    await clock.advance(1);
    await harness.gateway.idle();
    expect(harness.texts()).toEqual(['Scheduled.', 'echo: call the bank']);
  });

  it('pauses, resumes and cancels tasks, and only its own', async () => {
    const clock = createManualClock(start);
    harness = await createHarness({ clock });
    const agent = await harness.addAgent('andy');
    const other = await harness.addAgent('other');
    await harness.addChat('c1', { agent });
    const mine = await harness.store.tasks.create({
      agentId: agent.id,
      prompt: 'p',
      scheduleType: 'interval',
      scheduleValue: '1h',
      timezone: 'UTC',
      contextMode: 'group',
      nextRunAt: start + 3_600_000,
    });
    const theirs = await harness.store.tasks.create({
      agentId: other.id,
      prompt: 'q',
      scheduleType: 'interval',
      scheduleValue: '1h',
      timezone: 'UTC',
      contextMode: 'group',
      nextRunAt: start + 3_600_000,
    });
    const use = (name: string, taskId: string) => ({ type: 'reply' as const, toolCalls: [{ name, input: { task_id: taskId } }] });
    harness.llm.script([
      use('pause_task', mine.id),
      use('cancel_task', theirs.id),
      use('resume_task', mine.id),
      use('cancel_task', mine.id),
      { type: 'reply', text: 'ok' },
    ]);
    await harness.say('manage tasks');
    const results = harness.llm.requests().flatMap((request) => {
      const last = request.messages.at(-1);
      return last?.role === 'tool' ? [last.content] : [];
    });
    expect(results).toEqual([
      `task ${mine.id} is paused`,
      `Error: unknown task "${theirs.id}"`,
      `task ${mine.id} is active`,
      `task ${mine.id} is cancelled`,
    ]);
    expect((await harness.store.tasks.get(theirs.id))?.status).toBe('active');
  });
});
