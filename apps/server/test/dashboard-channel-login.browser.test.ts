import type { ChannelAdapter, ChannelContext } from '@ngb/plugin-sdk';
import qrcode from 'qrcode-generator';
import { describe, expect, it } from 'vitest';
import { screenshots, useChromiumSuite } from './browser-harness';

const suite = useChromiumSuite();

/** The dark modules of `code` as the dashboard draws them: one path, a quiet zone of four modules. */
function expectedPath(code: string): string {
  const qr = qrcode(0, 'L');
  qr.addData(code, 'Byte');
  qr.make();
  let path = '';
  for (let row = 0; row < qr.getModuleCount(); row++) {
    for (let column = 0; column < qr.getModuleCount(); column++) {
      if (qr.isDark(row, column)) path += `M${column + 4} ${row + 4}h1v1h-1z`;
    }
  }
  return path;
}

describe('dashboard: a channel waiting for a QR login, in Chromium', { timeout: 60_000 }, () => {
  it('shows the code to scan with the instructions, follows a new code, and goes away once linked', async () => {
    let context: ChannelContext | undefined;
    const instructions = 'WhatsApp → Settings → Linked devices → Link a device';
    const linking: ChannelAdapter = {
      specificationVersion: 1,
      name: 'whatsapp',
      limits: { maxMessageLength: 4096 },
      async start(given) {
        context = given;
        given.setStatus({ state: 'connecting', login: { kind: 'qr', code: '2@first-code,AAAA,BBBB', instructions } });
      },
      async stop() {},
      async send() {
        throw new Error('not linked yet');
      },
    };
    const harness = await suite.start({ channels: [linking] });
    const page = await suite.open();
    await page.goto(harness.url);
    const card = page.locator('[data-channel-login="whatsapp"]');
    await expect.poll(() => card.locator('svg.qr-code path').getAttribute('d')).toBe(expectedPath('2@first-code,AAAA,BBBB'));
    expect(await card.textContent()).toContain(instructions);
    expect(await page.locator('.card.channel-login h2').textContent()).toBe('Link whatsapp');
    await page.locator('.card.channel-login').screenshot({ path: `${screenshots}dashboard-channel-login.png` });

    // WhatsApp renews the code every few seconds: the card follows the channel's latest report.
    context?.setStatus({ state: 'connecting', login: { kind: 'qr', code: '2@second-code,CCCC,DDDD', instructions } });
    await expect.poll(() => card.locator('svg.qr-code path').getAttribute('d')).toBe(expectedPath('2@second-code,CCCC,DDDD'));

    context?.setStatus({ state: 'connected', detail: 'linked as +1 555 0100' });
    await expect.poll(() => page.locator('.card.channel-login').count()).toBe(0);
    // The card and the channel list are drawn from the same report, but not necessarily in one frame.
    await expect.poll(() => page.locator('li[data-channel="whatsapp"]').textContent()).toContain('connected');
  });
});
