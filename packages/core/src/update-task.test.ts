import type { ScheduledTask } from '@ngb/plugin-sdk';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const start = Date.UTC(2026, 0, 1);
const update = (input: Record<string, unknown>) => ({ type: 'reply' as const, toolCalls: [{ name: 'update_task', input }] });
const toolResults = (target: Harness) =>
  target.llm.requests().flatMap((request) => {
    const last = request.messages.at(-1);
    return last?.role === 'tool' ? [last.content] : [];
  });

async function setUp(): Promise<{ target: Harness; mine: ScheduledTask; theirs: ScheduledTask }> {
  const target = await createHarness({ clock: createManualClock(start) });
  const agent = await target.addAgent('andy');
  const other = await target.addAgent('bob');
  await target.addChat('c1', { agent });
  const task = (agentId: string) =>
    target.store.tasks.create({
      agentId,
      prompt: 'weather summary',
      scheduleType: 'cron',
      scheduleValue: '0 8 * * *',
      timezone: 'Europe/Berlin',
      contextMode: 'group',
      nextRunAt: Date.UTC(2026, 0, 1, 7),
    });
  return { target, mine: await task(agent.id), theirs: await task(other.id) };
}

describe('update_task', () => {
  it('changes the prompt and the schedule, re-planning the next run in the task time zone', async () => {
    const { target, mine } = await setUp();
    harness = target;
    target.llm.script([
      update({ task_id: mine.id, prompt: 'weather and traffic' }),
      update({ task_id: mine.id, schedule_value: '30 9 * * *' }),
      update({ task_id: mine.id, schedule_type: 'interval', schedule_value: '2h' }),
      { type: 'reply', text: 'done' },
    ]);
    await target.say('change my task');
    const results = toolResults(target);
    expect(results[0]).toBe(`updated task ${mine.id} [active]; next run 2026-01-01T07:00:00.000Z`);
    expect(results[1]).toBe(`updated task ${mine.id} [active]; next run 2026-01-01T08:30:00.000Z`);
    expect(results[2]).toBe(`updated task ${mine.id} [active]; next run 2026-01-01T02:00:00.000Z`);
    expect(await target.store.tasks.get(mine.id)).toMatchObject({
      prompt: 'weather and traffic',
      scheduleType: 'interval',
      scheduleValue: '2h',
      nextRunAt: start + 7_200_000,
    });
  });

  it.each([
    [
      'an invalid cron expression',
      { schedule_value: 'every morning' },
      /^Error: not updated: invalid cron expression "every morning"/,
    ],
    ['an unknown time zone', { timezone: 'Mars/Base' }, /^Error: not updated: unknown time zone "Mars\/Base"/],
    [
      'a time zone on an interval',
      { schedule_type: 'interval', schedule_value: '1h', timezone: 'UTC' },
      /a time zone means nothing/,
    ],
    ['a time in the past', { schedule_type: 'once', schedule_value: '2025-01-01T00:00:00Z' }, /that time is in the past/],
    ['a new type without its value', { schedule_type: 'once' }, /needs its schedule_value/],
    ['nothing to change', {}, /give a new prompt/],
  ])('refuses %s the way schedule_task does, and changes nothing', async (_, change, reason) => {
    const { target, mine } = await setUp();
    harness = target;
    target.llm.script([update({ task_id: mine.id, ...change }), { type: 'reply', text: 'ok' }]);
    await target.say('change my task');
    expect(toolResults(target)[0]).toMatch(reason);
    expect(await target.store.tasks.get(mine.id)).toEqual(mine);
  });

  it('tells the model when no task of its own matches, and changes nothing', async () => {
    const { target, theirs } = await setUp();
    harness = target;
    target.llm.script([
      update({ task_id: theirs.id, prompt: 'hijacked' }),
      update({ task_id: 'no-such-task', prompt: 'x' }),
      { type: 'reply', text: 'ok' },
    ]);
    await target.say('change a task');
    expect(toolResults(target)).toEqual([
      `Error: not updated: no task "${theirs.id}" of yours (see list_tasks); nothing changed`,
      'Error: not updated: no task "no-such-task" of yours (see list_tasks); nothing changed',
    ]);
    expect(await target.store.tasks.get(theirs.id)).toEqual(theirs);
  });
});
