import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness;
beforeEach(async () => {
  harness = await createHarness();
});
afterEach(async () => {
  await harness.close();
});

const drops = () =>
  harness.events.flatMap((event) =>
    event.type === 'message.dropped' ? [[event.reason, event.channel, event.chatId, event.senderId ?? '']] : [],
  );

describe('dropped messages', () => {
  it('says of every message no agent got why, in which chat and from whom', async () => {
    const main = await harness.addAgent('main', { isMain: true, assistantName: 'Andy' });
    await harness.addChat('strict', { agent: main, policy: 'strict' });
    await harness.addChat('asks', { agent: main, policy: 'request_approval' });
    await harness.addChat('mentions', { agent: main, engage: 'mention', isGroup: true });
    await harness.store.chats.upsert({ channel: 'fake', platformChatId: 'unwired', name: 'x', isGroup: true, status: 'active' });
    await harness.say('hi', { chatId: 'strict', sender: 'eve' });
    await harness.say('hi', { chatId: 'asks', sender: 'bob' });
    await harness.say('just talking', { chatId: 'mentions', isGroup: true, sender: 'bob' });
    await harness.say('hi', { chatId: 'unwired', isGroup: true, sender: 'bob' });
    await harness.say('chatter', { chatId: 'unknown', isGroup: true, sender: 'bob' });
    await harness.say('@Andy hello', { chatId: 'new-group', isGroup: true, sender: 'bob' });
    await harness.say('/claim', { chatId: 'unknown', isGroup: true, sender: 'bob' });
    expect(drops()).toEqual([
      ['sender not allowed (strict chat)', 'fake', 'strict', 'eve'],
      ['sender awaiting approval', 'fake', 'asks', 'bob'],
      ['not engaged', 'fake', 'mentions', 'bob'],
      ['no agent wired to the chat', 'fake', 'unwired', 'bob'],
      ['unknown chat, not addressed to the bot', 'fake', 'unknown', 'bob'],
      ['unknown chat, awaiting approval', 'fake', 'new-group', 'bob'],
      ['command /claim', 'fake', 'unknown', 'bob'],
    ]);
    expect(harness.llm.requests()).toEqual([]);
  });

  it('says so of a message received twice', async () => {
    const main = await harness.addAgent('main', { isMain: true });
    await harness.addChat('c1', { agent: main });
    const message = {
      channel: 'fake',
      chat: { id: 'c1', isGroup: false },
      platformMessageId: 'same',
      sender: { id: 'ann' },
      text: 'once',
      mentionsBot: false,
      timestamp: 1,
    };
    await harness.gateway.receive(message);
    expect(await harness.gateway.receive(message)).toMatchObject({ dropped: 'already received' });
    expect(drops()).toEqual([['already received', 'fake', 'c1', 'ann']]);
  });
});
