import { canShowButtons } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import type { TelegramChannel } from './telegram-channel';
import { createRecordingContext, createTelegramChannelHarness } from './testing/telegram-channel-harness';

const address = { channel: 'telegram', chatId: '1001' };
const choices = [
  { id: 'ask:q-1:0', label: 'Margherita' },
  { id: 'ask:q-1:1', label: 'Funghi' },
];

describe.each(['polling', 'webhook'] as const)('Telegram buttons (%s)', (mode) => {
  const harness = createTelegramChannelHarness(mode);
  let channel: TelegramChannel | undefined;
  afterEach(async () => {
    await channel?.stop();
    await harness.dispose?.();
  });

  it('shows choices as an inline keyboard; a press is a choice from the presser, answered to Telegram once', async () => {
    channel = await harness.create();
    const recording = createRecordingContext();
    await channel.start(recording.context);
    expect(canShowButtons(channel)).toBe(true);
    const receipt = await channel.send(address, { text: 'Which pizza?', format: 'plain', choices });
    expect(harness.fake.sent[0]).toMatchObject({
      text: 'Which pizza?',
      buttons: [
        { text: 'Margherita', data: 'ask:q-1:0' },
        { text: 'Funghi', data: 'ask:q-1:1' },
      ],
    });
    const update = await harness.fake.pressButton({
      chatId: 1001,
      messageId: Number(receipt.platformMessageId),
      data: 'ask:q-1:1',
      from: { id: 88, first_name: 'Bo' },
    });
    const press = await recording.until(() => recording.received[0], 'the press');
    const queryId = (update.callback_query as { id: string }).id;
    expect(press).toMatchObject({
      kind: 'choice',
      choice: 'ask:q-1:1',
      text: 'Funghi',
      chat: { id: '1001', isGroup: false },
      sender: { id: '88', name: 'Bo', isBot: false },
      platformMessageId: `callback:${queryId}`,
    });
    await recording.until(
      () => harness.fake.sent.find((sent) => sent.method === 'answerCallbackQuery'),
      'the answer to the callback query',
    );
    expect(harness.fake.sent.filter((sent) => sent.method === 'answerCallbackQuery')).toEqual([
      expect.objectContaining({ callbackQueryId: queryId }),
    ]);
  });

  // In webhook mode Telegram gets a 5xx and posts the update again; the spinner must stop meanwhile.
  it.runIf(mode === 'webhook')('answers the press even when the core fails to take it', async () => {
    channel = await harness.create();
    const recording = createRecordingContext();
    await channel.start(recording.context);
    const receipt = await channel.send(address, { text: 'Which pizza?', format: 'plain', choices });
    recording.failNext(1);
    await harness.fake.pressButton({ chatId: 1001, messageId: Number(receipt.platformMessageId), data: 'ask:q-1:0' });
    await recording.until(() => recording.attempted[0], 'the press');
    await recording.until(
      () => harness.fake.sent.find((sent) => sent.method === 'answerCallbackQuery'),
      'the answer to the callback query',
    );
  });

  it('sends no keyboard without choices', async () => {
    channel = await harness.create();
    await channel.start(createRecordingContext().context);
    await channel.send(address, { text: 'plain', format: 'plain' });
    expect(harness.fake.calls.find((call) => call.method === 'sendMessage')?.params.reply_markup).toBeUndefined();
  });
});
