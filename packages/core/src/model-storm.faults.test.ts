import { createOpenAIProvider } from '@ngb/llm-openai';
import { createManualClock, type LlmScriptStep, type ManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
let backup: FakeLlmServer | undefined;
afterEach(async () => {
  await harness?.close();
  await backup?.close();
  harness = undefined;
  backup = undefined;
});

// Lease renewals and typing run every hour, and no other timer of the gateway is under a minute:
// the retry waits are the only short timers.
const hour = 3_600_000;
const retryWaits = (clock: ManualClock) => clock.pendingDelays().filter((delay) => delay < 60_000);

async function until(check: () => boolean, what: string) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Lets every retry the turn schedules run; returns the waits, in order. */
async function rideOut(current: Harness, clock: ManualClock, requests: () => number, expected: number): Promise<number[]> {
  const waits: number[] = [];
  while (requests() < expected) {
    await until(() => retryWaits(clock).length > 0 || requests() >= expected, 'the next retry');
    const [wait] = retryWaits(clock);
    if (wait === undefined) break;
    waits.push(wait);
    await clock.advance(wait);
  }
  await current.gateway.idle();
  return waits;
}

const overloaded = (retryAfterMs?: number): LlmScriptStep => ({
  type: 'error',
  status: 529,
  message: 'overloaded',
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});
const tooMany = (retryAfterMs: number): LlmScriptStep => ({ type: 'error', status: 429, retryAfterMs });
// 60 tokens a reply against a budget of 100: the second answered turn crosses it.
const answer = (text: string): LlmScriptStep => ({ type: 'reply', text, usage: { inputTokens: 50, outputTokens: 10 } });

describe('a storm of 429 and 529 answers from the model', () => {
  it('waits as retry-after says, falls back when the storm outlasts the retries, bills only answers, and keeps the budget', async () => {
    const clock = createManualClock(Date.UTC(2026, 5, 1, 10, 0));
    backup = await createFakeLlmServer({ acceptAnyModel: true, script: [answer('from the backup')] });
    const backupProvider = createOpenAIProvider({
      baseURL: `${backup.url}/v1`,
      apiKey: 'backup-key',
      model: 'backup-default',
      maxRetries: 0,
    });
    harness = await createHarness({
      clock,
      leaseMs: hour,
      typingIntervalMs: hour,
      modelRetryDelaysMs: [1_000, 2_000, 4_000],
      moreProviders: { backup: backupProvider },
      budgets: { timeZone: 'UTC', agents: { andy: { day: { tokens: 100 } } } },
      script: [
        tooMany(7_000),
        overloaded(7_000),
        tooMany(7_000),
        answer('calm again'),
        overloaded(),
        overloaded(),
        overloaded(),
        overloaded(),
      ],
    });
    const andy = await harness.addAgent('andy', {
      model: { model: 'own-model', fallbacks: [{ provider: 'backup', model: 'backup-model' }] },
    });
    await harness.addChat('c1', { agent: andy });
    const spent = async () => (await harness?.store.budgetSpend.list({ period: 'day:2026-06-01' }))?.[0]?.tokens ?? 0;
    const primary = () => harness?.llm.requests().length ?? 0;
    const inject = (text: string) => harness?.channel.inject({ text, chat: { id: 'c1', isGroup: false } });

    // A storm the retries outlast: each wait is the server's retry-after, longer than the schedule's.
    await inject('first');
    expect(await rideOut(harness, clock, primary, 4)).toEqual([7_000, 7_000, 7_000]);
    expect(harness.texts()).toEqual(['calm again']);
    expect(await spent()).toBe(60);

    // A storm that outlasts the retries: the schedule's waits, then the fallback model answers.
    await inject('second');
    expect(await rideOut(harness, clock, primary, 8)).toEqual([1_000, 2_000, 4_000]);
    expect(backup.requests().map((request) => request.model)).toEqual(['backup-model']);
    expect(harness.texts()).toEqual(['calm again', 'from the backup']);
    expect(await spent()).toBe(120);

    // The budget is spent: no model is asked again, storm or not, and nothing more is billed.
    harness.llm.enqueue(overloaded(), answer('never'));
    await inject('third');
    await harness.gateway.idle();
    expect(primary()).toBe(8);
    expect(backup.requests()).toHaveLength(1);
    expect(harness.texts().at(-1)).toMatch(/budget of agent andy \(100 tokens\) is spent/);
    expect(await spent()).toBe(120);
    const session = (await harness.store.sessions.list())[0];
    const turns = await harness.store.turns.listForSession(session?.id ?? '');
    expect(turns.map((turn) => turn.status)).toEqual(['succeeded', 'succeeded', 'failed']);
    expect(turns.map((turn) => turn.model)).toEqual(['own-model', 'backup-model', undefined]);
  });
});
