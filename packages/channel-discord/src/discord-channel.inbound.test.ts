import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordTestRun, eventually, startDiscordTestRun } from './testing/discord-test-run';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('Discord inbound: documented payloads replayed through the fake gateway', () => {
  let run: DiscordTestRun;
  afterEach(async () => run.close());

  // Each case: the payloads dispatched in order, then what `receive` got. A marker message after them
  // proves the dropped ones were dropped rather than late.
  const replay = async (events: Array<[string, string]>) => {
    run = await startDiscordTestRun();
    for (const [type, name] of events) run.fake.dispatch(type, fixture(name));
    run.fake.injectMessage({ channelId: '2002', author: { id: '5', username: 'marker' }, content: 'marker' });
    await eventually(() => run.received.some((message) => message.text === 'marker'), 'the marker');
    return run.received.filter((message) => message.text !== 'marker');
  };

  it('a guild message mentioning the bot: group chat, sender with nickname, mention as @name', async () => {
    const [message] = await replay([['MESSAGE_CREATE', 'message-create-guild-mention']]);
    expect(message).toEqual({
      channel: 'discord',
      chat: { id: '2002', name: '#general', isGroup: true },
      platformMessageId: '1300000000000000010',
      sender: { id: '111111111111111111', name: 'annie', isBot: false },
      text: '@ngb-bot what is the weather?',
      mentionsBot: true,
      timestamp: Date.parse('2026-12-01T12:00:00.000Z'),
    });
  });

  it('a reply to the bot counts as a mention and carries the replied message', async () => {
    const [message] = await replay([['MESSAGE_CREATE', 'message-create-reply-to-bot']]);
    expect(message).toMatchObject({
      text: 'and tomorrow?',
      mentionsBot: true,
      replyTo: {
        id: '1300000000000000001',
        author: { id: '900000000000000001', name: 'ngb-bot' },
        text: 'Here is the summary **you** asked for.',
      },
    });
  });

  it('an edit is its own kind with the new text; an update that only adds an embed is no edit', async () => {
    const messages = await replay([
      ['MESSAGE_UPDATE', 'message-update-embed-only'],
      ['MESSAGE_UPDATE', 'message-update'],
    ]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      kind: 'edit',
      platformMessageId: '1300000000000000010',
      text: '@ngb-bot what is the weather in Paris?',
      timestamp: Date.parse('2026-12-01T12:01:00.000Z'),
    });
  });

  it('a deletion is its own kind, naming the author the adapter saw post it', async () => {
    const messages = await replay([
      ['MESSAGE_CREATE', 'message-create-guild-mention'],
      ['MESSAGE_DELETE', 'message-delete'],
    ]);
    expect(messages[1]).toMatchObject({
      kind: 'delete',
      chat: { id: '2002', isGroup: true },
      platformMessageId: '1300000000000000010',
      sender: { id: '111111111111111111' },
      text: '',
    });
  });

  it('attachments: kind, name, type, size and the CDN URL as reference', async () => {
    const [message] = await replay([['MESSAGE_CREATE', 'message-create-attachment']]);
    expect(message?.attachments).toEqual([
      {
        kind: 'image',
        name: 'photo.jpg',
        mimeType: 'image/jpeg',
        size: 48213,
        reference: 'https://cdn.discordapp.com/attachments/2002/1300000000000000099/photo.jpg?ex=1&is=2&hm=3',
      },
    ]);
  });

  it('a message in a thread: the parent channel is the chat and the thread its threadId', async () => {
    const [message] = await replay([['MESSAGE_CREATE', 'message-create-thread']]);
    expect(message).toMatchObject({ chat: { id: '2002', name: '#general', isGroup: true }, threadId: '4004' });
  });

  it('a direct message (channel_type 1, no guild) is not a group', async () => {
    const [message] = await replay([['MESSAGE_CREATE', 'message-create-dm']]);
    expect(message).toMatchObject({ chat: { id: '1001', isGroup: false }, text: 'hello in private', mentionsBot: false });
    expect(message?.threadId).toBeUndefined();
  });

  it("other bots and system messages are dropped; the bot's own messages are reported unchanged", async () => {
    const messages = await replay([
      ['MESSAGE_CREATE', 'message-create-bot-author'],
      ['MESSAGE_CREATE', 'message-create-system-join'],
      ['MESSAGE_CREATE', 'message-create-own'],
    ]);
    expect(messages.map((message) => message.sender)).toEqual([{ id: '900000000000000001', name: 'ngb-bot', isBot: true }]);
  });

  it('other bots are handed on when allowBots is set', async () => {
    run = await startDiscordTestRun({}, { allowBots: true });
    run.fake.dispatch('MESSAGE_CREATE', fixture('message-create-bot-author'));
    const message = await eventually(() => run.received[0], 'the bot message');
    expect(message.sender).toEqual({ id: '222222222222222222', name: 'otherbot', isBot: true });
  });

  it('a thread created before the bot connected is looked up once over REST', async () => {
    run = await startDiscordTestRun();
    run.fake.dispatch('MESSAGE_CREATE', { ...fixture('message-create-thread'), channel_id: '5005' });
    run.fake.dispatch('MESSAGE_CREATE', { ...fixture('message-create-thread'), id: '1300000000000000020', channel_id: '5005' });
    // 5005 is not in the fake's guild: the lookup fails (404), once, and the messages stay in their own channel.
    await eventually(() => run.received[1], 'both messages');
    expect(run.received.map((message) => message.chat.id)).toEqual(['5005', '5005']);
    expect(run.fake.requests.filter((request) => request.path === '/api/v10/channels/5005')).toEqual([
      { method: 'GET', path: '/api/v10/channels/5005', status: 404 },
    ]);
  });
});
