import { type ChannelContext, canShowButtons, type InboundMessage, silentLogger } from '@ngb/plugin-sdk';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWebChannel, type WebChannel } from './web-channel';
import { harnessSecret, visitorCookie } from './web-channel-harness';
import type { WebChannelOptions } from './web-options';

const choices = [
  { id: 'ask:q-1:0', label: 'Margherita' },
  { id: 'ask:q-1:1', label: 'Funghi' },
];
const ann = { cookie: visitorCookie('ann') };
const bob = { cookie: visitorCookie('bob') };

function press(body: unknown, headers: Record<string, string>, contentType = 'application/json'): Request {
  return new Request('http://localhost/chat/api/choices', {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function codeOf(response: Response): Promise<string> {
  return ((await response.json()) as { error: { code: string } }).error.code;
}

describe('web chat buttons: POST /chat/api/choices', () => {
  let channel: WebChannel;
  let received: InboundMessage[];
  let answers: boolean;

  const create = async (options: Partial<WebChannelOptions> = {}) => {
    channel = createWebChannel({ secret: harnessSecret, clock: createManualClock(), ...options });
    const context: ChannelContext = {
      async receive(message) {
        received.push(message);
        return answers
          ? { messageId: 'q-1', routed: [{ agentId: 'a', sessionId: 's', kind: 'answer' }] }
          : { dropped: 'no question' };
      },
      logger: silentLogger,
      setStatus: () => undefined,
    };
    await channel.start(context);
  };
  const ask = () => channel.send({ channel: 'web', chatId: 'ann' }, { text: 'Which pizza?', format: 'plain', choices });
  const history = async (headers = ann) =>
    (await (await channel.handleRequest(new Request('http://localhost/chat/api/history', { headers }))).json()) as {
      messages: Array<{ id: string; choices?: unknown; chosen?: string }>;
      lastEventId: number;
    };

  beforeEach(async () => {
    received = [];
    answers = true;
    await create();
  });
  afterEach(() => channel.stop());

  it('keeps the choices with the message; a press is a choice from the visitor, and the buttons are then answered for good', async () => {
    expect(canShowButtons(channel)).toBe(true);
    const { platformMessageId } = await ask();
    expect((await history()).messages).toEqual([expect.objectContaining({ id: platformMessageId, choices })]);
    const response = await channel.handleRequest(press({ messageId: platformMessageId, choiceId: 'ask:q-1:1' }, ann));
    expect(response.status).toBe(202);
    expect(received).toEqual([
      expect.objectContaining({
        kind: 'choice',
        channel: 'web',
        choice: 'ask:q-1:1',
        text: 'Funghi',
        chat: expect.objectContaining({ id: 'ann', isGroup: false }),
        sender: expect.objectContaining({ id: 'ann', isBot: false }),
      }),
    ]);
    const after = await history();
    expect(after.messages[0]?.chosen).toBe('ask:q-1:1');
    // The page learns it on its event stream: message, then answered.
    expect(after.lastEventId).toBe(2);
    const again = await channel.handleRequest(press({ messageId: platformMessageId, choiceId: 'ask:q-1:0' }, ann));
    expect(again.status).toBe(409);
    expect(await codeOf(again)).toBe('already-answered');
    expect(received).toHaveLength(1);
  });

  it('refuses a choice of another conversation, of no message, or that the message does not offer (404), without receive', async () => {
    const { platformMessageId } = await ask();
    for (const [body, headers] of [
      [{ messageId: platformMessageId, choiceId: 'ask:q-1:0' }, bob],
      [{ messageId: 'no-such-message', choiceId: 'ask:q-1:0' }, ann],
      [{ messageId: platformMessageId, choiceId: 'ask:q-1:7' }, ann],
    ] as const) {
      const response = await channel.handleRequest(press(body, headers));
      expect(response.status).toBe(404);
      expect(await codeOf(response)).toBe('unknown-choice');
    }
    expect(received).toEqual([]);
  });

  it('refuses bad requests as it refuses bad messages: 400, 415, 413, and 429 past the rate limit', async () => {
    await channel.stop();
    await create({ rateLimit: { messages: 4, perSeconds: 60 }, maxBodyBytes: 200 });
    const { platformMessageId } = await ask();
    expect((await channel.handleRequest(press('{"messageId":', ann))).status).toBe(400);
    expect((await channel.handleRequest(press({ messageId: platformMessageId }, ann))).status).toBe(400);
    expect((await channel.handleRequest(press({ messageId: platformMessageId, choiceId: 'x' }, ann, 'text/plain'))).status).toBe(
      415,
    );
    expect((await channel.handleRequest(press({ messageId: 'm'.repeat(300), choiceId: 'x' }, ann))).status).toBe(413);
    const limited = await channel.handleRequest(press({ messageId: platformMessageId, choiceId: 'ask:q-1:0' }, ann));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).not.toBeNull();
    expect(received).toEqual([]);
  });

  it('leaves the buttons live when the core took the press as no answer (409 not-taken)', async () => {
    answers = false;
    const { platformMessageId } = await ask();
    const response = await channel.handleRequest(press({ messageId: platformMessageId, choiceId: 'ask:q-1:0' }, ann));
    expect(response.status).toBe(409);
    expect(await codeOf(response)).toBe('not-taken');
    expect((await history()).messages[0]?.chosen).toBeUndefined();
  });
});
