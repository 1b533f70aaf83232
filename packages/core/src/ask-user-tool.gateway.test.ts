import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { createLocalRuntime } from '@ngb/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';
import { ofType, waitForEvent } from './__tests__/wait-for-event';

const harnesses: Harness[] = [];
const directories: string[] = [];
afterEach(async () => {
  for (const harness of harnesses.splice(0)) await harness.close();
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const ask = (input: Record<string, unknown>) => ({ type: 'reply' as const, toolCalls: [{ name: 'ask_user', input }] });
const pizza = { question: 'Which pizza?', options: ['Margherita', 'Funghi', 'Diavola'] };
const toolResults = (h: Harness) =>
  h.llm.requests().flatMap((request) => {
    const last = request.messages.at(-1);
    return last?.role === 'tool' ? [last.content] : [];
  });

async function setUp(options: Parameters<typeof createHarness>[0], chat: { policy?: 'strict' | 'public' } = {}) {
  const h = await createHarness(options);
  harnesses.push(h);
  const agent = await h.addAgent('andy');
  await h.addChat('c1', { agent, policy: chat.policy });
  return { h, agent };
}

/** Posts a message without waiting for the gateway to rest (a turn may be waiting on a person). */
const post = (h: Harness, text: string, extra: { sender?: string; threadId?: string; id?: string } = {}) =>
  h.channel.inject({
    text,
    chat: { id: 'c1', isGroup: false },
    sender: { id: extra.sender ?? 'user-1', name: extra.sender ?? 'User One' },
    threadId: extra.threadId,
    ...(extra.id ? { platformMessageId: extra.id } : {}),
  });

const asked = (h: Harness) => waitForEvent(h.gateway, h.events, ofType('question.asked'));
const delivered = (h: Harness, count: number) => h.channel.waitForSends(count);

describe('ask_user', () => {
  it('on a channel without buttons: numbered options, and the number or the text answers; the turn resumes, no new turn', async () => {
    const { h } = await setUp({
      script: [ask(pizza), { type: 'reply', text: 'Funghi it is' }, ask(pizza), { type: 'reply', text: 'Diavola then' }],
    });
    await post(h, 'order dinner');
    const firstTurn = (await asked(h)).turnId;
    await delivered(h, 1);
    expect(h.channel.sent[0]?.message.text).toBe(
      'Which pizza?\n\n1. Margherita\n2. Funghi\n3. Diavola\n\nReply with the number or the text of your choice.',
    );
    expect(h.channel.sent[0]?.message.choices).toBeUndefined();
    await post(h, ' 2 ');
    await h.gateway.idle();
    expect(h.texts().at(-1)).toBe('Funghi it is');
    await post(h, 'again');
    await waitForEvent(
      h.gateway,
      h.events,
      ofType('question.asked', (event) => event.turnId !== firstTurn),
    );
    await post(h, 'diavola.');
    await h.gateway.idle();
    expect(h.texts().at(-1)).toBe('Diavola then');
    expect(toolResults(h)).toEqual(['answered: "Funghi"', 'answered: "Diavola"']);
    // The answers were no messages of the session: two turns, each with one model request per step.
    const turns = await h.store.turns.listForSession((await h.store.sessions.list())[0]?.id ?? '', { limit: 10 });
    expect(turns.map((turn) => turn.status)).toEqual(['succeeded', 'succeeded']);
    expect(h.llm.requests()).toHaveLength(4);
    expect(h.events.filter((event) => event.type === 'message.routed').map((event) => event.kind)).toEqual([
      'message',
      'message',
    ]);
  });

  it('on a channel with buttons: the options are buttons, a press answers once, a second press is dropped', async () => {
    const { h } = await setUp({
      channelCapabilities: { typing: true, buttons: true },
      script: [ask(pizza), { type: 'reply', text: 'Margherita it is' }],
    });
    await post(h, 'order dinner');
    const question = await asked(h);
    const [sent] = await delivered(h, 1);
    expect(sent?.message.text).toBe('Which pizza?');
    expect(sent?.message.choices?.map((choice) => choice.label)).toEqual(['Margherita', 'Funghi', 'Diavola']);
    const first = sent?.message.choices?.[0]?.id ?? '';
    expect(first).toBe(`ask:${question.questionId}:0`);
    await h.channel.inject({
      kind: 'choice',
      choice: first,
      text: 'Margherita',
      chat: { id: 'c1', isGroup: false },
      platformMessageId: 'press-1',
    });
    await h.gateway.idle();
    await h.channel.inject({
      kind: 'choice',
      choice: first,
      text: 'Margherita',
      chat: { id: 'c1', isGroup: false },
      platformMessageId: 'press-1',
    });
    expect(h.texts()).toEqual(['Which pizza?', 'Margherita it is']);
    expect(toolResults(h)).toEqual(['answered: "Margherita"']);
    expect(h.events.filter((event) => event.type === 'message.dropped').map((event) => event.reason)).toEqual([
      'question already answered',
    ]);
    // A press is no message: nothing of it is stored in the chat's history.
    const chat = await h.store.chats.getByPlatformId('fake', 'c1');
    expect((await h.store.messages.listForChat(chat?.id ?? '')).map((message) => message.text)).toEqual(['order dinner']);
  });

  it('times out on the clock: the default is taken, or no answer when there is none', async () => {
    const clock = createManualClock();
    const { h } = await setUp({
      clock,
      leaseMs: 3_600_000,
      script: [
        ask({ ...pizza, default: 'funghi', timeout_minutes: 5 }),
        { type: 'reply', text: 'went with the default' },
        ask({ ...pizza, timeout_minutes: 100_000 }),
        { type: 'reply', text: 'nobody answered' },
      ],
    });
    await post(h, 'order dinner');
    await asked(h);
    await clock.advance(5 * 60_000 - 1);
    expect(toolResults(h)).toEqual([]);
    await clock.advance(1);
    await h.gateway.idle();
    await post(h, 'again');
    const firstQuestion = (await asked(h)).questionId;
    await waitForEvent(
      h.gateway,
      h.events,
      ofType('question.asked', (event) => event.questionId !== firstQuestion),
    );
    // The agent asked for 100,000 minutes; a question waits at most a day.
    await clock.advance(24 * 60 * 60_000);
    await h.gateway.idle();
    expect(toolResults(h)).toEqual([
      'no answer: the question timed out; the default "Funghi" applies',
      'no answer: the question timed out and had no default',
    ]);
    expect(h.texts().slice(-1)).toEqual(['nobody answered']);
  });

  it('an answer from someone who may not talk in the chat is not an answer', async () => {
    const { h, agent } = await setUp(
      { channelCapabilities: { typing: true, buttons: true }, script: [ask(pizza), { type: 'reply', text: 'Diavola it is' }] },
      { policy: 'strict' },
    );
    await h.grant('user-1', 'admin', agent.id);
    await post(h, 'order dinner');
    const question = await asked(h);
    await delivered(h, 1);
    await post(h, '1', { sender: 'stranger' });
    await h.channel.inject({
      kind: 'choice',
      choice: `ask:${question.questionId}:1`,
      text: 'Funghi',
      chat: { id: 'c1', isGroup: false },
      sender: { id: 'stranger' },
      platformMessageId: 'press-s',
    });
    expect((await h.store.questions.get(question.questionId))?.status).toBe('pending');
    await h.channel.inject({
      kind: 'choice',
      choice: `ask:${question.questionId}:2`,
      text: 'Diavola',
      chat: { id: 'c1', isGroup: false },
      sender: { id: 'user-1' },
      platformMessageId: 'press-1',
    });
    await h.gateway.idle();
    expect(toolResults(h)).toEqual(['answered: "Diavola"']);
    expect((await h.store.questions.get(question.questionId))?.answeredBy).toBe('user-1');
    expect(h.events.filter((event) => event.type === 'message.dropped').map((event) => event.reason)).toEqual([
      'sender not allowed (strict chat)',
      'sender may not answer (chat rules)',
    ]);
  });

  it('a second question in the chat while one waits is refused; the first still resumes its turn', async () => {
    const h = await createHarness({
      script: [
        ask(pizza),
        ask({ question: 'Which drink?', options: ['Water', 'Wine'] }),
        { type: 'reply', text: 'I will ask about drinks later' },
        { type: 'reply', text: 'Margherita it is' },
      ],
    });
    harnesses.push(h);
    const agent = await h.addAgent('andy');
    await h.addChat('c1', { agent, sessionMode: 'per-thread' });
    await post(h, 'order dinner', { threadId: 't1' });
    await asked(h);
    await post(h, 'and drinks', { threadId: 't2' });
    await h.channel.waitForSends(2);
    expect(h.texts()[1]).toBe('I will ask about drinks later');
    await post(h, 'margherita', { threadId: 't1' });
    await h.gateway.idle();
    expect(toolResults(h)).toEqual([
      'Error: not asked: another question is waiting for an answer in this chat ("Which pizza?"); ask again once it is answered',
      'answered: "Margherita"',
    ]);
    expect(h.texts().at(-1)).toBe('Margherita it is');
  });

  it('waits without holding the sandbox: its claim is given back while the person thinks', async () => {
    const runtime = createLocalRuntime({ maxSandboxes: 1 });
    const { h } = await setUp({
      runtime,
      script: [
        { type: 'reply', toolCalls: [{ name: 'bash', input: { command: 'echo warm' } }] },
        ask(pizza),
        { type: 'reply', text: 'Funghi it is' },
      ],
    });
    await post(h, 'order dinner');
    await asked(h);
    await delivered(h, 1);
    const claims = async () => (await runtime.list()).reduce((sum, sandbox) => sum + sandbox.claims, 0);
    for (let tick = 0; tick < 100 && (await claims()) > 0; tick += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(await runtime.list()).toEqual([expect.objectContaining({ claims: 0, state: 'idle' })]);
    await post(h, 'funghi');
    await h.gateway.idle();
    expect(toolResults(h).at(-1)).toBe('answered: "Funghi"');
  });

  it('survives a restart: the re-run turn waits on the same question, not sent again, and resumes with the answer', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'ngb-ask-'));
    directories.push(directory);
    const storePath = join(directory, 'ngb.db');
    const first = await createHarness({ storePath, script: [ask(pizza)] });
    const agent = await first.addAgent('andy');
    await first.addChat('c1', { agent });
    await post(first, 'order dinner');
    const question = await asked(first);
    await first.channel.waitForSends(1);
    await first.gateway.stop({ graceMs: 0 });
    await first.close();

    const second = await createHarness({ storePath, script: [ask(pizza), { type: 'reply', text: 'Funghi it is' }] });
    harnesses.push(second);
    await waitForEvent(
      second.gateway,
      second.events,
      ofType('tool.start', (event) => event.name === 'ask_user'),
    );
    expect(second.channel.sent).toEqual([]);
    await post(second, '2');
    await second.gateway.idle();
    expect(second.texts()).toEqual(['Funghi it is']);
    expect(toolResults(second)).toEqual(['answered: "Funghi"']);
    expect((await second.store.questions.get(question.questionId))?.status).toBe('answered');
  });
});
