import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness;
beforeEach(async () => {
  harness = await createHarness();
});
afterEach(async () => {
  await harness.close();
});

const ofType = (type: string) => harness.events.filter((event) => event.type === type);
const dropped = () => harness.events.flatMap((event) => (event.type === 'message.dropped' ? [event.reason] : []));

async function post(message: Parameters<Harness['channel']['inject']>[0]): Promise<void> {
  await harness.channel.inject(message);
  await harness.gateway.idle();
}

describe("the bot's own messages", () => {
  it('are dropped before anything is stored, in a served chat and in an unknown one', async () => {
    const agent = await harness.addAgent('andy');
    const chat = await harness.addChat('c1', { agent });
    const self = harness.channel.self;
    expect(self).toBeDefined();
    await post({ text: 'an echo of my reply', chat: { id: 'c1', isGroup: false }, sender: { id: self?.id ?? '' } });
    await post({
      text: 'echo in a new DM',
      chat: { id: 'c9', isGroup: false },
      sender: { id: self?.id ?? '' },
      mentionsBot: true,
    });
    expect(dropped()).toEqual(["the bot's own message", "the bot's own message"]);
    expect(await harness.store.messages.listForChat(chat.id)).toEqual([]);
    expect(await harness.store.chats.getByPlatformId('fake', 'c9')).toBeUndefined();
    expect(ofType('message.received')).toEqual([]);
    expect(harness.texts()).toEqual([]);
  });

  it('leave messages of other senders alone', async () => {
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('hello', { chatId: 'c1', sender: 'someone' });
    expect(harness.texts()).toEqual(['echo: hello']);
  });
});

describe('inbound edits and deletions', () => {
  it('an edit updates the stored text, keeps the first, and starts no turn', async () => {
    const agent = await harness.addAgent('andy');
    const chat = await harness.addChat('c1', { agent });
    await post({ text: 'meet at noon', chat: { id: 'c1', isGroup: false }, platformMessageId: 'p-1', timestamp: 1_000 });
    expect(harness.texts()).toHaveLength(1);
    const turns = ofType('turn.start').length;
    await post({
      kind: 'edit',
      text: 'meet at dusk',
      chat: { id: 'c1', isGroup: false },
      platformMessageId: 'p-1',
      timestamp: 2_000,
    });
    const stored = await harness.store.messages.getByPlatformId(chat.id, 'p-1');
    expect(stored).toMatchObject({ text: 'meet at dusk', originalText: 'meet at noon', editedAt: 2_000 });
    expect(ofType('message.edited')).toMatchObject([{ messageId: stored?.id, text: 'meet at dusk' }]);
    expect(ofType('turn.start')).toHaveLength(turns);
    expect(ofType('message.routed')).toHaveLength(1);
    expect(harness.texts()).toHaveLength(1);
  });

  it('a deletion marks the stored message deleted and starts no turn', async () => {
    const agent = await harness.addAgent('andy');
    const chat = await harness.addChat('c1', { agent });
    await post({ text: 'oops', chat: { id: 'c1', isGroup: false }, platformMessageId: 'p-2' });
    await post({ kind: 'delete', text: '', chat: { id: 'c1', isGroup: false }, platformMessageId: 'p-2', timestamp: 3_000 });
    expect(await harness.store.messages.getByPlatformId(chat.id, 'p-2')).toMatchObject({ text: 'oops', deletedAt: 3_000 });
    expect(ofType('message.deleted')).toHaveLength(1);
    expect(ofType('message.routed')).toHaveLength(1);
    expect(harness.texts()).toHaveLength(1);
  });

  it('never create a chat nor a message, even when they would address the bot', async () => {
    await harness.addAgent('main', { isMain: true });
    const unknown = { id: 'c7', isGroup: false };
    await post({ kind: 'edit', text: 'edited hello', chat: unknown, platformMessageId: 'p-9', mentionsBot: true });
    await post({ kind: 'delete', text: '', chat: unknown, platformMessageId: 'p-9', mentionsBot: true });
    expect(await harness.store.chats.getByPlatformId('fake', 'c7')).toBeUndefined();
    expect(dropped()).toEqual(['edit of a message the gateway did not keep', 'delete of a message the gateway did not keep']);
    expect(ofType('approval.requested')).toEqual([]);
    expect(harness.texts()).toEqual([]);
  });

  it('of a message never stored in a served chat store nothing and start no turn', async () => {
    const agent = await harness.addAgent('andy');
    const chat = await harness.addChat('c1', { agent });
    await post({ kind: 'edit', text: 'new text', chat: { id: 'c1', isGroup: false }, platformMessageId: 'never-seen' });
    expect(await harness.store.messages.listForChat(chat.id)).toEqual([]);
    expect(ofType('turn.start')).toEqual([]);
  });
});

describe('replies and formats', () => {
  it('stores the quoted author and text of a reply', async () => {
    const agent = await harness.addAgent('andy');
    const chat = await harness.addChat('c1', { agent });
    await post({
      text: 'yes, that one',
      chat: { id: 'c1', isGroup: false },
      platformMessageId: 'p-3',
      replyTo: { id: 'p-0', author: { id: 'u-9', name: 'Bo' }, text: 'which one?' },
    });
    expect(await harness.store.messages.getByPlatformId(chat.id, 'p-3')).toMatchObject({
      replyToPlatformId: 'p-0',
      replyToAuthorId: 'u-9',
      replyToAuthorName: 'Bo',
      replyToText: 'which one?',
    });
  });

  it("sends the agent's reply as markdown and the gateway's own notices as plain text", async () => {
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('hello', { chatId: 'c1' });
    await harness.say('/approve NOPE', { chatId: 'c1' });
    expect(harness.channel.sent.map((sent) => [sent.message.text, sent.message.format])).toEqual([
      ['echo: hello', 'markdown'],
      ['/approve is for the owner only.', 'plain'],
    ]);
  });
});
