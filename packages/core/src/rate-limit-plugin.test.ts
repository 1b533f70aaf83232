import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';
import { createRateLimitPlugin } from './rate-limit-plugin';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function limitedGateway(clock: ManualClock, limits: Parameters<typeof createRateLimitPlugin>[0]) {
  const opened = await createHarness({ clock, plugins: [{ plugin: createRateLimitPlugin(limits) }] });
  const agent = await opened.addAgent('andy');
  await opened.addChat('c1', { agent, isGroup: true });
  await opened.addChat('c2', { agent, isGroup: true });
  return opened;
}

const seconds = 1000;

describe('the rate limiter', () => {
  it('drops what exceeds a sender’s fixed window with one notice per window; a dropped message does not extend it', async () => {
    const clock = createManualClock();
    harness = await limitedGateway(clock, { clock, perSender: { messages: 2, windowSeconds: 60 } });
    await harness.say('a', { isGroup: true, sender: 'ann' }); // the window starts: 0 s to 60 s
    await harness.say('b', { isGroup: true, sender: 'ann' });
    await clock.advance(10 * seconds);
    await harness.say('c', { isGroup: true, sender: 'ann' });
    await clock.advance(49 * seconds);
    await harness.say('d', { isGroup: true, sender: 'ann' }); // 59 s: still the first window
    await harness.say('other sender', { isGroup: true, sender: 'bob' });
    await clock.advance(1 * seconds);
    await harness.say('e', { isGroup: true, sender: 'ann' }); // 60 s: a new window, though c and d came later
    await harness.say('f', { isGroup: true, sender: 'ann' });
    await harness.say('g', { isGroup: true, sender: 'ann' });
    await harness.say('h', { isGroup: true, sender: 'ann' });

    expect(harness.texts()).toEqual([
      'echo: a',
      'echo: b',
      'Slow down: at most 2 messages per minute from ann. Messages from ann are ignored for the next 50 s.',
      'echo: other sender',
      'echo: e',
      'echo: f',
      'Slow down: at most 2 messages per minute from ann. Messages from ann are ignored for the next 60 s.',
    ]);
    const dropped = harness.events.filter((event) => event.type === 'message.dropped' && event.reason === 'dropped by a plugin');
    expect(dropped).toHaveLength(4);
  });

  it('limits a chat across its senders, leaves other chats alone, and never counts edits or deletions', async () => {
    const clock = createManualClock();
    harness = await limitedGateway(clock, { clock, perChat: { messages: 2, windowSeconds: 30 } });
    await harness.say('one', { isGroup: true, sender: 'ann' });
    for (const kind of ['edit', 'delete'] as const) {
      await harness.channel.inject({
        kind,
        text: kind === 'edit' ? 'one (edited)' : '',
        chat: { id: 'c1', isGroup: true },
        sender: { id: 'ann' },
        platformMessageId: 'm-1',
      });
    }
    await harness.say('two', { isGroup: true, sender: 'bob' });
    await harness.say('three', { isGroup: true, sender: 'cid' });
    await harness.say('four', { isGroup: true, sender: 'dee' });
    await harness.say('elsewhere', { isGroup: true, sender: 'ann', chatId: 'c2' });
    await clock.advance(30 * seconds);
    await harness.say('five', { isGroup: true, sender: 'cid' });

    expect(harness.texts()).toEqual([
      'echo: one',
      'echo: two',
      'Slow down: at most 2 messages per 30 seconds in this chat. Messages in this chat are ignored for the next 30 s.',
      'echo: elsewhere',
      'echo: five',
    ]);
    expect(harness.channel.sent[2]?.address).toEqual({ channel: 'fake', chatId: 'c1' });
  });

  it('refuses settings without a window, naming the key', () => {
    const clock = createManualClock();
    expect(() => createRateLimitPlugin({ clock })).toThrow('needs "perSender" or "perChat"');
    expect(() => createRateLimitPlugin({ clock, perChat: { messages: 0, windowSeconds: 10 } })).toThrow(
      'rate limit option "perChat.messages" is invalid: must be from 1 to 1000000',
    );
  });
});
