import { readFileSync } from 'node:fs';
import type { InboundMessage } from '@ngb/plugin-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordingContext, createTelegramChannelHarness } from './testing/telegram-channel-harness';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

const harness = createTelegramChannelHarness('polling');
let recording: ReturnType<typeof createRecordingContext>;

beforeEach(async () => {
  recording = createRecordingContext();
  await (await harness.create()).start(recording.context);
});
afterEach(async () => {
  await harness.channel.stop();
  await harness.dispose?.();
});

/** Replays a fixture through the fake and returns what the channel handed to the core (undefined when dropped). */
async function replay(name: string): Promise<InboundMessage | undefined> {
  const before = recording.received.length;
  await harness.fake.injectUpdate(fixture(name));
  // A marker message after it: once the marker arrived, the fixture was handled (kept or dropped).
  await harness.fake.injectMessage({ chatId: 9, text: `after ${name}` });
  await recording.until(() => recording.received.find((message) => message.text === `after ${name}`), name);
  const handed = recording.received.slice(before, -1);
  expect(handed.length).toBeLessThanOrEqual(1);
  return handed[0];
}

describe('Telegram updates as the platform documents them, replayed through the fake', () => {
  it('a group message that @mentions the bot', async () => {
    expect(await replay('group-mention')).toEqual({
      channel: 'telegram',
      chat: { id: '-4012345678', name: 'Family', isGroup: true },
      platformMessageId: '51',
      sender: { id: '111222333', name: 'Ann Lee', isBot: false },
      text: '@ngb_test_bot what is on today?',
      mentionsBot: true,
      timestamp: 1764620000_000,
    });
  });

  it('a reply to the bot counts as a mention and names the quoted part and its author', async () => {
    expect(await replay('reply-to-bot')).toMatchObject({
      chat: { id: '-1001987654321', name: 'Team', isGroup: true },
      text: 'yes please',
      mentionsBot: true,
      replyTo: { id: '76', author: { id: '4242', name: 'Test bot' }, text: 'Deploy now?' },
    });
  });

  it('an edited message is an edit of the same message id, at the edit time', async () => {
    expect(await replay('edited-message')).toMatchObject({
      kind: 'edit',
      platformMessageId: '51',
      text: '@ngb_test_bot what is on tomorrow?',
      timestamp: 1764620042_000,
    });
  });

  it('a photo gives its largest size, with the caption as text', async () => {
    const message = await replay('photo');
    expect(message).toMatchObject({ chat: { id: '111222333', name: 'Ann', isGroup: false }, text: 'what is this plant?' });
    expect(message?.attachments).toEqual([
      { kind: 'image', name: 'photo.jpg', mimeType: 'image/jpeg', size: 84551, reference: 'AgACAgIAAxkBAAMMZ-large' },
    ]);
  });

  it('a document and a voice note are attachments with their file ids', async () => {
    expect((await replay('document'))?.attachments).toEqual([
      { kind: 'file', name: 'report.pdf', mimeType: 'application/pdf', size: 48213, reference: 'BQACAgIAAxkBAAMNZ-doc' },
    ]);
    expect((await replay('voice'))?.attachments).toEqual([
      { kind: 'audio', name: 'voice.ogg', mimeType: 'audio/ogg', size: 9120, reference: 'AwACAgIAAxkBAAMOZ-voice' },
    ]);
  });

  it("a forum topic message carries its thread, and the topic's first message is not a reply", async () => {
    const message = await replay('forum-topic');
    expect(message).toMatchObject({ threadId: '198', text: 'water the tomatoes', mentionsBot: false });
    expect(message?.replyTo).toBeUndefined();
  });

  it('another bot is ignored by default', async () => {
    expect(await replay('bot-author')).toBeUndefined();
  });

  it('a service message (a member joined) is no message', async () => {
    expect(await replay('new-member')).toBeUndefined();
  });

  it('a command addressed to the bot in a group reads as typed in a direct chat, and mentions it', async () => {
    expect(await replay('group-command')).toMatchObject({ text: '/claim 493-201', mentionsBot: true });
  });

  it('an anonymous admin speaks as the group, not as a bot', async () => {
    expect(await replay('anonymous-admin')).toMatchObject({
      sender: { id: '-1001987654321', name: 'Team', isBot: false },
      mentionsBot: false,
    });
  });

  it('a text mention of the bot (a user picked from the list, no @username) is a mention', async () => {
    expect(await replay('text-mention')).toMatchObject({ mentionsBot: true, text: 'Test bot 🌱 look at this' });
  });
});

describe('other bots, when allowed', () => {
  it('are handed to the core flagged as bots', async () => {
    const allowing = createTelegramChannelHarness('polling', { allowBots: true });
    const context = createRecordingContext();
    const channel = await allowing.create();
    await channel.start(context.context);
    try {
      await allowing.fake.injectUpdate(fixture('bot-author'));
      const message = await context.until(() => context.received[0], 'the bot message');
      expect(message.sender).toEqual({ id: '5550001', name: 'Weather', isBot: true });
    } finally {
      await channel.stop();
      await allowing.dispose?.();
    }
  });
});
