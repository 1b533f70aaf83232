import { createManualClock } from '@ngb/plugin-sdk/testing';
import { describe, expect, it } from 'vitest';
import { screenshots, useChromiumSuite } from './browser-harness';

// No script error and no Content-Security-Policy refusal on any page (checked after each test).
const suite = useChromiumSuite();
const mb = 1024 * 1024;

describe('dashboard while memory is short', { timeout: 60_000 }, () => {
  it('shows the degraded banner with the reason on every page, and takes it away once the gateway recovered', async () => {
    const clock = createManualClock();
    const memory = { rss: 600 * mb };
    const harness = await suite.start({
      gateway: {
        clock,
        leaseMs: 3_600_000,
        memoryLimit: { degradedAboveBytes: 512 * mb, checkIntervalMs: 1_000 },
        readMemory: () => memory.rss,
      },
    });
    const page = await suite.open();
    await page.goto(`${harness.url}/`);
    const banner = page.locator('[data-health="degraded"]');
    await expect.poll(() => banner.textContent()).toContain('memory 600 MB is above the limit of 512 MB');
    expect(await banner.textContent()).toContain('Degraded: new turns wait.');
    await page.screenshot({ path: `${screenshots}dashboard-degraded.png` });
    await page.locator('a[href="/sessions"]').first().click();
    await expect.poll(() => banner.isVisible()).toBe(true);

    memory.rss = 400 * mb;
    await clock.advance(1_000);
    await expect.poll(() => banner.count(), { timeout: 10_000 }).toBe(0);
  });

  it('a page open across a restart of the gateway reads again what happened while it was away', async () => {
    const first = await suite.start();
    const page = await suite.open();
    await page.goto(`${first.url}/`);
    await expect.poll(() => page.locator('.event-feed li').count(), { timeout: 10_000 }).toBe(0);
    // The first run gets further than the next one will have by the time the page is back.
    for (let index = 0; index < 3; index += 1) await first.say(`hello ${index}`);
    await first.gateway.gateway.idle();
    await expect.poll(() => page.locator('.event-feed li').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    const lastSeqOfFirstRun = first.gateway.gateway.events.lastSeq();
    const port = new URL(first.url).port;
    await first.close();

    // The next run becomes degraded before its server listens: no page can have seen that happen.
    const clock = createManualClock();
    const memory = { rss: 400 * mb };
    const second = await suite.start({
      port: Number(port),
      gateway: {
        clock,
        leaseMs: 3_600_000,
        memoryLimit: { degradedAboveBytes: 512 * mb, checkIntervalMs: 1_000 },
        readMemory: () => memory.rss,
      },
      beforeListen: async () => {
        memory.rss = 600 * mb;
        await clock.advance(1_000);
      },
    });
    expect(second.gateway.gateway.events.lastSeq()).toBeLessThan(lastSeqOfFirstRun);
    // The page comes back by itself (EventSource reconnects with the first run's last event id).
    const banner = page.locator('[data-health="degraded"]');
    await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(1);
    expect(await banner.textContent()).toContain('memory 600 MB is above the limit of 512 MB');
  });
});
