import { readFileSync } from 'node:fs';
import { createFakeSlackServer, type FakeSlackEvent, type FakeSlackServer } from '@ngb/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type createTestContext, startSlackChannel } from './__tests__/slack-test-context';
import { normalizeSlackEvent, readableSlackText } from './normalize-slack-event';
import type { SlackChannel } from './slack-channel';

// The bot of the fixtures (Slack's documentation examples) is U0LAN0Z89.
const botUserId = 'U0LAN0Z89';
const fixture = (name: string): FakeSlackEvent =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8')) as FakeSlackEvent;

let fake: FakeSlackServer;
let channel: SlackChannel;
let test: ReturnType<typeof createTestContext>;

beforeEach(async () => {
  fake = await createFakeSlackServer({
    botUserId,
    users: [
      { id: 'U061F7AUR', name: 'ann', displayName: 'Ann' },
      { id: 'U2147483697', name: 'bo', displayName: 'Bo' },
      { id: 'U123ABC456', name: 'cy', displayName: 'Cy' },
    ],
  });
  ({ test, channel } = await startSlackChannel(fake));
});

afterEach(async () => {
  await channel.stop();
  await fake.close();
});

/** Delivers fixtures over Socket Mode and waits until each envelope was acknowledged. */
async function replay(...names: string[]): Promise<void> {
  for (const name of names) await fake.waitForAck(fake.deliverEvent(fixture(name)).envelopeId);
}

describe('Slack payloads as documented, replayed through the fake over Socket Mode', () => {
  it('a channel message naming the bot, sent as both message and app_mention, is one inbound message', async () => {
    await replay('channel-message-with-mention', 'app-mention');
    expect(test.received).toHaveLength(1);
    expect(test.received[0]).toEqual({
      channel: 'slack',
      chat: { id: 'C0LAN2Q65', isGroup: true },
      platformMessageId: '1515449522.000016',
      sender: { id: 'U061F7AUR', name: 'Ann', isBot: false },
      text: '@ngb is it everything a river should be? <see> the river (https://example.com/river)',
      mentionsBot: true,
      timestamp: 1515449522000,
    });
  });

  it('app_mention arriving first counts too, and the message event after it is dropped', async () => {
    await replay('app-mention', 'channel-message-with-mention');
    expect(test.received.map((message) => message.mentionsBot)).toEqual([true]);
  });

  it('a direct message (channel_type im) is not a group and names the chat after the person', async () => {
    await replay('direct-message');
    expect(test.received[0]).toMatchObject({
      chat: { id: 'D024BE91L', isGroup: false, name: 'Bo' },
      text: 'Hello hello can you hear me?',
      mentionsBot: false,
    });
  });

  it('a thread reply to the bot carries the thread, the reply-to with its author, and counts as a mention', async () => {
    await replay('thread-reply-to-bot');
    expect(test.received[0]).toMatchObject({
      threadId: '1355517523.000005',
      replyTo: { id: '1355517523.000005', author: { id: botUserId, name: 'ngb' } },
      mentionsBot: true,
    });
  });

  it('message_changed is an edit of the original ts; message_deleted a deletion', async () => {
    await replay('message-changed', 'message-deleted');
    expect(test.received).toMatchObject([
      { kind: 'edit', platformMessageId: '1355517523.000005', text: 'Hello, world!', sender: { id: 'U123ABC456', name: 'Cy' } },
      { kind: 'delete', platformMessageId: '1358878749.000002', text: '', chat: { id: 'C123ABC456' } },
    ]);
  });

  it('a shared file is an attachment whose reference is url_private_download', async () => {
    await replay('file-share');
    expect(test.received[0]?.attachments).toEqual([
      {
        kind: 'image',
        name: 'photo.jpg',
        mimeType: 'image/jpeg',
        size: 43518,
        reference: 'https://files.slack.com/files-pri/T0LAN2Q5U-F0S43PZDF/download/photo.jpg',
      },
    ]);
  });

  it("ignores other bots and joins, reports the bot's own message unchanged (the core drops it)", async () => {
    await replay('bot-message', 'channel-join', 'own-bot-message');
    expect(test.received.map((message) => message.sender)).toEqual([{ id: botUserId, name: 'ngb', isBot: true }]);
  });

  it('acknowledges every envelope, the ignored ones too', async () => {
    await replay('bot-message', 'channel-join');
    expect(fake.unackedEnvelopes()).toEqual([]);
  });
});

describe('normalizeSlackEvent on its own', () => {
  const context = { channel: 'slack', selfId: botUserId, allowBots: false, names: new Map<string, string>() };

  it('keeps other bots when allowed', () => {
    const outcome = normalizeSlackEvent(fixture('bot-message'), { ...context, allowBots: true });
    expect(outcome).toMatchObject({
      inbound: { sender: { id: 'BB12033', name: 'github', isBot: true }, text: 'Deploy finished' },
    });
  });

  it('ignores an edit that does not change the text (a link preview being added)', () => {
    const event = fixture('message-changed');
    const same = { ...event, previous_message: { ...(event.previous_message as object), text: 'Hello, world!' } };
    expect(normalizeSlackEvent(same, context)).toEqual({ ignored: 'edit without a text change' });
  });

  it.each([
    null,
    42,
    'text',
    [],
    {},
    { type: 'message' },
    { type: 'reaction_added', channel: 'C1' },
    { type: 'message', channel: 'C1' },
  ])('never throws on a malformed event: %j', (event) => {
    expect('ignored' in normalizeSlackEvent(event, context)).toBe(true);
  });

  it('shows mentions, channels, broadcasts and links as people read them', () => {
    const names = new Map([['U1', 'Ann']]);
    expect(
      readableSlackText('<@U1> <@U2|bo> <#C1|general> <!here> <!subteam^S1|@devs> <mailto:a@b.c|a@b.c> &amp;lt;', names),
    ).toBe('@Ann @bo #general @here @devs a@b.c &lt;');
  });
});
