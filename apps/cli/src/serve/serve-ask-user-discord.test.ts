import { createFakeDiscordServer, type FakeDiscordServer } from '@ngb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AskUserGateway, startAskUserGateway, until } from './__tests__/ask-user-gateway';

let parts: { discord?: FakeDiscordServer; gateway?: AskUserGateway } = {};
afterEach(async () => {
  await parts.gateway?.close();
  await parts.discord?.close();
  parts = {};
});

describe('ask_user through the gateway and the Discord channel', () => {
  it('the question comes as buttons; a press resumes the waiting turn, the message loses its buttons, a second press does nothing', async () => {
    const discord = await createFakeDiscordServer();
    parts = { discord };
    const gateway = await startAskUserGateway({
      channels: { discord: { enabled: true, apiUrl: discord.apiUrl, streaming: false } },
      env: { DISCORD_BOT_TOKEN: discord.token },
      chat: { channel: 'discord', platformChatId: '1001', name: 'Ann' },
    });
    parts.gateway = gateway;
    const { model } = gateway;
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
