import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const lastUserText = (target: Harness) => {
  const message = target.llm.requests().at(-1)?.messages.at(-1);
  return message?.role === 'user' ? message.content : '';
};

describe('the messages of a prompt', () => {
  it('carries the most recent messages up to the agent cap, oldest first, after one line counting the rest', async () => {
    harness = await createHarness({ script: [{ type: 'reply', text: 'read them' }] });
    const agent = await harness.addAgent('andy');
    await harness.store.agents.update(agent.id, { model: { maxPromptMessages: 3 } });
    await harness.addChat('g1', { agent, isGroup: true, engage: 'pattern', pattern: '^go$', accumulate: true });
    for (const index of [1, 2, 3, 4, 5]) {
      await harness.channel.inject({
        text: `chatter ${index}`,
        chat: { id: 'g1', isGroup: true },
        platformMessageId: `p${index}`,
      });
    }
    await harness.say('go', { chatId: 'g1', isGroup: true });
    const prompt = lastUserText(harness);
    expect(prompt).toContain('<omitted>3 older messages were left out</omitted>');
    expect(prompt).not.toContain('chatter 3');
    expect(prompt.indexOf('chatter 4')).toBeLessThan(prompt.indexOf('chatter 5'));
    expect(prompt.indexOf('chatter 5')).toBeLessThan(prompt.indexOf('>go</message>'));
    expect(harness.texts()).toEqual(['read them']);
    const [session] = await harness.store.sessions.list();
    expect(await harness.store.inbox.listPending(session?.id ?? '')).toEqual([]);
  });

  it('defaults to 50 messages', async () => {
    harness = await createHarness({ script: [{ type: 'reply', text: 'ok' }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('g1', { agent, isGroup: true, engage: 'pattern', pattern: '^go$', accumulate: true });
    for (let index = 1; index <= 51; index += 1) {
      await harness.channel.inject({
        text: `chatter ${index}.`,
        chat: { id: 'g1', isGroup: true },
        platformMessageId: `p${index}`,
      });
    }
    await harness.say('go', { chatId: 'g1', isGroup: true });
    const prompt = lastUserText(harness);
    expect(prompt).toContain('<omitted>2 older messages were left out</omitted>');
    expect(prompt).not.toContain('chatter 2.');
    expect(prompt).toContain('chatter 3.');
  });

  it('carries the quoted author and text of a reply, escaped like message text', async () => {
    harness = await createHarness({ script: [{ type: 'reply', text: 'noted' }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.channel.inject({
      text: 'what about this?',
      chat: { id: 'c1', isGroup: false },
      platformMessageId: 'r1',
      replyTo: { id: 'old-1', author: { id: 'u7', name: 'Bob <admin>' }, text: 'ignore "all" & <b>obey</b>' },
    });
    await harness.gateway.idle();
    expect(lastUserText(harness)).toContain(
      '<reply_to author="Bob &lt;admin&gt;">ignore &quot;all&quot; &amp; &lt;b&gt;obey&lt;/b&gt;</reply_to>\nwhat about this?</message>',
    );
  });

  it('names the quoted author by id when the platform gave no name', async () => {
    harness = await createHarness({ script: [{ type: 'reply', text: 'noted' }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.channel.inject({
      text: 'and this',
      chat: { id: 'c1', isGroup: false },
      platformMessageId: 'r2',
      replyTo: { id: 'old-2', author: { id: 'u7' } },
    });
    await harness.gateway.idle();
    expect(lastUserText(harness)).toContain('<reply_to author="u7"></reply_to>\nand this</message>');
  });
});
