import type { ChannelAdapter, ChannelContext } from '@ngb/plugin-sdk';
import { createSqliteStore } from '@ngb/store';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';
import { maxRecentMessages, recentMessagesOf } from './channel-history';

let harness: Harness | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function storeWithTwoChannels() {
  const store = await createSqliteStore({ path: ':memory:' });
  cleanups.push(() => store.close());
  const chat = (channel: string) =>
    store.chats.upsert({
      channel,
      platformChatId: 'visitor-1',
      name: 'Ada',
      isGroup: false,
      status: 'active',
      unknownSenderPolicy: 'public',
    });
  const web = await chat('web');
  const other = await chat('telegram');
  const said = (chatId: string, index: number) =>
    store.messages.insert({
      chatId,
      platformMessageId: `m${index}`,
      senderId: 'visitor-1',
      senderName: 'Ada',
      text: `text ${index}`,
      mentionsBot: false,
      timestamp: 1_000 + index,
      direction: 'inbound',
    });
  const answered = async (channel: string, index: number) => {
    const { entry } = await store.outbox.enqueue({
      key: `${channel}-${index}`,
      channel,
      chatId: 'visitor-1',
      text: `text ${index}`,
      format: 'markdown',
    });
    await store.outbox.markSent(entry.id, `m${index}`, 1_000 + index);
  };
  // The visitor and the gateway take turns: odd messages are the visitor's, even ones the answers.
  for (let index = 1; index <= 6; index += 1) {
    if (index % 2 === 1) await said(web.id, index);
    else await answered('web', index);
  }
  await said(other.id, 99);
  await answered('telegram', 98);
  return { store, web };
}

describe('ChannelContext.recentMessages', () => {
  it('gives a channel the latest messages of its own chat, both ways, oldest first, deleted ones left out', async () => {
    const { store, web } = await storeWithTwoChannels();
    await store.messages.edit(web.id, 'm3', { text: 'text 3, edited', editedAt: 2_000 });
    await store.messages.markDeleted(web.id, 'm5', 2_001);
    const recent = await recentMessagesOf(store, 'web')('visitor-1', 4);
    expect(recent).toEqual([
      { platformMessageId: 'm2', direction: 'outbound', text: 'text 2', format: 'markdown', timestamp: 1_002 },
      {
        platformMessageId: 'm3',
        direction: 'inbound',
        senderId: 'visitor-1',
        senderName: 'Ada',
        text: 'text 3, edited',
        format: 'plain',
        timestamp: 1_003,
        editedAt: 2_000,
      },
      { platformMessageId: 'm4', direction: 'outbound', text: 'text 4', format: 'markdown', timestamp: 1_004 },
      { platformMessageId: 'm6', direction: 'outbound', text: 'text 6', format: 'markdown', timestamp: 1_006 },
    ]);
    expect((await recentMessagesOf(store, 'web')('visitor-1', 100)).map((message) => message.text)).toEqual([
      'text 1',
      'text 2',
      'text 3, edited',
      'text 4',
      'text 6',
    ]);
  });

  it("never another channel's chat of the same platform id, nor a chat never stored", async () => {
    const { store } = await storeWithTwoChannels();
    expect((await recentMessagesOf(store, 'telegram')('visitor-1', 10)).map((message) => message.text)).toEqual([
      'text 98',
      'text 99',
    ]);
    expect(await recentMessagesOf(store, 'slack')('visitor-1', 10)).toEqual([]);
    expect(await recentMessagesOf(store, 'web')('visitor-2', 10)).toEqual([]);
  });

  it.each([0, -3, Number.NaN, Number.NEGATIVE_INFINITY])('asked for %s messages, gives none', async (limit) => {
    const { store } = await storeWithTwoChannels();
    expect(await recentMessagesOf(store, 'web')('visitor-1', limit)).toEqual([]);
  });

  it(`gives at most ${maxRecentMessages}, however many are asked for`, async () => {
    const { store, web } = await storeWithTwoChannels();
    for (let index = 7; index <= maxRecentMessages + 10; index += 1) {
      await store.messages.insert({
        chatId: web.id,
        platformMessageId: `m${index}`,
        senderId: 'visitor-1',
        text: `text ${index}`,
        mentionsBot: false,
        timestamp: 1_000 + index,
        direction: 'inbound',
      });
    }
    for (const [limit, count] of [
      [Number.POSITIVE_INFINITY, maxRecentMessages],
      [1e9, maxRecentMessages],
      [2.5, 2],
    ]) {
      const recent = await recentMessagesOf(store, 'web')('visitor-1', limit as number);
      expect(recent.length).toBe(count);
      expect(recent.at(-1)?.text).toBe(`text ${maxRecentMessages + 10}`);
    }
  });

  it("is given to every channel the gateway starts, reading that channel's messages as the gateway stored them", async () => {
    let context: ChannelContext | undefined;
    const capture: ChannelAdapter = {
      specificationVersion: 1,
      name: 'capture',
      limits: { maxMessageLength: 1_000 },
      async start(given) {
        context = given;
      },
      async stop() {},
      async send() {
        return { platformMessageId: 'unused' };
      },
    };
    harness = await createHarness({ channels: [capture], script: [{ type: 'reply', text: 'hello back' }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    expect(harness.texts()).toEqual(['hello back']);
    const store = harness.store;
    const chat = await store.chats.upsert({
      channel: 'capture',
      platformChatId: 'c1',
      name: 'Ada',
      isGroup: false,
      status: 'active',
      unknownSenderPolicy: 'public',
    });
    await store.messages.insert({
      chatId: chat.id,
      platformMessageId: 'p1',
      senderId: 'u1',
      text: 'mine',
      mentionsBot: false,
      timestamp: 1,
      direction: 'inbound',
    });
    // The capture channel reads its own chat `c1`, not the fake channel's chat of the same id.
    expect((await context?.recentMessages?.('c1', 10))?.map((message) => message.text)).toEqual(['mine']);
    expect((await recentMessagesOf(store, 'fake')('c1', 10)).map((message) => [message.direction, message.text])).toEqual([
      ['inbound', 'hello'],
      ['outbound', 'hello back'],
    ]);
  });
});
