import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mainAgentId, wiredChat } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

const clock = createManualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
let harness: ServerHarness;
let agentId: string;
let chatId: string;
beforeAll(async () => {
  harness = await createServerHarness({
    script: [{ type: 'reply', text: 'the weather is fine' }],
    gateway: { clock },
    server: { clock },
  });
  agentId = await mainAgentId(harness);
  chatId = (await wiredChat(harness, 'tasks')).id;
});
afterAll(() => harness.close());

const newTask = (fields: Record<string, unknown>) =>
  call(harness, 'POST', '/api/tasks', { agentId, chatId, prompt: 'send the weather', ...fields });

describe('tasks', () => {
  it("lists an agent's heartbeat but refuses to change it: the config is its only source", async () => {
    const heartbeat = await harness.store.tasks.create({
      kind: 'heartbeat',
      agentId,
      prompt: 'check on things',
      scheduleType: 'interval',
      scheduleValue: '30m',
      timezone: 'UTC',
      contextMode: 'group',
      nextRunAt: clock.now() + 30 * 60_000,
    });
    expect((await call(harness, 'GET', `/api/tasks/${heartbeat.id}`)).body).toMatchObject({ kind: 'heartbeat' });
    const paused = await call(harness, 'POST', `/api/tasks/${heartbeat.id}/pause`);
    expect(paused.status).toBe(409);
    expect(paused.body.error.message).toContain('agents.<folder>.heartbeat');
    expect((await harness.store.tasks.get(heartbeat.id))?.status).toBe('active');
    await harness.store.tasks.remove(heartbeat.id);
  });

  it('schedules a cron task in a time zone, as the scheduler computes its first run', async () => {
    const created = await newTask({ scheduleType: 'cron', scheduleValue: '0 8 * * *', timezone: 'Europe/Berlin' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      agentId,
      chatId,
      scheduleType: 'cron',
      timezone: 'Europe/Berlin',
      contextMode: 'group',
      status: 'active',
      nextRunAt: Date.UTC(2026, 5, 2, 6, 0, 0),
    });
    expect((await call(harness, 'GET', `/api/tasks/${created.body.id}`)).body).toEqual(created.body);
    const listed = await call(harness, 'GET', `/api/tasks?agent=${agentId}&status=active`);
    expect(listed.body.items.map((task: { id: string }) => task.id)).toContain(created.body.id);
  });

  it.each([
    [{ scheduleType: 'cron', scheduleValue: '61 * * * *' }, /invalid cron expression "61 \* \* \* \*"/],
    [{ scheduleType: 'cron', scheduleValue: '0 8 * * *', timezone: 'Mars/Olympus' }, /unknown time zone "Mars\/Olympus"/],
    [{ scheduleType: 'interval', scheduleValue: '30s' }, /invalid interval "30s"/],
    [{ scheduleType: 'interval', scheduleValue: '2h', timezone: 'Asia/Tokyo' }, /a time zone means nothing for it/],
    [{ scheduleType: 'once', scheduleValue: '2026-01-01T00:00:00Z' }, /that time is in the past/],
    [{ scheduleType: 'once', scheduleValue: '2026-02-30T08:00:00' }, /no such date/],
  ])('refuses an invalid schedule with the reason, before saving: %j', async (fields, reason) => {
    const before = (await harness.store.tasks.list()).length;
    const answer = await newTask(fields);
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(reason);
    expect(await harness.store.tasks.list()).toHaveLength(before);
  });

  it('refuses an unknown schedule type, agent or chat', async () => {
    expect((await newTask({ scheduleType: 'weekly', scheduleValue: 'monday' })).body.error.message).toMatch(
      /^body\.scheduleType: /,
    );
    expect((await newTask({ scheduleType: 'interval', scheduleValue: '1h', agentId: 'ghost' })).status).toBe(404);
    expect((await newTask({ scheduleType: 'interval', scheduleValue: '1h', chatId: 'ghost' })).status).toBe(404);
  });

  it('pauses, resumes and cancels a task; a cancelled task cannot change (409)', async () => {
    const task = (await newTask({ scheduleType: 'interval', scheduleValue: '1d' })).body;
    const paused = await call(harness, 'POST', `/api/tasks/${task.id}/pause`);
    expect(paused.body).toMatchObject({ status: 'paused' });
    const resumed = await call(harness, 'POST', `/api/tasks/${task.id}/resume`);
    expect(resumed.body).toMatchObject({ status: 'active', nextRunAt: clock.now() + 86_400_000 });
    expect((await call(harness, 'POST', `/api/tasks/${task.id}/cancel`)).body).toMatchObject({ status: 'cancelled' });
    const again = await call(harness, 'POST', `/api/tasks/${task.id}/resume`);
    expect(again.status).toBe(409);
    expect(again.body.error).toEqual({ code: 'task_state', message: '[@ngb/core] task is cancelled' });
    expect((await harness.store.tasks.get(task.id))?.status).toBe('cancelled');
  });

  it('re-arms the scheduler: a task created through the API runs when due, and its run is listed', async () => {
    const task = (await newTask({ scheduleType: 'interval', scheduleValue: '1m' })).body;
    expect((await call(harness, 'GET', `/api/tasks/${task.id}/runs`)).body).toEqual({ items: [] });
    await clock.advance(60_000);
    await harness.gateway.idle();
    const runs = await call(harness, 'GET', `/api/tasks/${task.id}/runs`);
    expect(runs.body.items).toEqual([expect.objectContaining({ taskId: task.id, status: 'succeeded' })]);
    expect(harness.channel.sent.map((sent) => sent.message.text)).toContain('the weather is fine');
  });
});
