import { type ChannelContext, canShowButtons, type InboundMessage } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingLogger } from '@ngb/plugin-sdk/testing';
import { createFakeSlackServer, type FakeSlackServer } from '@ngb/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from './__tests__/slack-test-context';
import { createSlackChannel, type SlackChannel } from './slack-channel';

const choices = [
  { id: 'ask:q-1:0', label: 'Margherita' },
  { id: 'ask:q-1:1', label: 'Funghi' },
];

let fake: FakeSlackServer;
let channel: SlackChannel | undefined;

/** A context whose `receive` answers every press as the core does when it answered a question. */
function answeringContext() {
  const received: InboundMessage[] = [];
  const context: ChannelContext = {
    async receive(message) {
      received.push(message);
      return { messageId: 'question-1', routed: [{ agentId: 'a', sessionId: 's', kind: 'answer' }] };
    },
    logger: createRecordingLogger(),
    setStatus: () => undefined,
  };
  return { context, received };
}

beforeEach(async () => {
  fake = await createFakeSlackServer({ users: [{ id: 'U77', name: 'ann', displayName: 'Ann' }] });
});
afterEach(async () => {
  await channel?.stop();
  channel = undefined;
  await fake.close();
});

describe('Slack buttons over Socket Mode', () => {
  const start = async () => {
    channel = createSlackChannel({
      botToken: fake.botToken,
      appToken: fake.appToken,
      apiUrl: fake.apiUrl,
      clock: createManualClock(),
    });
    const recording = answeringContext();
    await channel.start(recording.context);
    return recording;
  };

  it('sends choices as Block Kit buttons: the id in action_id and value, the text in a section and in `text`', async () => {
    await start();
    expect(canShowButtons(channel as SlackChannel)).toBe(true);
    await channel?.send({ channel: 'slack', chatId: 'C1' }, { text: 'Which *pizza*?', format: 'markdown', choices });
    const call = fake.calls('chat.postMessage')[0];
    expect(call?.params.text).toBe('Which _pizza_?');
    expect(call?.params.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Which _pizza_?' } },
      {
        type: 'actions',
        block_id: 'ngb-choices-0',
        elements: [
          {
            type: 'button',
            action_id: 'ask:q-1:0',
            value: 'ask:q-1:0',
            text: { type: 'plain_text', text: 'Margherita', emoji: true },
          },
          {
            type: 'button',
            action_id: 'ask:q-1:1',
            value: 'ask:q-1:1',
            text: { type: 'plain_text', text: 'Funghi', emoji: true },
          },
        ],
      },
    ]);
    await channel?.send({ channel: 'slack', chatId: 'C1' }, { text: 'no buttons', format: 'plain' });
    expect(fake.calls('chat.postMessage')[1]?.params.blocks).toBeUndefined();
  });

  it('a press is a choice from the presser in the thread, acked, taken once when delivered twice; the message then shows the answer', async () => {
    const recording = await start();
    const receipt = await channel?.send(
      { channel: 'slack', chatId: 'C1', threadId: '1700000000.000100' },
      { text: 'Which pizza?', format: 'plain', choices },
    );
    const ts = receipt?.platformMessageId ?? '';
    const { payload, envelope } = fake.pressButton({ channel: 'C1', ts, value: 'ask:q-1:1', user: 'U77' });
    await fake.waitForAck(envelope.envelopeId);
    expect(recording.received).toEqual([
      expect.objectContaining({
        kind: 'choice',
        choice: 'ask:q-1:1',
        text: 'Funghi',
        chat: { id: 'C1', isGroup: true },
        threadId: '1700000000.000100',
        sender: { id: 'U77', name: 'ann', isBot: false },
        platformMessageId: `press:${String(payload.trigger_id)}`,
      }),
    ]);
    const update = await waitFor(() => fake.sent().edits[0], 'the update of the answered message');
    expect(update).toMatchObject({ channel: 'C1', ts });
    expect(update.buttons).toBeUndefined();
    expect(update.rawText).toBe('Which pizza?');
    const blocks = fake.calls('chat.update')[0]?.params.blocks as Array<{ type: string }>;
    expect(blocks.map((block) => block.type)).toEqual(['section', 'context']);
    expect(JSON.stringify(blocks[1])).toContain('Funghi');

    fake.redeliver(envelope.envelopeId);
    await fake.waitForAck(envelope.envelopeId);
    expect(recording.received).toHaveLength(1);
    expect(fake.calls('chat.update')).toHaveLength(1);
  });
});

describe('Slack buttons over the Events API (Interactivity Request URL)', () => {
  const clock = createManualClock(Date.now());
  const start = async () => {
    channel = createSlackChannel({
      botToken: fake.botToken,
      signingSecret: fake.signingSecret,
      mode: 'events',
      apiUrl: fake.apiUrl,
      clock,
    });
    const recording = answeringContext();
    await channel.start(recording.context);
    const receipt = await channel.send({ channel: 'slack', chatId: 'D1' }, { text: 'Which pizza?', format: 'plain', choices });
    return { recording, ts: receipt.platformMessageId };
  };
  const handle = (request: Request) => {
    if (!channel?.handleWebhook) throw new Error('no webhook in events mode');
    return channel.handleWebhook(request);
  };

  it('takes a signed `payload=` press once, answering 200 after receive', async () => {
    const { recording, ts } = await start();
    const payload = fake.pressPayload({ channel: 'D1', ts, value: 'ask:q-1:0', user: 'U77' });
    expect((await handle(fake.interactionRequest(payload))).status).toBe(200);
    expect((await handle(fake.interactionRequest(payload))).status).toBe(200);
    expect(recording.received).toEqual([
      expect.objectContaining({
        kind: 'choice',
        choice: 'ask:q-1:0',
        chat: { id: 'D1', isGroup: false },
        sender: expect.objectContaining({ id: 'U77' }),
      }),
    ]);
    await waitFor(() => fake.sent().edits[0], 'the update of the answered message');
  });

  it('refuses a press with a wrong signature or a stale timestamp (401), without calling receive', async () => {
    const { recording, ts } = await start();
    const payload = fake.pressPayload({ channel: 'D1', ts, value: 'ask:q-1:0', user: 'U77' });
    expect((await handle(fake.interactionRequest(payload, { signingSecret: 'not-the-secret' }))).status).toBe(401);
    const stale = Math.floor(clock.now() / 1000) - 301;
    expect((await handle(fake.interactionRequest(payload, { timestampSeconds: stale }))).status).toBe(401);
    expect(recording.received).toEqual([]);
  });

  it('answers 400 to a payload that is not JSON', async () => {
    await start();
    const request = fake.interactionRequest('x');
    const forged = new Request(request.url, {
      method: 'POST',
      headers: request.headers,
      body: 'payload=%7Bnot-json',
    });
    // The signature covers the body: re-sign the broken body the way Slack would.
    const timestamp = Math.floor(clock.now() / 1000);
    const { slackSignature } = await import('@ngb/testing');
    forged.headers.set('x-slack-request-timestamp', String(timestamp));
    forged.headers.set('x-slack-signature', slackSignature(fake.signingSecret, timestamp, 'payload=%7Bnot-json'));
    expect((await handle(forged)).status).toBe(400);
  });
});
