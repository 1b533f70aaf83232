import { createSqliteStore } from '@ngb/store';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load-config';
import { budgetReport, budgetStanding } from './budget-report';

describe('budgetReport', () => {
  it('shows the current day and month of each scope against its limits, in the budgets time zone', async () => {
    const store = await createSqliteStore({ path: ':memory:' });
    try {
      const andy = await store.agents.create({ folder: 'andy', name: 'andy', isMain: false });
      await store.agents.create({ folder: 'idle', name: 'idle', isMain: false });
      const chat = await store.chats.upsert({
        channel: 'fake',
        platformChatId: 'c1',
        name: 'family',
        isGroup: true,
        status: 'active',
        unknownSenderPolicy: 'public',
      });
      const { config } = parseConfig(
        JSON.stringify({
          agents: { andy: { budget: { day: { usd: 1 } } }, idle: { budget: { month: { tokens: 1000 } } } },
          budgets: { timeZone: 'Asia/Tokyo', eachChat: { day: { tokens: 500 } } },
        }),
        'ngb.config.json',
      );
      // 23:30 UTC on 31 May is 08:30 on 1 June in Tokyo.
      const now = Date.UTC(2026, 4, 31, 23, 30);
      await store.budgetSpend.add([
        { scope: 'agent', scopeId: andy.id, period: 'day:2026-06-01', tokens: 300, costUsd: 0.25 },
        { scope: 'chat', scopeId: chat.id, period: 'day:2026-06-01', tokens: 200, costUsd: null },
        { scope: 'agent', scopeId: andy.id, period: 'day:2026-05-31', tokens: 999, costUsd: 9 },
      ]);
      const rows = await budgetReport(store, config, now);
      expect(rows).toEqual([
        {
          scope: 'agent',
          name: 'andy',
          period: 'day',
          periodKey: 'day:2026-06-01',
          tokens: 300,
          costUsd: 0.25,
          unpricedTokens: 0,
          limitUsd: 1,
          limitTokens: undefined,
        },
        {
          scope: 'chat',
          name: 'fake:family',
          period: 'day',
          periodKey: 'day:2026-06-01',
          tokens: 200,
          costUsd: 0,
          unpricedTokens: 200,
          limitUsd: undefined,
          limitTokens: 500,
        },
        {
          scope: 'agent',
          name: 'idle',
          period: 'day',
          periodKey: 'day:2026-06-01',
          tokens: 0,
          costUsd: 0,
          unpricedTokens: 0,
          limitUsd: undefined,
          limitTokens: undefined,
        },
        {
          scope: 'agent',
          name: 'andy',
          period: 'month',
          periodKey: 'month:2026-06',
          tokens: 0,
          costUsd: 0,
          unpricedTokens: 0,
          limitUsd: undefined,
          limitTokens: undefined,
        },
        {
          scope: 'agent',
          name: 'idle',
          period: 'month',
          periodKey: 'month:2026-06',
          tokens: 0,
          costUsd: 0,
          unpricedTokens: 0,
          limitUsd: undefined,
          limitTokens: 1000,
        },
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('budgetStanding', () => {
  it('takes the larger share of money and tokens: spent at 100 %, near from the near-end share', () => {
    const row = { costUsd: 0.5, tokens: 900, limitUsd: 1, limitTokens: 1000 };
    expect(budgetStanding(row, 0.8)).toEqual({ share: 0.9, state: 'near' });
    expect(budgetStanding({ ...row, tokens: 100 }, 0.8)).toEqual({ share: 0.5, state: 'ok' });
    expect(budgetStanding({ ...row, costUsd: 1 }, 0.8)).toEqual({ share: 1, state: 'spent' });
    expect(budgetStanding({ costUsd: 0, tokens: 0, limitUsd: 0, limitTokens: undefined }, 0.8)).toEqual({
      share: 1,
      state: 'spent',
    });
    expect(budgetStanding({ costUsd: 3, tokens: 10, limitUsd: undefined, limitTokens: undefined }, 0.8)).toEqual({
      share: undefined,
      state: 'unlimited',
    });
  });
});
