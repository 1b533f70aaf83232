import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStore } from './create-sqlite-store';

const directory = mkdtempSync(join(tmpdir(), 'ngb-budget-spend-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('budget spend', () => {
  it('adds to one row per scope and period, counts unpriced tokens apart, notices once, and keeps it on reopen', async () => {
    const path = join(directory, 'ngb.db');
    const store = await createSqliteStore({ path });
    await store.transaction(async (tx) => {
      await tx.budgetSpend.add([{ scope: 'agent', scopeId: 'a1', period: 'day:2026-06-01', tokens: 100, costUsd: 0.5 }]);
      await tx.budgetSpend.add([{ scope: 'agent', scopeId: 'a1', period: 'day:2026-06-01', tokens: 40, costUsd: null }]);
    });
    // A rolled-back commit adds nothing.
    await expect(
      store.transaction(async (tx) => {
        await tx.budgetSpend.add([{ scope: 'agent', scopeId: 'a1', period: 'day:2026-06-01', tokens: 1_000, costUsd: 9 }]);
        throw new Error('crash before the commit');
      }),
    ).rejects.toThrow('crash');
    expect(await store.budgetSpend.markNoticed('agent', 'a1', 'day:2026-06-01', 'end')).toBe(true);
    expect(await store.budgetSpend.markNoticed('agent', 'a1', 'day:2026-06-01', 'end')).toBe(false);
    expect(await store.budgetSpend.markNoticed('chat', 'c1', 'month:2026-06', 'near')).toBe(true);
    await store.close();

    const reopened = await createSqliteStore({ path });
    try {
      expect(await reopened.budgetSpend.get('agent', 'a1', 'day:2026-06-01')).toEqual({
        scope: 'agent',
        scopeId: 'a1',
        period: 'day:2026-06-01',
        tokens: 140,
        costUsd: 0.5,
        unpricedTokens: 40,
        nearNoticed: false,
        endNoticed: true,
      });
      expect(await reopened.budgetSpend.markNoticed('agent', 'a1', 'day:2026-06-01', 'end')).toBe(false);
      expect((await reopened.budgetSpend.list({ period: 'month:2026-06' })).map((row) => row.scopeId)).toEqual(['c1']);
      await expect(
        reopened.budgetSpend.add([{ scope: 'team' as never, scopeId: 'x', period: 'day:2026-06-01', tokens: 1, costUsd: 0 }]),
      ).rejects.toThrow(/scope must be one of agent, user, chat/);
    } finally {
      await reopened.close();
    }
  });
});
