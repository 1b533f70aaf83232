import { canShowButtons, type ReceiveResult } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { type DiscordTestRun, eventually, startDiscordTestRun } from './testing/discord-test-run';

const choices = [
  { id: 'ask:q-1:0', label: 'Margherita' },
  { id: 'ask:q-1:1', label: 'Funghi' },
];
const ann = { id: '77', username: 'ann' };

describe('Discord buttons (message components and interactions)', () => {
  let run: DiscordTestRun;
  afterEach(async () => run.close());

  /** A run whose `receive` answers presses as the core does when `answered`, else drops them. */
  const start = async (answered: boolean) => {
    run = await startDiscordTestRun();
    const received = run.received;
    run.context.receive = async (message): Promise<ReceiveResult> => {
      received.push(message);
      return answered ? { messageId: 'q-1', routed: [{ agentId: 'a', sessionId: 's', kind: 'answer' }] } : { dropped: 'test' };
    };
    return run;
  };

  it('sends choices as action rows of buttons: custom_id the choice id, 5 a row, labels capped at 80', async () => {
    await start(true);
    expect(canShowButtons(run.channel)).toBe(true);
    const many = Array.from({ length: 7 }, (_, index) => ({
      id: `ask:q-2:${index}`,
      label: index === 6 ? 'x'.repeat(90) : `Option ${index}`,
    }));
    await run.channel.send({ channel: 'discord', chatId: '2002' }, { text: 'Pick one', format: 'plain', choices: many });
    const buttons = run.fake.sent[0]?.buttons ?? [];
    expect(buttons.map((button) => button.customId)).toEqual(many.map((choice) => choice.id));
    expect(buttons[6]?.label).toBe(`${'x'.repeat(79)}…`);
    const rows = run.fake.sent[0]?.components as Array<{ type: number; components: Array<{ type: number; style: number }> }>;
    expect(rows.map((row) => [row.type, row.components.length])).toEqual([
      [1, 5],
      [1, 2],
    ]);
    expect(rows[0]?.components[0]).toMatchObject({ type: 2, style: 2 });
    await expect(
      run.channel.send(
        { channel: 'discord', chatId: '2002' },
        {
          text: 'too many',
          format: 'plain',
          choices: Array.from({ length: 26 }, (_, index) => ({ id: `c${index}`, label: `${index}` })),
        },
      ),
    ).rejects.toMatchObject({ status: 400, retryable: false });
    await run.channel.send({ channel: 'discord', chatId: '2002' }, { text: 'no buttons', format: 'plain' });
    expect(run.fake.sent.at(-1)?.buttons).toBeUndefined();
  });

  it('a press in a guild thread is a choice from the presser; answered, the message shows the answer without buttons; taken once', async () => {
    await start(true);
    const receipt = await run.channel.send(
      { channel: 'discord', chatId: '2002', threadId: '4004' },
      { text: 'Which pizza?', format: 'plain', choices },
    );
    const pressed = run.fake.pressButton({
      messageId: receipt.platformMessageId,
      customId: 'ask:q-1:1',
      user: ann,
      nick: 'Annie',
    });
    const interaction = await eventually(
      () => run.fake.interactions.find((candidate) => candidate.id === pressed.id && candidate.callbacks.length > 0),
      'the interaction callback',
    );
    // The bot's own message comes back over the gateway too; only the press is a choice.
    const choicesReceived = () => run.received.filter((message) => message.kind === 'choice');
    expect(choicesReceived()).toEqual([
      expect.objectContaining({
        kind: 'choice',
        choice: 'ask:q-1:1',
        text: 'Funghi',
        chat: { id: '2002', isGroup: true },
        threadId: '4004',
        sender: { id: '77', name: 'Annie', isBot: false },
        platformMessageId: `interaction:${pressed.id}`,
      }),
    ]);
    expect(interaction.callbacks).toEqual([
      { type: 7, data: { content: 'Which pizza?\n\n✅ Funghi', components: [], allowed_mentions: { parse: [] } } },
    ]);
    // The same interaction delivered again is not taken twice.
    run.fake.redispatch(pressed.payload);
    run.fake.injectMessage({ channelId: '2002', author: { id: '5', username: 'marker' }, content: 'marker' });
    await eventually(() => run.received.some((message) => message.text === 'marker'), 'the marker');
    expect(choicesReceived()).toHaveLength(1);
    // The buttons are gone: the fake refuses a press of a button the message no longer shows.
    expect(() => run.fake.pressButton({ messageId: receipt.platformMessageId, customId: 'ask:q-1:0', user: ann })).toThrow(
      /no button/,
    );
  });

  it('a press the core did not take as an answer (a DM here) is still answered within the deadline, leaving the message as it was', async () => {
    await start(false);
    const receipt = await run.channel.send(
      { channel: 'discord', chatId: '1001' },
      { text: 'Which pizza?', format: 'plain', choices },
    );
    const pressed = run.fake.pressButton({ messageId: receipt.platformMessageId, customId: 'ask:q-1:0', user: ann });
    const interaction = await eventually(
      () => run.fake.interactions.find((candidate) => candidate.id === pressed.id && candidate.callbacks.length > 0),
      'the interaction callback',
    );
    expect(interaction.callbacks).toEqual([{ type: 6 }]);
    expect(run.received.find((message) => message.kind === 'choice')).toMatchObject({
      kind: 'choice',
      chat: { id: '1001', isGroup: false },
      sender: { id: '77', name: 'ann' },
    });
  });
});
