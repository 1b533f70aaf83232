import { openAIPrices } from '@ngb/llm-openai';
import { createPriceLookup, SandboxError } from '@ngb/plugin-sdk';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { createLocalRuntime } from '@ngb/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';
import { splitMessage } from './split-message';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const waitFor = async (check: () => boolean, what: string) => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 5_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('turns', () => {
  it('a message arriving during a turn joins it before the next model call: one turn, one sandbox', async () => {
    harness = await createHarness({
      script: [
        { type: 'reply', toolCalls: [{ name: 'bash', input: { command: 'sleep 0.3; echo step one' } }] },
        { type: 'reply', toolCalls: [{ name: 'bash', input: { command: 'echo step two' } }] },
        { type: 'reply', text: 'both handled' },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.channel.inject({ text: 'first question', chat: { id: 'c1', isGroup: false }, platformMessageId: 'f1' });
    await waitFor(() => harness?.events.some((event) => event.type === 'tool.start') ?? false, 'the first tool call');
    await harness.channel.inject({ text: 'and a follow-up', chat: { id: 'c1', isGroup: false }, platformMessageId: 'f2' });
    await harness.gateway.idle();
    expect(harness.events.filter((event) => event.type === 'turn.start')).toHaveLength(1);
    expect(harness.events.filter((event) => event.type === 'sandbox.acquired')).toHaveLength(1);
    const second = harness.llm.requests()[1]?.messages ?? [];
    expect(second.map((message) => message.role)).toEqual(['user', 'assistant', 'tool', 'user']);
    const followUp = second.at(-1);
    expect(followUp?.role === 'user' && followUp.content).toContain('and a follow-up');
    expect(second[2]).toMatchObject({ role: 'tool', content: expect.stringContaining('step one') });
    expect(harness.texts()).toEqual(['both handled']);
    const [session] = await harness.store.sessions.list();
    expect(await harness.store.inbox.listPending(session?.id ?? '')).toEqual([]);
  });

  it('runs at most 2 sessions at once: the third waits for a slot', async () => {
    harness = await createHarness({
      maxConcurrentTurns: 2,
      script: [1, 2, 3].map((index) => ({ type: 'reply' as const, text: `answer ${index}`, firstByteDelayMs: 150 })),
    });
    const agent = await harness.addAgent('andy');
    for (const chatId of ['a', 'b', 'c']) await harness.addChat(chatId, { agent });
    for (const chatId of ['a', 'b', 'c'])
      await harness.channel.inject({ text: `from ${chatId}`, chat: { id: chatId, isGroup: false } });
    expect(harness.gateway.queueState().running).toHaveLength(2);
    expect(harness.gateway.queueState().waiting).toHaveLength(1);
    await harness.gateway.idle();
    let running = 0;
    let peak = 0;
    for (const event of harness.events) {
      if (event.type === 'turn.start') peak = Math.max(peak, ++running);
      if (event.type === 'turn.end') running -= 1;
    }
    expect(peak).toBe(2);
    const order = harness.events
      .filter((event) => event.type === 'turn.start' || event.type === 'turn.end')
      .map((event) => event.type);
    expect(order.slice(0, 3)).toEqual(['turn.start', 'turn.start', 'turn.end']);
    expect(harness.texts().sort()).toEqual(['answer 1', 'answer 2', 'answer 3']);
  });

  it('re-runs a turn that failed for another reason than the model after 5, 10, 20, 40 and 80 s, then tells the chat', async () => {
    const clock = createManualClock();
    const local = createLocalRuntime({ maxSandboxes: 1 });
    harness = await createHarness({
      clock,
      // The lease is renewed every third of it: an hour keeps that timer behind the retry timers.
      leaseMs: 3_600_000,
      runtime: {
        ...local,
        acquire: async () => {
          throw new SandboxError('engine_unavailable', '[@ngb/runtime] the Docker engine is not running');
        },
      },
      script: Array.from({ length: 6 }, () => ({
        type: 'reply' as const,
        toolCalls: [{ name: 'bash', input: { command: 'echo hi' } }],
      })),
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    const delays: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const pending = clock.pendingDelays().filter((delay) => delay >= 1_000 && delay < 1_000_000);
      delays.push(pending[0] ?? -1);
      expect(harness.texts()).toEqual([]);
      await clock.advance(pending[0] ?? 0);
      await harness.gateway.idle();
    }
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    expect(harness.llm.requests()).toHaveLength(6);
    expect(harness.texts()).toEqual(['Sorry, I could not answer that (SandboxError). Please try again later.']);
    const [turn] = await harness.store.turns.listForSession((await harness.store.sessions.list())[0]?.id ?? '');
    expect(turn?.status).toBe('failed');
    expect(turn?.attempts).toBe(6);
  });

  it('a model error that cannot be retried fails the turn at once, without re-running it', async () => {
    const clock = createManualClock();
    harness = await createHarness({
      clock,
      leaseMs: 3_600_000,
      script: [
        { type: 'error', status: 400, message: 'bad request' },
        { type: 'reply', text: 'never' },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    await clock.advance(600_000);
    await harness.gateway.idle();
    expect(harness.llm.requests()).toHaveLength(1);
    expect(harness.texts()).toEqual(['Sorry, I could not answer that (LlmApiError). Please try again later.']);
  });

  it('retries delivery after the channel fails twice, keeping order', async () => {
    harness = await createHarness({
      deliveryRetryDelaysMs: [10, 20, 40],
      script: [
        { type: 'reply', text: 'one' },
        { type: 'reply', text: 'two' },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    harness.channel.failNextSends(2);
    await harness.say('first');
    await harness.say('second');
    await harness.channel.waitForSends(2);
    await harness.gateway.idle();
    expect(harness.texts()).toEqual(['one', 'two']);
    const failures = harness.events.filter((event) => event.type === 'delivery.failed');
    expect(failures.map((event) => event.type === 'delivery.failed' && event.permanent)).toEqual([false, false]);
    const sent = harness.events.filter((event) => event.type === 'delivery.sent');
    expect(sent).toHaveLength(2);
  });

  it('honours retryAfterMs from a 429 and gives up on a permanent error', async () => {
    const { ChannelApiError } = await import('@ngb/plugin-sdk');
    const clock = createManualClock();
    harness = await createHarness({
      clock,
      script: [
        { type: 'reply', text: 'rate limited' },
        { type: 'reply', text: 'refused' },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    harness.channel.failNextSends(1, new ChannelApiError('fake', 'slow down', { status: 429, retryAfterMs: 7_000 }));
    await harness.say('a');
    expect(clock.pendingDelays()).toContain(7_000);
    await clock.advance(7_000);
    await harness.gateway.idle();
    expect(harness.texts()).toEqual(['rate limited']);
    harness.channel.failNextSends(1, new ChannelApiError('fake', 'chat not found', { status: 400 }));
    await harness.say('b');
    expect(harness.texts()).toEqual(['rate limited']);
    expect(harness.events.some((event) => event.type === 'delivery.failed' && event.permanent)).toBe(true);
  });

  it('splits a long reply at the channel limit, in order', async () => {
    const long = Array.from({ length: 40 }, (_, index) => `Sentence number ${index} of the answer.`).join(' ');
    harness = await createHarness({ maxMessageLength: 100, script: [{ type: 'reply', text: long }] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('tell me a lot');
    expect(harness.texts()).toEqual(splitMessage(long, 100));
    expect(harness.texts().join('')).toBe(long);
    expect(harness.texts().every((text) => text.length <= 100)).toBe(true);
  });

  it('records token usage per turn, priced from the table by the model that answered, and keeps the transcript', async () => {
    harness = await createHarness({
      price: createPriceLookup(openAIPrices),
      script: [
        { type: 'reply', text: 'hi!', usage: { inputTokens: 1_000, outputTokens: 100 } },
        { type: 'reply', text: 'again', usage: { inputTokens: 2_000, outputTokens: 200, cacheReadTokens: 1_500 } },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.store.agents.update(agent.id, { model: { model: 'gpt-6.1-terra-2026-10-26' } });
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    await harness.say('hello again');
    const [session] = await harness.store.sessions.list();
    const turns = await harness.store.turns.listForSession(session?.id ?? '');
    expect(turns.map((turn) => [turn.inputTokens, turn.outputTokens, turn.model])).toEqual([
      [1_000, 100, 'gpt-6.1-terra-2026-10-26'],
      [2_000, 200, 'gpt-6.1-terra-2026-10-26'],
    ]);
    // gpt-6.1-terra: $1 input, $0.05 cache read, $5 output per million tokens.
    expect(turns[0]?.costUsd).toBeCloseTo((1_000 * 1 + 100 * 5) / 1_000_000, 10);
    expect(turns[1]?.costUsd).toBeCloseTo((500 * 1 + 1_500 * 0.05 + 200 * 5) / 1_000_000, 10);
    const end = harness.events.find((event) => event.type === 'turn.end');
    expect(end?.type === 'turn.end' && end.usage.costUsd).toBeCloseTo(0.0015, 10);
    const second = harness.llm.requests()[1]?.messages ?? [];
    expect(second.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
  });

  it('records an unknown cost, not $0, when no price covers the model that answered', async () => {
    harness = await createHarness({
      price: createPriceLookup(openAIPrices),
      script: [{ type: 'reply', text: 'hi!', usage: { inputTokens: 1_000, outputTokens: 100 } }],
    });
    const agent = await harness.addAgent('andy');
    await harness.store.agents.update(agent.id, { model: { model: 'llama3.1' } });
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    const [session] = await harness.store.sessions.list();
    const [turn] = await harness.store.turns.listForSession(session?.id ?? '');
    expect(turn).toMatchObject({ inputTokens: 1_000, costUsd: null, model: 'llama3.1' });
    const end = harness.events.find((event) => event.type === 'turn.end');
    expect(end?.type === 'turn.end' && end.usage.costUsd).toBeNull();
  });

  it('stops a runaway loop at the step limit with a clear message', async () => {
    harness = await createHarness({
      maxSteps: 3,
      script: Array.from({ length: 3 }, () => ({
        type: 'reply' as const,
        toolCalls: [{ name: 'send_message', input: { text: 'again' } }],
      })),
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('loop forever');
    expect(harness.texts()).toEqual(['again', 'again', 'again', 'Stopped after 3 steps without a final answer.']);
  });

  it('stops a turn that spends more than its token budget', async () => {
    const step = {
      type: 'reply' as const,
      toolCalls: [{ name: 'send_message', input: { text: 'step' } }],
      usage: { inputTokens: 80, outputTokens: 20 },
    };
    harness = await createHarness({ maxTurnTokens: 150, script: [step, step, step] });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('spend a lot');
    expect(harness.llm.requests()).toHaveLength(2);
    expect(harness.texts()).toEqual(['step', 'step', 'Stopped: this turn used more than 150 tokens.']);
  });

  it('shows a typing indicator in the chat while a turn runs, and stops it after', async () => {
    const clock = createManualClock();
    harness = await createHarness({
      clock,
      typingIntervalMs: 4_000,
      script: [{ type: 'reply', text: 'done', firstByteDelayMs: 200 }],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.channel.inject({ text: 'slow one', chat: { id: 'c1', isGroup: false } });
    await waitFor(() => (harness?.channel.typing.length ?? 0) > 0, 'typing');
    await clock.advance(4_000);
    expect(harness.channel.typing.length).toBe(2);
    await harness.gateway.idle();
    expect(harness.channel.typing.every((address) => address.chatId === 'c1')).toBe(true);
    expect(clock.pendingDelays()).not.toContain(4_000);
    expect(harness.texts()).toEqual(['done']);
  });
});
