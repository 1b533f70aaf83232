import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness;
beforeEach(async () => {
  harness = await createHarness();
});
afterEach(async () => {
  await harness.close();
});

const message = (text: string, platformMessageId: string, chatId = 'c1') => ({
  channel: 'fake',
  chat: { id: chatId, isGroup: false },
  sender: { id: 'user-1', name: 'User One', isBot: false },
  text,
  mentionsBot: false,
  platformMessageId,
  timestamp: 1,
});

describe('gateway.receive', () => {
  it('resolves with the stored message id and the sessions it was routed to', async () => {
    const first = await harness.addAgent('first');
    const second = await harness.addAgent('second');
    const chat = await harness.addChat('c1', { agent: first, isGroup: true });
    await harness.store.wirings.add({
      chatId: chat.id,
      agentId: second.id,
      engage: 'mention',
      sessionMode: 'shared',
      accumulate: true,
    });
    const result = await harness.gateway.receive({ ...message('hello', 'p1'), chat: { id: 'c1', isGroup: true } });
    await harness.gateway.idle();
    const routed = harness.events.filter((event) => event.type === 'message.routed');
    expect(result).toEqual({
      messageId: routed[0]?.messageId,
      routed: [
        { agentId: first.id, sessionId: routed[0]?.sessionId, kind: 'message' },
        { agentId: second.id, sessionId: routed[1]?.sessionId, kind: 'context' },
      ],
    });
    expect(await harness.store.messages.get('routed' in result ? result.messageId : '')).toMatchObject({ text: 'hello' });
  });

  it('resolves with the reason when a message is dropped, and names a stored message', async () => {
    await harness.addAgent('andy');
    expect(
      await harness.gateway.receive({ ...message('hello', 'p1', 'stranger'), chat: { id: 'stranger', isGroup: true } }),
    ).toEqual({
      dropped: 'unknown chat, not addressed to the bot',
    });
    const agent = await harness.addAgent('mentioned');
    await harness.addChat('group', { agent, isGroup: true, engage: 'mention' });
    const notEngaged = await harness.gateway.receive({
      ...message('no mention', 'p2', 'group'),
      chat: { id: 'group', isGroup: true },
    });
    expect(notEngaged).toEqual({ dropped: 'not engaged', messageId: expect.any(String) });
    const again = await harness.gateway.receive({
      ...message('no mention', 'p2', 'group'),
      chat: { id: 'group', isGroup: true },
    });
    expect(again).toEqual({ dropped: 'already received', messageId: 'messageId' in notEngaged ? notEngaged.messageId : '' });
  });

  it('numbers the events of a turn in order', async () => {
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    const seqs = harness.events.map((event) => event.seq);
    expect(seqs.length).toBeGreaterThan(3);
    expect(seqs).toEqual(seqs.map((_, index) => (seqs[0] ?? 0) + index));
    const replay = harness.gateway.events.since(seqs[1] ?? 0).events.map((event) => event.seq);
    expect(replay).toEqual(seqs.slice(2));
  });
});
