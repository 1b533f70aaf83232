import { ChannelApiError } from '@ngb/plugin-sdk';
import { describe, expect, it } from 'vitest';
import { screenshots, useChromiumSuite } from './browser-harness';

const suite = useChromiumSuite();
// Turns run a real (fake) model call: on a busy machine a row takes seconds to appear.
const patiently = { timeout: 30_000 };

describe('dashboard failed deliveries in Chromium', { timeout: 90_000 }, () => {
  it('lists a reply that failed for good as it fails, escaped; Retry sends it and the row leaves the list', async () => {
    const harness = await suite.start({ gateway: { deliveryRetryDelaysMs: [] } });
    const page = await suite.open();
    await page.goto(harness.url);
    const card = page.locator('.failed-deliveries');
    await expect.poll(() => card.textContent(), patiently).toContain('Every reply was delivered');
    await expect.poll(() => page.locator('.page-header p').first().textContent(), patiently).toContain('Live');

    // Live: the rows appear when the deliveries fail, without a reload.
    const { channel } = harness.gateway;
    channel.failNextSends(1);
    await harness.say('the weekly report <b>bold</b> & <script>alert(1)</script>');
    await expect.poll(() => card.locator('li').count(), patiently).toBe(1);
    channel.failNextSends(
      1,
      new ChannelApiError('fake', '[@ngb/channel-fake] 403 Forbidden: bot was blocked by the user', { status: 403 }),
    );
    await harness.say('remind me at 5');
    await expect.poll(() => card.locator('li').count(), patiently).toBe(2);
    const first = card.locator('li').last();
    expect(await first.locator('.failed-delivery-chat').textContent()).toBe('Team room');
    expect(await first.locator('.failed-delivery-text').textContent()).toBe(
      'echo: the weekly report <b>bold</b> & <script>alert(1)</script>',
    );
    expect(await card.locator('b, script').count()).toBe(0);
    expect(await first.locator('.failed-delivery-error').textContent()).toMatch(/^1 attempt · .*unavailable/);
    expect(await card.locator('li').first().locator('.failed-delivery-error').textContent()).toMatch(
      /^refused · .*bot was blocked/,
    );
    await card.screenshot({ path: `${screenshots}dashboard-failed-deliveries.png` });

    const sentBefore = channel.sent.length;
    await first.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => card.locator('li').count(), patiently).toBe(1);
    await harness.gateway.gateway.idle();
    expect(channel.sent.slice(sentBefore).map((sent) => sent.message.text)).toEqual([
      'echo: the weekly report <b>bold</b> & <script>alert(1)</script>',
    ]);
    expect((await harness.gateway.store.outbox.listFailed()).map((entry) => entry.text)).toEqual(['echo: remind me at 5']);
  });
});
