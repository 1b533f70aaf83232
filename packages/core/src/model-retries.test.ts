import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createManualClock, type ManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// The lease is renewed every third of it and the typing indicator every interval: an hour keeps
// those timers behind the retry timers.
const leaseMs = 3_600_000;
const typingIntervalMs = 3_600_000;
const retryWaits = (clock: ManualClock) => clock.pendingDelays().filter((delay) => delay < leaseMs / 3);

/** Waits (in real time, the model server being real) until `check` holds. */
async function until(check: () => boolean, what: string) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Posts a message; the turn keeps running while it waits for a retry, so the gateway is not idle. */
async function ask(current: Harness) {
  await current.channel.inject({ text: 'hello', chat: { id: 'c1', isGroup: false } });
}

async function turnOf(current: Harness) {
  const [session] = await current.store.sessions.list();
  const [turn] = await current.store.turns.listForSession(session?.id ?? '');
  return turn;
}

describe('a failing model call is retried in place by the agent loop, on one schedule', () => {
  it('always 529: exactly 1 + 5 requests after 5, 10, 20, 40 and 80 s, then the chat is told once', async () => {
    const clock = createManualClock();
    harness = await createHarness({
      clock,
      leaseMs,
      typingIntervalMs,
      script: Array.from({ length: 12 }, () => ({ type: 'error' as const, status: 529, message: 'overloaded' })),
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await ask(harness);
    const waits: number[] = [];
    for (let retry = 0; retry < 5; retry += 1) {
      await until(() => retryWaits(clock).length > 0, `retry ${retry + 1} to be scheduled`);
      expect(harness.llm.requests()).toHaveLength(retry + 1);
      expect(harness.texts()).toEqual([]);
      const [next] = retryWaits(clock);
      waits.push(next ?? -1);
      await clock.advance(next ?? 0);
    }
    await harness.gateway.idle();
    expect(waits).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    expect(harness.llm.requests()).toHaveLength(6);
    expect(harness.texts()).toEqual(['Sorry, I could not answer that (LlmApiError). Please try again later.']);
    // The turn is not run again on the turn-level schedule: no more requests, however long we wait.
    await clock.advance(600_000);
    await harness.gateway.idle();
    expect(harness.llm.requests()).toHaveLength(6);
    expect(harness.events.filter((event) => event.type === 'turn.start')).toHaveLength(1);
    expect(harness.texts()).toHaveLength(1);
    const turn = await turnOf(harness);
    expect(turn?.status).toBe('failed');
    expect(turn?.attempts).toBe(1);
  });

  it('follows its own schedule when one is given: a terminal conversation retries a call with no turn re-runs', async () => {
    const clock = createManualClock();
    harness = await createHarness({
      clock,
      leaseMs,
      typingIntervalMs,
      retryDelaysMs: [],
      modelRetryDelaysMs: [1_000, 2_000],
      script: Array.from({ length: 6 }, () => ({ type: 'error' as const, status: 529, message: 'overloaded' })),
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await ask(harness);
    const waits: number[] = [];
    for (let retry = 0; retry < 2; retry += 1) {
      await until(() => retryWaits(clock).length > 0, `retry ${retry + 1} to be scheduled`);
      const [next] = retryWaits(clock);
      waits.push(next ?? -1);
      await clock.advance(next ?? 0);
    }
    await harness.gateway.idle();
    expect(waits).toEqual([1_000, 2_000]);
    expect(harness.llm.requests()).toHaveLength(3);
    expect(harness.texts()).toHaveLength(1);
  });

  it('waits a 429 retry-after that is longer than the schedule', async () => {
    const clock = createManualClock();
    harness = await createHarness({
      clock,
      leaseMs,
      typingIntervalMs,
      script: [
        { type: 'error', status: 429, retryAfterMs: 30_000 },
        { type: 'reply', text: 'fine now' },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await ask(harness);
    await until(() => retryWaits(clock).length > 0, 'the retry to be scheduled');
    expect(retryWaits(clock)).toEqual([30_000]);
    await clock.advance(29_999);
    expect(harness.llm.requests()).toHaveLength(1);
    await clock.advance(1);
    await harness.gateway.idle();
    expect(harness.llm.requests()).toHaveLength(2);
    expect(harness.texts()).toEqual(['fine now']);
  });

  it('a success on the 3rd try continues the turn: the tool call made before it ran once', async () => {
    const clock = createManualClock();
    harness = await createHarness({
      clock,
      leaseMs,
      typingIntervalMs,
      script: [
        { type: 'reply', toolCalls: [{ name: 'bash', input: { command: 'echo ran >> side-effect.txt' } }] },
        { type: 'error', status: 503 },
        { type: 'error', status: 500 },
        { type: 'reply', text: 'done' },
      ],
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await ask(harness);
    await until(() => retryWaits(clock)[0] === 5_000, 'the first retry');
    await clock.advance(5_000);
    await until(() => retryWaits(clock)[0] === 10_000, 'the second retry');
    await clock.advance(10_000);
    await harness.gateway.idle();
    expect(harness.texts()).toEqual(['done']);
    expect(readFileSync(join(harness.directory, 'agents', 'andy', 'side-effect.txt'), 'utf8')).toBe('ran\n');
    expect(harness.events.filter((event) => event.type === 'tool.start')).toHaveLength(1);
    expect(harness.events.filter((event) => event.type === 'turn.start')).toHaveLength(1);
    const requests = harness.llm.requests();
    expect(requests).toHaveLength(4);
    // The same request each time: the transcript up to the tool's result, nothing run again.
    expect(requests[3]?.messages).toEqual(requests[1]?.messages);
    expect(requests[3]?.messages.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    expect((await turnOf(harness))?.status).toBe('succeeded');
  });

  it('an abort during a wait stops the turn at once; it resumes on the next start', async () => {
    const clock = createManualClock();
    harness = await createHarness({
      clock,
      leaseMs,
      typingIntervalMs,
      script: Array.from({ length: 6 }, () => ({ type: 'error' as const, status: 529 })),
    });
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await ask(harness);
    await until(() => retryWaits(clock).length > 0, 'the retry to be scheduled');
    expect(retryWaits(clock)).toEqual([5_000]);
    const stopping = harness.gateway.stop({ graceMs: 0 });
    // Fires only the zero grace timer: the retry wait (5 s) is not reached.
    await clock.advance(0);
    await stopping;
    expect(harness.llm.requests()).toHaveLength(1);
    expect(retryWaits(clock)).toEqual([]);
    expect(harness.texts()).toEqual([]);
    const turn = await turnOf(harness);
    expect(turn?.status).toBe('queued');
    expect(turn?.attempts).toBe(0);
  });
});
