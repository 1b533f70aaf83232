import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type HarnessOptions } from './__tests__/gateway-harness';

let harness: Harness | undefined;
let directory: string | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

const hour = 3_600_000;
// 60 tokens a reply: the first leaves 60 of 100 spent (past the 50 % share), the second crosses 100.
const reply = (text: string) => ({ type: 'reply' as const, text, usage: { inputTokens: 50, outputTokens: 10 } });
const budgets: HarnessOptions['budgets'] = {
  timeZone: 'Europe/Berlin',
  nearShare: 0.5,
  agents: { andy: { day: { tokens: 100 }, cheaperModel: { model: 'cheap-model' } } },
};

const sentTo = (current: Harness, chatId: string) =>
  current.channel.sent.filter((sent) => sent.address.chatId === chatId).map((sent) => sent.message.text);

describe('budgets: a cheaper model near the end, then one refusal per period, kept across restarts', () => {
  it('downgrades at the share, lets the crossing turn finish, then refuses with one reply and one owner notice', async () => {
    directory = mkdtempSync(join(tmpdir(), 'ngb-budgets-'));
    const storePath = join(directory, 'ngb.db');
    // 22:00 in Berlin: the day ends two hours later.
    const start = Date.UTC(2026, 5, 1, 20, 0);
    const options: HarnessOptions = { storePath, budgets, leaseMs: hour, typingIntervalMs: hour };
    harness = await createHarness({ ...options, clock: createManualClock(start), script: [reply('first'), reply('second')] });
    const boss = await harness.addAgent('boss', { isMain: true });
    await harness.addChat('owner-chat', { agent: boss });
    const andy = await harness.addAgent('andy', { model: { model: 'own-model' } });
    await harness.addChat('c1', { agent: andy });

    await harness.say('one');
    await harness.say('two');
    expect(harness.llm.requests().map((request) => request.model)).toEqual(['own-model', 'cheap-model']);
    // The second turn crossed the budget while it ran: it finished and its reply was sent.
    expect(sentTo(harness, 'c1')).toEqual(['first', 'second']);
    expect(sentTo(harness, 'owner-chat')).toEqual([
      'Budget nearly spent: 50 % of the daily budget of agent andy (100 tokens) is used; agent andy answers with cheap-model until tomorrow.',
    ]);

    await harness.say('three');
    await harness.say('four');
    expect(harness.llm.requests()).toHaveLength(2);
    expect(sentTo(harness, 'c1')).toEqual([
      'first',
      'second',
      'The daily budget of agent andy (100 tokens) is spent, so I cannot answer now. I can answer again tomorrow (Europe/Berlin).',
    ]);
    expect(sentTo(harness, 'owner-chat')).toHaveLength(2);
    expect(sentTo(harness, 'owner-chat')[1]).toContain('Budget spent: the daily budget of agent andy (100 tokens) is used up');
    const [spend] = await harness.store.budgetSpend.list({ period: 'day:2026-06-01' });
    expect(spend).toMatchObject({ scope: 'agent', scopeId: andy.id, tokens: 120, unpricedTokens: 120, endNoticed: true });
    // No price table: tokens count, money does not, and each unpriced model is named once.
    const unpriced = harness.logger.lines.filter((line) => line.message.includes('has no known price'));
    expect(unpriced.map((line) => line.fields?.model)).toEqual(['own-model', 'cheap-model']);
    await harness.close();

    // A restart on the same file: still spent, still told only once.
    const clock = createManualClock(start + 60_000);
    harness = await createHarness({ ...options, clock, script: [reply('a new day')] });
    await harness.say('five');
    expect(harness.llm.requests()).toHaveLength(0);
    expect(harness.channel.sent).toHaveLength(0);
    const turns = await harness.store.turns.listForSession(
      (await harness.store.sessions.list()).find((s) => s.agentId === andy.id)?.id ?? '',
    );
    expect(turns.at(-1)).toMatchObject({ status: 'failed', error: expect.stringContaining('budget') });

    // Midnight in Berlin (22:00 UTC): a new day, a new budget.
    await clock.advance(2 * hour);
    await harness.say('six');
    expect(harness.llm.requests()).toHaveLength(1);
    expect(sentTo(harness, 'c1')).toEqual(['a new day']);
  });
});
