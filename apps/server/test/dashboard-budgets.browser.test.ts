import { budgetReport, parseConfig } from '@ngb/host';
import { createPriceLookup } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { screenshots, useChromiumSuite } from './browser-harness';

const suite = useChromiumSuite();

// $1,000 per million input tokens and $5,000 per million output tokens: a turn of 100 + 10 costs $0.15.
const price = createPriceLookup({ 'fake-model': { input: 1_000, output: 5_000 } });

describe('dashboard budgets in Chromium', { timeout: 60_000 }, () => {
  it('shows each budget of the day and month as spent of limit with a bar: ok, near the limit, spent', async () => {
    const { config } = parseConfig(
      JSON.stringify({
        agents: { main: { budget: { day: { usd: 0.18 }, month: { usd: 10 } } } },
        budgets: { timeZone: 'Europe/Berlin', eachChat: { day: { tokens: 100 } } },
      }),
      'ngb.config.json',
    );
    const harness = await suite.start({
      script: [{ type: 'reply', text: 'on it', usage: { inputTokens: 100, outputTokens: 10 } }],
      gateway: {
        price,
        budgets: {
          timeZone: 'Europe/Berlin',
          agents: { main: { day: { usd: 0.18 }, month: { usd: 10 } } },
          eachChat: { day: { tokens: 100 } },
        },
      },
      budgets: (store) => ({
        timeZone: config.budgets.timeZone,
        nearShare: config.budgets.nearShare,
        report: (now) => budgetReport(store, config, now),
      }),
    });
    const page = await suite.open();
    await page.goto(harness.url);
    // Before any turn: the agent's budgets, nothing spent.
    await expect.poll(() => page.locator('.budget-rows li[data-budget-state="ok"]').count()).toBe(2);
    expect(await page.locator('.budget-rows li').first().textContent()).toMatch(/main.*today.*\$0\.00 of \$0\.18 · 0 %/);

    // Real spend: a turn priced by the gateway, recorded in the store; the card follows the turn's end.
    await harness.say('what is on today?');
    await harness.gateway.gateway.idle();
    const rows = page.locator('.budget-rows li');
    await expect.poll(() => rows.count()).toBe(3);
    const row = (state: string) => page.locator(`.budget-rows li[data-budget-state="${state}"]`);
    expect(await row('near').textContent()).toMatch(/main.*agent.*today.*\$0\.15 of \$0\.18 · 83 %.*near limit/);
    expect(await row('ok').textContent()).toMatch(/main.*agent.*this month.*\$0\.15 of \$10\.00 · 2 %.*ok/);
    expect(await row('spent').textContent()).toMatch(/fake:Team room.*chat.*today.*110 of 100 tokens · 110 %.*spent/);
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date());
    expect(await page.locator('.budgets .card-head').textContent()).toContain(
      `day ${day} · month ${day.slice(0, 7)} · Europe/Berlin`,
    );
    // The bar shows the share used, full (and no further) for a spent budget.
    expect(Number(await row('near').locator('.budget-fill').getAttribute('width'))).toBeCloseTo(83.33, 1);
    expect(await row('spent').locator('.budget-fill').getAttribute('width')).toBe('100');
    expect(await page.locator('.budgets').textContent()).toContain('1 more with spend and no limit this period');
    await page.locator('.budgets').screenshot({ path: `${screenshots}dashboard-budgets.png` });
  });
});
