import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type HarnessOptions } from './__tests__/gateway-harness';
import type { TimedGatewayEvent } from './events';

const minute = 60_000;
const hour = 60 * minute;
const reply = (text: string) => ({ type: 'reply' as const, text, usage: { inputTokens: 50, outputTokens: 10 } });

let directory: string;
let clock: ManualClock;
let harness: Harness | undefined;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ngb-heartbeat-'));
  // 09:00 UTC.
  clock = createManualClock(Date.UTC(2026, 5, 1, 9));
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  rmSync(directory, { recursive: true, force: true });
});

const quiet: HarnessOptions = { leaseMs: 100 * hour, typingIntervalMs: 100 * hour };

/**
 * A gateway whose agent `andy` exists when it starts (heartbeats are synced at start): a first
 * gateway makes the agent, its owner's direct chat and a group; the returned one has `options`.
 */
async function startWithAgent(options: HarnessOptions, ownerWrites = true): Promise<Harness> {
  const storePath = join(directory, 'ngb.db');
  const first = await createHarness({ ...quiet, storePath, clock });
  const andy = await first.addAgent('andy', { timezone: 'UTC' });
  await first.addChat('dm', { agent: andy });
  await first.addChat('group', { agent: andy, isGroup: true });
  await first.grant('owner-1', 'owner');
  if (ownerWrites) await first.say('hello', { chatId: 'dm', sender: 'owner-1' });
  await first.close();
  return createHarness({ ...quiet, storePath, clock, ...options });
}

const beats = (current: Harness) =>
  current.events.flatMap((event: TimedGatewayEvent) => (event.type === 'heartbeat' ? [[event.state, event.reason ?? '']] : []));
const heartbeatRequests = (current: Harness) =>
  current.llm.requests().filter((request) => JSON.stringify(request.messages.at(-1)).includes('scheduled_task'));
const sentTexts = (current: Harness) => current.channel.sent.map((sent) => [sent.address.chatId, sent.message.text]);

async function tick(current: Harness, milliseconds: number) {
  await clock.advance(milliseconds);
  await current.gateway.idle();
}

describe('heartbeat on a manual clock', () => {
  it('never delivers HEARTBEAT_OK, delivers anything else once to the main chat, on the interval', async () => {
    harness = await startWithAgent({ heartbeats: { andy: { every: '30m' } } });
    harness.llm.script([reply('HEARTBEAT_OK'), reply('  heartbeat_ok.  '), reply('Your train leaves at 10:15.')]);
    await tick(harness, 30 * minute - 1);
    expect(heartbeatRequests(harness)).toHaveLength(0);
    await tick(harness, 1);
    expect(heartbeatRequests(harness)).toHaveLength(1);
    await tick(harness, 30 * minute);
    expect(sentTexts(harness)).toEqual([]);
    await tick(harness, 30 * minute);
    expect(heartbeatRequests(harness)).toHaveLength(3);
    expect(sentTexts(harness)).toEqual([['dm', 'Your train leaves at 10:15.']]);
    expect(beats(harness).map(([state]) => state)).toEqual(['started', 'ok', 'started', 'ok', 'started', 'delivered']);
    const prompt = JSON.stringify(heartbeatRequests(harness)[0]?.messages.at(-1));
    expect(prompt).toContain('HEARTBEAT_OK');
    // The main chat's session: the one the owner's direct messages go to.
    const sessions = await harness.store.sessions.list();
    expect(sessions).toHaveLength(1);
  });

  it('runs nothing outside the active hours', async () => {
    harness = await startWithAgent({
      heartbeats: { andy: { every: '1h', activeHours: { start: '13:00', end: '14:30', timeZone: 'Europe/London' } } },
    });
    harness.llm.script([reply('lunch is ready'), reply('HEARTBEAT_OK')]);
    // London is UTC+1 in June: 10:00 and 11:00 UTC are before 13:00 there, 12:00 and 13:00 UTC within, 14:00 UTC after.
    await tick(harness, hour);
    await tick(harness, hour);
    expect(heartbeatRequests(harness)).toHaveLength(0);
    expect(beats(harness)).toEqual([
      ['skipped', 'outside the active hours 13:00–14:30'],
      ['skipped', 'outside the active hours 13:00–14:30'],
    ]);
    await tick(harness, hour);
    await tick(harness, hour);
    await tick(harness, hour);
    expect(heartbeatRequests(harness)).toHaveLength(2);
    expect(sentTexts(harness)).toEqual([['dm', 'lunch is ready']]);
    expect(beats(harness).at(-1)).toEqual(['skipped', 'outside the active hours 13:00–14:30']);
  });

  it('keeps its schedule across a restart, and runs a heartbeat missed while stopped once, not in a burst', async () => {
    harness = await startWithAgent({ heartbeats: { andy: { every: '30m' } } });
    const [task] = await harness.store.tasks.list();
    expect(task).toMatchObject({ kind: 'heartbeat', nextRunAt: clock.now() + 30 * minute });
    await tick(harness, 10 * minute);
    await harness.close();
    harness = await createHarness({
      ...quiet,
      storePath: join(directory, 'ngb.db'),
      clock,
      heartbeats: { andy: { every: '30m' } },
    });
    expect((await harness.store.tasks.list()).map((kept) => [kept.id, kept.nextRunAt])).toEqual([[task?.id, task?.nextRunAt]]);
    await harness.close();
    // Stopped for three hours: six heartbeats were due.
    await clock.advance(3 * hour);
    harness = await createHarness({
      ...quiet,
      storePath: join(directory, 'ngb.db'),
      clock,
      heartbeats: { andy: { every: '30m' } },
    });
    harness.llm.script([reply('HEARTBEAT_OK'), reply('HEARTBEAT_OK')]);
    await tick(harness, 0);
    expect(heartbeatRequests(harness)).toHaveLength(1);
    expect((await harness.store.tasks.get(task?.id ?? ''))?.nextRunAt).toBe(clock.now() + 30 * minute);
    await tick(harness, 30 * minute - 1);
    expect(heartbeatRequests(harness)).toHaveLength(1);
    await tick(harness, 1);
    expect(heartbeatRequests(harness)).toHaveLength(2);
  });

  it('says why when the agent has no main chat, and runs nothing', async () => {
    harness = await startWithAgent({ heartbeats: { andy: { every: '30m' } } }, false);
    await tick(harness, 30 * minute);
    expect(heartbeatRequests(harness)).toHaveLength(0);
    expect(beats(harness)).toEqual([['skipped', expect.stringContaining('no main chat')]]);
    expect(harness.logger.lines.some((line) => line.level === 'warn' && line.message.includes('no main chat'))).toBe(true);
  });

  it('sends nothing to the chat when a budget refuses it', async () => {
    harness = await startWithAgent({
      heartbeats: { andy: { every: '30m' } },
      budgets: { agents: { andy: { day: { tokens: 1 } } } },
    });
    // The owner's turn spends the day's one token; the heartbeat after it is refused.
    harness.llm.script([reply('hi there'), reply('should never be asked')]);
    await harness.say('hello again', { chatId: 'dm', sender: 'owner-1' });
    expect(sentTexts(harness)).toEqual([['dm', 'hi there']]);
    await tick(harness, 30 * minute);
    expect(heartbeatRequests(harness)).toHaveLength(0);
    expect(sentTexts(harness)).toEqual([['dm', 'hi there']]);
    expect(beats(harness).map(([state]) => state)).toEqual(['started', 'refused']);
  });

  it('is cancelled when its config is dropped', async () => {
    harness = await startWithAgent({ heartbeats: { andy: { every: '30m' } } });
    await harness.close();
    harness = await createHarness({ ...quiet, storePath: join(directory, 'ngb.db'), clock });
    expect((await harness.store.tasks.list()).map((task) => [task.kind, task.status])).toEqual([['heartbeat', 'cancelled']]);
  });
});

describe("the agent's task tools and its heartbeat", () => {
  it('neither list nor change the heartbeat', async () => {
    harness = await startWithAgent({ heartbeats: { andy: { every: '30m' } } });
    const [heartbeat] = await harness.store.tasks.list();
    const call = (name: string, input: Record<string, unknown>) => ({ type: 'reply' as const, toolCalls: [{ name, input }] });
    harness.llm.script([
      call('list_tasks', {}),
      call('cancel_task', { task_id: heartbeat?.id }),
      call('update_task', { task_id: heartbeat?.id, schedule_value: '1m' }),
      reply('done'),
    ]);
    await harness.say('tidy my tasks', { chatId: 'dm', sender: 'owner-1' });
    const results = harness.llm.requests().flatMap((request) => {
      const last = request.messages.at(-1);
      return last?.role === 'tool' ? [JSON.stringify(last.content)] : [];
    });
    expect(results).toHaveLength(3);
    expect(results[0]).toContain('no tasks');
    for (const result of results) expect(result).not.toContain('30m');
    expect(await harness.store.tasks.get(heartbeat?.id ?? '')).toMatchObject({ status: 'active', scheduleValue: '30m' });
  });
});
