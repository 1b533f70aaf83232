import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { createSqliteStore } from '@ngb/store';
import { afterEach, describe, expect, it } from 'vitest';
import { failingOnce } from './__tests__/failing-store';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let directory: string | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

describe('scheduler firing', () => {
  it('never runs a task twice, nor loses it, when the firing dies part-way (next run recorded, inbox row not yet)', async () => {
    directory = mkdtempSync(join(tmpdir(), 'ngb-task-crash-'));
    mkdirSync(join(directory, 'agents', 'andy'), { recursive: true });
    const storePath = join(directory, 'ngb.db');
    const start = Date.UTC(2026, 0, 1);
    const setup = await createSqliteStore({ path: storePath });
    const agent = await setup.agents.create({ folder: 'andy', name: 'andy', isMain: false });
    const chat = await setup.chats.upsert({
      channel: 'fake',
      platformChatId: 'c1',
      name: 'c1',
      isGroup: false,
      status: 'active',
    });
    await setup.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
    const task = await setup.tasks.create({
      agentId: agent.id,
      chatId: chat.id,
      prompt: 'daily report',
      scheduleType: 'once',
      scheduleValue: new Date(start + 60_000).toISOString(),
      timezone: 'UTC',
      contextMode: 'group',
      nextRunAt: start + 60_000,
    });
    await setup.close();

    const clock = createManualClock(start);
    harness = await createHarness({ storePath, clock, wrapStore: failingOnce('inbox', 'add', { armed: true }).wrap });
    await clock.advance(60_000);
    await harness.gateway.idle();
    expect(harness.llm.requests()).toHaveLength(0);
    await harness.close();

    const restarted = createManualClock(start + 61_000);
    harness = await createHarness({ storePath, clock: restarted });
    await restarted.advance(0);
    await harness.gateway.idle();
    expect(harness.llm.requests()).toHaveLength(1);
    expect(await harness.store.taskRuns.listForTask(task.id)).toMatchObject([{ status: 'succeeded' }]);
    expect(await harness.store.tasks.get(task.id)).toMatchObject({ status: 'completed' });
    expect(harness.texts()).toEqual(['echo: daily report']);
  });
});
