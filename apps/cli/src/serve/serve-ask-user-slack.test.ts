import { createFakeSlackServer, type FakeSlackServer } from '@ngb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type AskUserGateway, startAskUserGateway, until } from './__tests__/ask-user-gateway';

let parts: { slack?: FakeSlackServer; gateway?: AskUserGateway } = {};
afterEach(async () => {
  await parts.gateway?.close();
  await parts.slack?.close();
  parts = {};
});

describe('ask_user through the gateway and the Slack channel', () => {
  it('the question comes as Block Kit buttons; a press resumes the waiting turn with the choice, a second press does nothing', async () => {
    const slack = await createFakeSlackServer({ users: [{ id: 'U0ANN', name: 'ann', displayName: 'Ann' }] });
    parts = { slack };
    const gateway = await startAskUserGateway({
      channels: { slack: { enabled: true, apiUrl: slack.apiUrl, streaming: false } },
      env: { SLACK_BOT_TOKEN: slack.botToken, SLACK_APP_TOKEN: slack.appToken },
      chat: { channel: 'slack', platformChatId: 'D0ANN', name: 'Ann' },
    });
    parts.gateway = gateway;
    const { model } = gateway;
    await until(() => (slack.openConnections() === 1 ? true : undefined), 'the Socket Mode connection');

    slack.postMessage({ channel: 'D0ANN', user: 'U0ANN', text: 'order dinner' });
    const question = await until(() => slack.sent().messages.find((sent) => sent.buttons !== undefined), 'the question');
    expect(question).toMatchObject({ channel: 'D0ANN', text: 'Which pizza?' });
    expect(question.buttons?.map((button) => button.text)).toEqual(['Margherita', 'Funghi']);

    const funghi = question.buttons?.[1]?.value ?? '';
    // A second person's press, made while the buttons still showed, arrives after the answer.
    const laterPress = slack.pressPayload({
      channel: 'D0ANN',
      ts: question.ts,
      value: question.buttons?.[0]?.value ?? '',
      user: 'U0ANN',
    });
    const { envelope } = slack.pressButton({ channel: 'D0ANN', ts: question.ts, value: funghi, user: 'U0ANN' });
    await slack.waitForAck(envelope.envelopeId);
    const reply = await until(
      () => slack.sent().messages.find((sent) => sent.text === 'Ordering the Funghi.'),
      'the reply after the answer',
    );
    expect(reply.channel).toBe('D0ANN');
    const toolResult = model.requests().at(-1)?.messages.at(-1);
    expect(toolResult).toMatchObject({ role: 'tool', content: 'answered: "Funghi"' });
    // The answered question shows the choice and no buttons any more.
    const update = await until(
      () => slack.sent().edits.find((edit) => edit.ts === question.ts),
      'the update of the answered question',
    );
    expect(update.buttons).toBeUndefined();

    // The same press delivered again (Slack's redelivery), and another press of the answered question: nothing happens.
    const requestsBefore = model.requests().length;
    const sentBefore = slack.sent();
    slack.redeliver(envelope.envelopeId);
    await slack.waitForAck(envelope.envelopeId);
    const late = slack.deliverInteraction(laterPress);
    await slack.waitForAck(late.envelopeId);
    expect(model.requests()).toHaveLength(requestsBefore);
    expect(slack.sent()).toEqual(sentBefore);
    const pending = await gateway.store.questions.listPending(gateway.chat.id);
    expect(pending).toEqual([]);
  });
});
