import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ComposedGateway, composeGateway, loadConfig } from '@ngb/host';
import { createFakeLlmServer, createFakeTelegramServer, type FakeLlmServer, type FakeTelegramServer } from '@ngb/testing';
import { afterEach, describe, expect, it } from 'vitest';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-ask-telegram-'));
let parts: { model?: FakeLlmServer; telegram?: FakeTelegramServer; composed?: ComposedGateway } = {};
afterEach(async () => {
  await parts.composed?.close(0);
  await parts.telegram?.close();
  await parts.model?.close();
  parts = {};
  rmSync(scratch, { recursive: true, force: true });
});

/** Resolves once `read()` is defined (polls the event loop; no timing is asserted). */
async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let attempt = 0; attempt < 1_000; attempt += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`[test] ${what}: not seen`);
}

describe('ask_user through the gateway and the Telegram channel', () => {
  it('the question comes as an inline keyboard; a press resumes the waiting turn with the choice', async () => {
    const model = await createFakeLlmServer({
      acceptAnyModel: true,
      script: [
        {
          type: 'reply',
          toolCalls: [{ name: 'ask_user', input: { question: 'Which pizza?', options: ['Margherita', 'Funghi'] } }],
        },
        { type: 'reply', text: 'Ordering the Funghi.' },
      ],
    });
    const telegram = await createFakeTelegramServer();
    parts = { model, telegram };
    const root = join(scratch, 'project');
    mkdirSync(join(root, 'agents', 'main'), { recursive: true });
    writeFileSync(
      join(root, 'ngb.config.json'),
      JSON.stringify({
        // The agent runs no tool of the sandbox here: the local runtime only answers the turn's tool list.
        runtime: { driver: 'local' },
        allowLocalRuntime: true,
        channels: { telegram: { enabled: true, apiRoot: telegram.apiRoot, pollTimeoutSeconds: 1 } },
      }),
    );
    const env = { OPENAI_BASE_URL: `${model.url}/v1`, TELEGRAM_BOT_TOKEN: telegram.token };
    const composed = await composeGateway({ loaded: loadConfig({ env, cwd: root }), env, command: 'test', debug: false });
    parts.composed = composed;
    const store = composed.project.store;
    const main = await store.agents.getByFolder('main');
    const chat = await store.chats.upsert({
      channel: 'telegram',
      platformChatId: '1001',
      name: 'Ann',
      isGroup: false,
      status: 'active',
      unknownSenderPolicy: 'public',
    });
    await store.wirings.add({ chatId: chat.id, agentId: main?.id ?? '', engage: 'always', sessionMode: 'shared' });

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
