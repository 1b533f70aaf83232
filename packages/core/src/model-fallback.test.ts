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

// Lease renewals and typing run every hour: the retry waits are the only short timers.
const leaseMs = 3_600_000;
const retryWaits = (clock: ManualClock) => clock.pendingDelays().filter((delay) => delay < leaseMs / 3);

async function until(check: () => boolean, what: string) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A gateway whose `default` provider is the harness's fake server and `backup` a second one. */
async function twoServers(first: Parameters<typeof createHarness>[0], backupScript: LlmScriptStep[]) {
  backup = await createFakeLlmServer({ script: backupScript, acceptAnyModel: true });
  const backupProvider = createOpenAIProvider({
    baseURL: `${backup.url}/v1`,
    apiKey: 'backup-key',
    model: 'backup-default',
    maxRetries: 0,
  });
  return createHarness({ ...first, leaseMs, typingIntervalMs: leaseMs, moreProviders: { backup: backupProvider } });
}

describe('a model chain: a retryable failure that outlives the retries moves the turn to the next model', () => {
  it('529 until the retries give up on the first server: the second answers, and the turn records its model', async () => {
    const clock = createManualClock();
    harness = await twoServers(
      {
        clock,
        modelRetryDelaysMs: [1_000, 2_000],
        script: Array.from({ length: 3 }, () => ({ type: 'error' as const, status: 529, message: 'overloaded' })),
      },
      [{ type: 'reply', text: 'from the backup' }],
    );
    const agent = await harness.addAgent('andy', {
      model: { model: 'first-model', fallbacks: [{ provider: 'backup', model: 'backup-model' }] },
    });
    await harness.addChat('c1', { agent });
    await harness.channel.inject({ text: 'hello', chat: { id: 'c1', isGroup: false } });
    for (const wait of [1_000, 2_000]) {
      await until(() => retryWaits(clock)[0] === wait, `the retry after ${wait} ms`);
      await clock.advance(wait);
    }
    await harness.gateway.idle();

    expect(harness.llm.requests().map((request) => request.model)).toEqual(['first-model', 'first-model', 'first-model']);
    expect(backup?.requests().map((request) => request.model)).toEqual(['backup-model']);
    expect(harness.texts()).toEqual(['from the backup']);
    const [session] = await harness.store.sessions.list();
    const [turn] = await harness.store.turns.listForSession(session?.id ?? '');
    expect(turn?.status).toBe('succeeded');
    expect(turn?.model).toBe('backup-model');
    const fallbacks = harness.events.filter((event) => event.type === 'model.fallback');
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toMatchObject({ from: 'openai/first-model', to: 'openai/backup-model', agentId: agent.id });
    expect(harness.logger.lines.some((line) => line.message.includes('falling back'))).toBe(true);
  });

  it('a 401 does not fall through: the turn fails once, the chat is told, the second server is never called', async () => {
    const clock = createManualClock();
    harness = await twoServers(
      { clock, modelRetryDelaysMs: [1_000], script: [{ type: 'error', status: 401, message: 'bad key' }] },
      [{ type: 'reply', text: 'never' }],
    );
    const agent = await harness.addAgent('andy', { model: { fallbacks: [{ provider: 'backup', model: 'backup-model' }] } });
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    expect(harness.llm.requests()).toHaveLength(1);
    expect(backup?.requests()).toHaveLength(0);
    expect(harness.texts()).toEqual(['Sorry, I could not answer that (LlmApiError). Please try again later.']);
    expect(harness.events.filter((event) => event.type === 'model.fallback')).toHaveLength(0);
  });

  it('a fallback naming a provider that is not configured fails the turn with a ConfigError naming the key', async () => {
    harness = await twoServers({}, []);
    const agent = await harness.addAgent('andy', { model: { fallbacks: [{ provider: 'nowhere', model: 'm' }] } });
    await harness.addChat('c1', { agent });
    await harness.say('hello');
    const [session] = await harness.store.sessions.list();
    const [turn] = await harness.store.turns.listForSession(session?.id ?? '');
    expect(turn?.error).toContain('agents.andy.model.fallbacks.0.provider');
  });
});
