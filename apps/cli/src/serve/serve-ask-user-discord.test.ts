import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ComposedGateway, composeGateway, loadConfig } from '@ngb/host';
import { createFakeDiscordServer, createFakeLlmServer, type FakeDiscordServer, type FakeLlmServer } from '@ngb/testing';
import { afterEach, describe, expect, it } from 'vitest';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-ask-discord-'));
let parts: { model?: FakeLlmServer; discord?: FakeDiscordServer; composed?: ComposedGateway } = {};
afterEach(async () => {
  await parts.composed?.close(0);
  await parts.discord?.close();
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

describe('ask_user through the gateway and the Discord channel', () => {
  it('the question comes as buttons; a press resumes the waiting turn, the message loses its buttons, a second press does nothing', async () => {
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
    const discord = await createFakeDiscordServer();
    parts = { model, discord };
    const root = join(scratch, 'project');
    mkdirSync(join(root, 'agents', 'main'), { recursive: true });
    writeFileSync(
      join(root, 'ngb.config.json'),
      JSON.stringify({
        // The agent runs no tool of the sandbox here: the local runtime only answers the turn's tool list.
        runtime: { driver: 'local' },
        allowLocalRuntime: true,
        channels: { discord: { enabled: true, apiUrl: discord.apiUrl, streaming: false } },
      }),
    );
    const env = { OPENAI_BASE_URL: `${model.url}/v1`, DISCORD_BOT_TOKEN: discord.token };
    const composed = await composeGateway({ loaded: loadConfig({ env, cwd: root }), env, command: 'test', debug: false });
    parts.composed = composed;
    const store = composed.project.store;
    const main = await store.agents.getByFolder('main');
    const chat = await store.chats.upsert({
      channel: 'discord',
      platformChatId: '1001',
      name: 'Ann',
      isGroup: false,
      status: 'active',
      unknownSenderPolicy: 'public',
    });
    await store.wirings.add({ chatId: chat.id, agentId: main?.id ?? '', engage: 'always', sessionMode: 'shared' });
    await until(() => (discord.attachedConnections() === 1 ? true : undefined), 'the gateway session');

    const ann = { id: '77', username: 'ann' };
    discord.injectMessage({ channelId: '1001', author: ann, content: 'order dinner' });
    const question = await until(() => discord.sent.find((sent) => sent.buttons !== undefined), 'the question');
    expect(question.content).toContain('Which pizza?');
    expect(question.buttons?.map((button) => button.label)).toEqual(['Margherita', 'Funghi']);

    // Two presses at once (two people, or a double click): one answers, the other is answered to Discord only.
    const first = discord.pressButton({ messageId: question.id, customId: question.buttons?.[1]?.customId ?? '', user: ann });
    const second = discord.pressButton({ messageId: question.id, customId: question.buttons?.[0]?.customId ?? '', user: ann });
    const reply = await until(
      () => discord.sent.find((sent) => sent.content.includes('Ordering the Funghi.')),
      'the reply after the answer',
    );
    expect(reply.channelId).toBe('1001');
    const callbacks = () => discord.interactions.map((interaction) => interaction.callbacks.map((callback) => callback.type));
    await until(() => (callbacks().every((types) => types.length === 1) ? true : undefined), 'both callbacks');
    expect(discord.interactions.map((interaction) => interaction.id)).toEqual([first.id, second.id]);
    expect(callbacks().flat().sort()).toEqual([6, 7]);
    const winner = discord.interactions.find((interaction) => interaction.callbacks[0]?.type === 7);
    expect(winner?.callbacks[0]?.data).toMatchObject({ components: [] });
    const chosen = question.buttons?.find((button) => button.customId === winner?.customId)?.label;
    const toolResult = model.requests().at(-1)?.messages.at(-1);
    expect(toolResult).toMatchObject({ role: 'tool', content: `answered: "${chosen}"` });
    expect(model.requests()).toHaveLength(2);
    expect(discord.sent.filter((sent) => sent.content.includes('Ordering'))).toHaveLength(1);
  });
});
