import { createFakeTelegramServer, type FakeTelegramServer } from '@ngb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AskUserGateway, startAskUserGateway, until } from './__tests__/ask-user-gateway';

let parts: { telegram?: FakeTelegramServer; gateway?: AskUserGateway } = {};
afterEach(async () => {
  await parts.gateway?.close();
  await parts.telegram?.close();
  parts = {};
});

describe('ask_user through the gateway and the Telegram channel', () => {
  it('the question comes as an inline keyboard; a press resumes the waiting turn with the choice', async () => {
    const telegram = await createFakeTelegramServer();
    parts = { telegram };
    const gateway = await startAskUserGateway({
      channels: { telegram: { enabled: true, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 1 } },
      env: { TELEGRAM_BOT_TOKEN: telegram.token },
      chat: { channel: 'telegram', platformChatId: '1001', name: 'Ann' },
    });
    parts.gateway = gateway;
    const { model } = gateway;

    await telegram.injectMessage({ chatId: 1001, from: { id: 77, first_name: 'Ann' }, text: 'order dinner' });
    const question = await until(() => telegram.sent.find((sent) => sent.buttons !== undefined), 'the question');
    expect(question).toMatchObject({ chatId: '1001', text: 'Which pizza?' });
    expect(question.buttons?.map((button) => button.text)).toEqual(['Margherita', 'Funghi']);

    await telegram.pressButton({
      chatId: 1001,
      messageId: question.messageId ?? 0,
      data: question.buttons?.[1]?.data ?? '',
      from: { id: 77, first_name: 'Ann' },
    });
    const reply = await until(
      () => telegram.sent.find((sent) => sent.method === 'sendMessage' && sent.text === 'Ordering the Funghi.'),
      'the reply after the answer',
    );
    expect(reply.chatId).toBe('1001');
    expect(telegram.sent.filter((sent) => sent.method === 'answerCallbackQuery')).toHaveLength(1);
    const toolResult = model.requests().at(-1)?.messages.at(-1);
    expect(toolResult).toMatchObject({ role: 'tool', content: 'answered: "Funghi"' });
  });
});
