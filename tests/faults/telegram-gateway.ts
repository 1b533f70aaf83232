import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTelegramChannel } from '@ngb/channel-telegram';
import { createGateway, type Gateway, type GatewayOptions, type TimedGatewayEvent } from '@ngb/core';
import { createOpenAIProvider } from '@ngb/llm-openai';
import type { Agent } from '@ngb/plugin-sdk';
import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
import { createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';
import { createFakeLlmServer, createFakeTelegramServer, type FakeLlmServer, type FakeTelegramServer } from '@ngb/testing';

/** A gateway on a manual clock with the real Telegram channel talking to the fake Bot API, and an echoing model. */
export interface TelegramGateway {
  gateway: Gateway;
  telegram: FakeTelegramServer;
  llm: FakeLlmServer;
  store: Awaited<ReturnType<typeof createSqliteStore>>;
  clock: ManualClock;
  events: TimedGatewayEvent[];
  main: Agent;
  /** A person writes in a chat wired to the main agent; resolves once its turn ended and delivery rests. */
  say(chatId: number, text: string): Promise<void>;
  /** Moves the clock forward one step at a time, letting delivery finish after each step. */
  advance(milliseconds: number, stepMs?: number): Promise<void>;
  /** Texts the platform accepted in a chat, in order. */
  sentTo(chatId: number): string[];
  close(): Promise<void>;
}

/** Resolves once `read()` is true (polls the event loop; no timing is asserted). */
async function until(read: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 2_000; attempt += 1) {
    if (read()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`[test] ${what}: not seen`);
}

/**
 * Starts it with two chats wired to the main agent: `1001` (Ann's direct chat, the owner's chat) and
 * the group `-2002`.
 */
export async function startTelegramGateway(
  options: Partial<Pick<GatewayOptions, 'deliveryRetryDelaysMs'>> = {},
): Promise<TelegramGateway> {
  const directory = mkdtempSync(join(tmpdir(), 'ngb-faults-'));
  mkdirSync(join(directory, 'agents', 'main'), { recursive: true });
  const clock = createManualClock(Date.UTC(2026, 5, 1, 9, 0));
  const telegram = await createFakeTelegramServer();
  const llm = await createFakeLlmServer({ acceptAnyModel: true });
  const store = await createSqliteStore({ path: ':memory:', now: () => clock.now() });
  const runtime = createLocalRuntime();
  const gateway = createGateway({
    store,
    runtime,
    providers: { default: createOpenAIProvider({ baseURL: `${llm.url}/v1`, apiKey: 'test-key', model: 'fake', maxRetries: 0 }) },
    channels: [createTelegramChannel({ botToken: telegram.token, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 1 })],
    agentsDirectory: join(directory, 'agents'),
    clock,
    typingIntervalMs: 3_600_000,
    ...options,
  });
  const events: TimedGatewayEvent[] = [];
  gateway.events.on((event) => void events.push(event));
  const main = await store.agents.create({ folder: 'main', name: 'Main', isMain: true });
  for (const [platformChatId, name, isGroup] of [
    ['1001', 'Ann', false],
    ['-2002', 'Family', true],
  ] as const) {
    const chat = await store.chats.upsert({
      channel: 'telegram',
      platformChatId,
      name,
      isGroup,
      status: 'active',
      unknownSenderPolicy: 'public',
    });
    await store.wirings.add({ chatId: chat.id, agentId: main.id, engage: 'always', sessionMode: 'shared' });
  }
  await gateway.start();

  return {
    gateway,
    telegram,
    llm,
    store,
    clock,
    events,
    main,
    async say(chatId, text) {
      const turns = () => events.filter((event) => event.type === 'turn.end').length;
      const before = turns();
      const isGroup = chatId < 0;
      await telegram.injectMessage({
        chatId,
        chatType: isGroup ? 'group' : 'private',
        chatTitle: isGroup ? 'Family' : undefined,
        from: { id: 77, first_name: 'Ann' },
        text,
      });
      await until(() => turns() > before, `the turn for "${text}"`);
      await gateway.idle();
    },
    async advance(milliseconds, stepMs = 1_000) {
      for (let moved = 0; moved < milliseconds; moved += stepMs) {
        await clock.advance(stepMs);
        await gateway.idle();
      }
    },
    sentTo: (chatId) =>
      telegram.sent
        .filter((sent) => sent.method === 'sendMessage' && sent.chatId === String(chatId))
        .map((sent) => sent.text ?? ''),
    async close() {
      await gateway.stop({ graceMs: 1_000 });
      await runtime.close();
      await store.close();
      await llm.close();
      await telegram.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
