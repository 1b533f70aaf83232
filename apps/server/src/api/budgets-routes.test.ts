import { budgetReport, parseConfig } from '@ngb/host';
import { createPriceLookup } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { call, wiredChat } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

let harness: ServerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

// $1,000 per million input tokens and $5,000 per million output tokens: a turn of 100 + 10 costs $0.15.
const price = createPriceLookup({ 'fake-model': { input: 1_000, output: 5_000 } });
const limits = {
  agents: { main: { budget: { day: { usd: 0.18 }, month: { usd: 10 } } } },
  budgets: { timeZone: 'Asia/Tokyo', eachChat: { day: { tokens: 1_000 } } },
};

describe('GET /api/budgets', () => {
  it('answers the spend a turn recorded against each limit, with its share and state, in the budgets time zone', async () => {
    const { config } = parseConfig(JSON.stringify(limits), 'ngb.config.json');
    const gatewayBudgets = {
      timeZone: 'Asia/Tokyo',
      agents: { main: limits.agents.main.budget },
      eachChat: limits.budgets.eachChat,
    };
    let served: ServerHarness | undefined;
    harness = await createServerHarness({
      script: [{ type: 'reply', text: 'one', usage: { inputTokens: 100, outputTokens: 10 } }],
      gateway: { budgets: gatewayBudgets, price },
      server: {
        budgets: {
          timeZone: config.budgets.timeZone,
          nearShare: config.budgets.nearShare,
          report: async (now) => (served ? budgetReport(served.store, config, now) : []),
        },
      },
    });
    served = harness;
    await wiredChat(harness, 'family');
    await harness.channel.inject({ text: 'hello', chat: { id: 'family', isGroup: false }, sender: { id: 'ada', name: 'Ada' } });
    await harness.gateway.idle();

    const answer = await call(harness, 'GET', '/api/budgets');
    expect(answer.status).toBe(200);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date());
    expect(answer.body).toMatchObject({ timeZone: 'Asia/Tokyo', nearShare: 0.8, periods: { day: `day:${day}` } });
    const rows = answer.body.budgets as Array<Record<string, unknown>>;
    const row = (scope: string, period: string) => rows.find((entry) => entry.scope === scope && entry.period === period);
    expect(row('agent', 'day')).toEqual({
      scope: 'agent',
      name: 'main',
      period: 'day',
      periodKey: `day:${day}`,
      costUsd: expect.closeTo(0.15, 6),
      tokens: 110,
      unpricedTokens: 0,
      limitUsd: 0.18,
      limitTokens: null,
      share: expect.closeTo(0.15 / 0.18, 6),
      state: 'near',
    });
    expect(row('agent', 'month')).toMatchObject({ limitUsd: 10, share: expect.closeTo(0.015, 6), state: 'ok' });
    expect(row('chat', 'day')).toMatchObject({ name: 'fake:chat family', tokens: 110, limitTokens: 1_000, state: 'ok' });
    // A scope with spend but no limit for the period is listed, unlimited.
    expect(row('chat', 'month')).toMatchObject({ limitUsd: null, limitTokens: null, share: null, state: 'unlimited' });
  });

  it('answers 501 when the server was started without a config, and is in the API document', async () => {
    harness = await createServerHarness();
    const answer = await call(harness, 'GET', '/api/budgets');
    expect(answer.status).toBe(501);
    expect(answer.body.error.code).toBe('not_supported');
    const document = await call(harness, 'GET', '/api/openapi.json');
    expect(Object.keys(document.body.paths)).toContain('/api/budgets');
    expect(document.body.paths['/api/budgets'].get.responses['200']).toBeDefined();
  });

  it('needs the token like every other route', async () => {
    harness = await createServerHarness({ server: { token: 'a-token-of-at-least-32-characters-long' } });
    expect((await call(harness, 'GET', '/api/budgets')).status).toBe(401);
  });
});
