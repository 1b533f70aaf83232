import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ComposedGateway, composeGateway, loadConfig } from '@ngb/host';
import { createFakeLlmServer, createFakeSlackServer, type FakeLlmServer, type FakeSlackServer } from '@ngb/testing';
import { afterEach, describe, expect, it } from 'vitest';

const scratch = mkdtempSync(join(tmpdir(), 'ngb-ask-slack-'));
let parts: { model?: FakeLlmServer; slack?: FakeSlackServer; composed?: ComposedGateway } = {};
afterEach(async () => {
  await parts.composed?.close(0);
  await parts.slack?.close();
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

describe('ask_user through the gateway and the Slack channel', () => {
  it('the question comes as Block Kit buttons; a press resumes the waiting turn with the choice, a second press does nothing', async () => {
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
    const slack = await createFakeSlackServer({ users: [{ id: 'U0ANN', name: 'ann', displayName: 'Ann' }] });
    parts = { model, slack };
    const root = join(scratch, 'project');
    mkdirSync(join(root, 'agents', 'main'), { recursive: true });
    writeFileSync(
      join(root, 'ngb.config.json'),
      JSON.stringify({
        // The agent runs no tool of the sandbox here: the local runtime only answers the turn's tool list.
        runtime: { driver: 'local' },
        allowLocalRuntime: true,
        channels: { slack: { enabled: true, apiUrl: slack.apiUrl, streaming: false } },
      }),
    );
    const env = { OPENAI_BASE_URL: `${model.url}/v1`, SLACK_BOT_TOKEN: slack.botToken, SLACK_APP_TOKEN: slack.appToken };
    const composed = await composeGateway({ loaded: loadConfig({ env, cwd: root }), env, command: 'test', debug: false });
    parts.composed = composed;
    const store = composed.project.store;
    const main = await store.agents.getByFolder('main');
    const chat = await store.chats.upsert({
      channel: 'slack',
      platformChatId: 'D0ANN',
      name: 'Ann',
      isGroup: false,
      status: 'active',
      unknownSenderPolicy: 'public',
    });
    await store.wirings.add({ chatId: chat.id, agentId: main?.id ?? '', engage: 'always', sessionMode: 'shared' });
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
    const pending = await composed.project.store.questions.listPending(chat.id);
    expect(pending).toEqual([]);
  });
});
