import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness;
beforeEach(async () => {
  harness = await createHarness();
});
afterEach(async () => {
  await harness.close();
});

const routed = () => harness.events.filter((event) => event.type === 'message.routed');
const dropped = () => harness.events.flatMap((event) => (event.type === 'message.dropped' ? [event.reason] : []));

describe('engage modes', () => {
  it.each([
    ['always', undefined, true, 'hello', false, true],
    ['mention', undefined, true, 'hello', false, false],
    ['mention', undefined, true, 'hello', true, true],
    ['mention', undefined, true, '@Andy what time is it', false, true],
    ['mention', undefined, true, '@andy lower case', false, true],
    ['mention', undefined, true, '@Andyx not me', false, false],
    ['mention', undefined, true, 'hi @Andy', false, false],
    ['pattern', '^!ask\\b', true, '!ASK weather', false, true],
    ['pattern', '^!ask\\b', true, 'ask weather', false, false],
    ['mention', undefined, false, 'a direct message always engages', false, true],
    ['pattern', '^!ask\\b', false, 'a direct message always engages', false, true],
  ] as const)('%s %s group=%s %j mention=%s → %s', async (engage, pattern, isGroup, text, mentionsBot, engaged) => {
    const agent = await harness.addAgent('andy', { assistantName: 'Andy' });
    await harness.addChat('c1', { agent, isGroup, engage, pattern });
    await harness.say(text, { chatId: 'c1', isGroup, mentionsBot });
    expect(routed().length).toBe(engaged ? 1 : 0);
    expect(harness.texts().length).toBe(engaged ? 1 : 0);
  });

  it('escapes regex characters in the assistant name', async () => {
    const agent = await harness.addAgent('cpp', { assistantName: 'C++ Bot' });
    await harness.addChat('c1', { agent, isGroup: true, engage: 'mention' });
    await harness.say('@C++ Bot hello', { chatId: 'c1', isGroup: true });
    await harness.say('@CCC Bot hello', { chatId: 'c1', isGroup: true });
    expect(routed().length).toBe(1);
  });

  it('refuses an invalid pattern when the wiring is saved', async () => {
    const agent = await harness.addAgent('andy');
    await expect(harness.addChat('c1', { agent, isGroup: true, engage: 'pattern', pattern: '([' })).rejects.toThrow(/pattern/i);
  });
});

describe('fan-out, accumulate and session modes', () => {
  it('fans one message out to two wired agents, in two sessions, by priority', async () => {
    const first = await harness.addAgent('first');
    const second = await harness.addAgent('second');
    const chat = await harness.addChat('c1', { agent: second, priority: 1 });
    await harness.store.wirings.add({ chatId: chat.id, agentId: first.id, engage: 'always', sessionMode: 'shared', priority: 5 });
    await harness.say('hello both', { chatId: 'c1' });
    const events = routed();
    expect(events.map((event) => event.agentId)).toEqual([first.id, second.id]);
    expect(new Set(events.map((event) => event.sessionId)).size).toBe(2);
    expect(harness.texts()).toEqual(['echo: hello both', 'echo: hello both']);
  });

  it('accumulates unengaged group messages as context and shows them at the next turn', async () => {
    const agent = await harness.addAgent('andy', { assistantName: 'Andy' });
    await harness.addChat('c1', { agent, isGroup: true, engage: 'mention', accumulate: true });
    await harness.say('the code word is <tulip> & co', { chatId: 'c1', isGroup: true, sender: 'bob' });
    expect(harness.texts()).toEqual([]);
    expect(routed().map((event) => event.kind)).toEqual(['context']);
    await harness.say('@Andy what is the code word?', { chatId: 'c1', isGroup: true });
    const request = harness.llm.requests().at(-1);
    const prompt = request?.messages.at(-1);
    expect(prompt?.role === 'user' && prompt.content).toContain(
      'context="true">the code word is &lt;tulip&gt; &amp; co</message>',
    );
  });

  it('drops unengaged messages without accumulate', async () => {
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent, isGroup: true, engage: 'mention' });
    await harness.say('chatter', { chatId: 'c1', isGroup: true });
    expect(dropped()).toContain('not engaged');
    expect(await harness.store.sessions.list()).toEqual([]);
  });

  it.each([
    ['shared', 1],
    ['per-thread', 2],
    ['agent-shared', 1],
  ] as const)('session mode %s gives %i session(s) for two threads', async (sessionMode, sessions) => {
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent, sessionMode, isGroup: true });
    await harness.say('in thread a', { chatId: 'c1', isGroup: true, threadId: 'ta' });
    await harness.say('in thread b', { chatId: 'c1', isGroup: true, threadId: 'tb' });
    const list = await harness.store.sessions.list();
    expect(list.length).toBe(sessions);
    if (sessionMode === 'agent-shared') expect(list[0]?.chatId).toBeUndefined();
    expect(harness.channel.sent.map((sent) => sent.address.threadId)).toEqual(['ta', 'tb']);
  });

  it('agent-shared sessions answer in the chat the message came from', async () => {
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent, sessionMode: 'agent-shared' });
    await harness.addChat('c2', { agent, sessionMode: 'agent-shared' });
    await harness.say('from one', { chatId: 'c1' });
    await harness.say('from two', { chatId: 'c2' });
    expect(harness.channel.sent.map((sent) => [sent.address.chatId, sent.message.text])).toEqual([
      ['c1', 'echo: from one'],
      ['c2', 'echo: from two'],
    ]);
    expect((await harness.store.sessions.list()).length).toBe(1);
  });

  it('stores a duplicate inbound once and answers once', async () => {
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    const message = { text: 'once', chat: { id: 'c1', isGroup: false }, platformMessageId: 'dup-1' };
    await harness.channel.inject(message);
    await harness.channel.inject(message);
    await harness.gateway.idle();
    expect(harness.texts()).toEqual(['echo: once']);
  });

  it('stores and routes atomically: a failure while routing keeps nothing, and the re-sent message is routed', async () => {
    const agent = await harness.addAgent('andy');
    const chat = await harness.addChat('c1', { agent });
    let failNext = true;
    const failingInbox = (inbox: object) =>
      new Proxy(inbox, {
        get: (target, key) => {
          if (key === 'add' && failNext) {
            return async () => {
              failNext = false;
              throw new Error('disk full');
            };
          }
          const value = Reflect.get(target, key);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
    const original = harness.store.transaction.bind(harness.store);
    harness.store.transaction = (fn) =>
      original((tx) =>
        fn(new Proxy(tx, { get: (target, key) => (key === 'inbox' ? failingInbox(target.inbox) : Reflect.get(target, key)) })),
      );
    const message = { text: 'hi', chat: { id: 'c1', isGroup: false }, platformMessageId: 'atomic-1' };
    await expect(harness.channel.inject(message)).rejects.toThrow('disk full');
    expect(await harness.store.messages.listForChat(chat.id)).toEqual([]);
    expect(await harness.store.sessions.list()).toEqual([]);
    await harness.channel.inject(message);
    await harness.gateway.idle();
    expect(harness.texts()).toEqual(['echo: hi']);
  });
});
