import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

const start = Date.UTC(2026, 0, 1);
let directory: string;
let clock: ManualClock;
let harnesses: Harness[] = [];

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'ngb-leases-'));
  clock = createManualClock(start);
});
afterEach(async () => {
  for (const harness of harnesses) await harness.close();
  harnesses = [];
  rmSync(directory, { recursive: true, force: true });
});

/** A gateway on the shared database file. */
async function gateway(options: Parameters<typeof createHarness>[0] = {}): Promise<Harness> {
  const harness = await createHarness({ storePath: join(directory, 'ngb.db'), clock, ...options });
  harnesses.push(harness);
  return harness;
}

async function settled(...all: Harness[]): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    for (const harness of all) await harness.gateway.idle();
    for (let tick = 0; tick < 10; tick += 1) await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('gateways sharing one store', () => {
  it('delivers a reply only from the holder of its session, and from a new holder once the lease expired', async () => {
    const setup = await gateway();
    const agent = await setup.addAgent('andy');
    await setup.addChat('c1', { agent });
    await setup.close();
    harnesses = [];
    const prepared = await gateway({ takeOver: 'none' });
    const [chat] = await prepared.store.chats.list();
    const { session } = await prepared.store.sessions.getOrCreate({ agentId: agent.id, chatId: chat?.id ?? '', threadId: null });
    await prepared.store.outbox.enqueue({
      key: 'turn-1:reply',
      sessionId: session.id,
      channel: 'fake',
      chatId: 'c1',
      text: 'once',
    });
    // Another process committed that reply and holds the session for 5 more seconds.
    await prepared.store.leases.acquire(session.id, 'other-process', { now: start, expiresAt: start + 5_000 });

    const second = await gateway();
    await settled(second);
    expect(second.texts()).toEqual([]);
    await clock.advance(5_000);
    await settled(second);
    expect(second.texts()).toEqual(['once']);
    expect(await second.store.outbox.listPending()).toEqual([]);
  });

  it('never takes over a terminal conversation of another process, and takes over the rest', async () => {
    const setup = await gateway();
    const agent = await setup.addAgent('andy');
    const pending = async (channel: string, platformChatId: string) => {
      const chat = await setup.store.chats.upsert({
        channel,
        platformChatId,
        name: platformChatId,
        isGroup: false,
        status: 'active',
      });
      const { session } = await setup.store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
      const { message } = await setup.store.messages.insert({
        chatId: chat.id,
        platformMessageId: `${platformChatId}-1`,
        senderId: 'user',
        text: `question in ${channel}`,
        mentionsBot: false,
        timestamp: start,
        direction: 'inbound',
      });
      await setup.store.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
      return session.id;
    };
    const terminal = await pending('cli', 'run-1');
    const platform = await pending('fake', 'c1');
    await setup.close();
    harnesses = [];

    const serve = await gateway({ ephemeralChannels: ['cli'], script: [{ type: 'reply', text: 'answered' }] });
    await settled(serve);
    const asked = serve.llm.requests().map((request) => JSON.stringify(request.messages));
    expect(asked).toHaveLength(1);
    expect(asked[0]).toContain('question in fake');
    expect(serve.texts()).toEqual(['answered']);
    expect(await serve.store.inbox.listPending(terminal)).toHaveLength(1);
    expect(await serve.store.inbox.listPending(platform)).toEqual([]);
  });

  it('fires a task due in two gateways at once exactly once', async () => {
    const first = await gateway({ script: [{ type: 'reply', text: 'weather: sunny' }] });
    const agent = await first.addAgent('andy');
    const chat = await first.addChat('c1', { agent });
    const task = await first.store.tasks.create({
      agentId: agent.id,
      chatId: chat.id,
      prompt: 'send the weather',
      scheduleType: 'once',
      scheduleValue: new Date(start + 60_000).toISOString(),
      timezone: 'UTC',
      contextMode: 'group',
      nextRunAt: start + 60_000,
    });
    // One database, two gateways: each arms its timer for the task when it starts.
    const second = await createHarness({ store: first.store, clock, script: [{ type: 'reply', text: 'weather: sunny' }] });
    const third = await createHarness({ store: first.store, clock, script: [{ type: 'reply', text: 'weather: sunny' }] });
    harnesses.unshift(second, third);
    await clock.advance(60_000);
    await settled(second, third, first);
    const all = [first, second, third];
    expect(all.reduce((sum, harness) => sum + harness.llm.requests().length, 0)).toBe(1);
    expect(all.flatMap((harness) => harness.texts())).toEqual(['weather: sunny']);
    expect(await first.store.taskRuns.listForTask(task.id)).toHaveLength(1);
    expect((await first.store.tasks.get(task.id))?.status).toBe('completed');
  });
});
