import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserHarness, launchChromium, openPage, screenshots, startBrowserHarness } from './browser-harness';

let browser: Browser;
let harness: BrowserHarness | undefined;
let problems: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  // No script error and no Content-Security-Policy refusal on any page.
  expect(problems).toEqual([]);
  problems = [];
});

describe('dashboard in Chromium', () => {
  it('loads fast on loopback, shows the channels and says plainly that tools are not isolated', async () => {
    harness = await startBrowserHarness();
    const page = await openPage(browser, problems);
    const started = performance.now();
    await page.goto(`${harness.url}/`);
    const channel = page.locator('[data-channel="fake"]');
    await expect.poll(() => channel.textContent()).toContain('connected');
    const usableMs = performance.now() - started;
    console.log(`dashboard: first load to a usable page (channels shown) in ${usableMs.toFixed(0)} ms`);
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('not in a sandbox');
    await page.screenshot({ path: `${screenshots}dashboard-overview.png` });
  });

  it('streams the text and a tool call of a running turn into the session view, live', async () => {
    harness = await startBrowserHarness({
      script: [
        { type: 'reply', text: 'Hello! Ask me anything.' },
        {
          type: 'reply',
          text: ['Let me ', 'check the ', 'folder first.'],
          chunkDelayMs: 120,
          toolCalls: [{ name: 'bash', input: { command: 'echo files-in-workspace-42' } }],
        },
        { type: 'reply', text: ['The folder ', 'holds ', 'what you ', 'expected: ', '42.'], chunkDelayMs: 150 },
      ],
    });
    await harness.say('hello');
    await harness.gateway.gateway.idle();
    const routed = harness.events.find((event) => event.type === 'message.routed');
    expect(routed?.type).toBe('message.routed');
    const sessionId = routed?.type === 'message.routed' ? routed.sessionId : '';

    const page = await openPage(browser, problems);
    await page.goto(`${harness.url}/sessions/${sessionId}`);
    await expect.poll(() => page.locator('.live-pill').textContent()).toBe('Live');
    const before = harness.events.length;
    await harness.say('what is in the folder?');

    const tool = page.locator('.tool-call[data-tool="bash"]');
    await tool.waitFor({ state: 'visible' });
    expect(await tool.locator('.tool-input').textContent()).toBe('echo files-in-workspace-42');
    await expect.poll(() => tool.locator('.tool-output').textContent(), { timeout: 15_000 }).toContain('files-in-workspace-42');
    const text = page.locator('.turn-text').last();
    await expect.poll(() => text.textContent(), { timeout: 15_000 }).toContain('The folder holds what you expected: 42.');
    // The page showed the turn as it ran: the turn was still going when the text first appeared.
    expect(harness.events.slice(before).some((event) => event.type === 'text.delta')).toBe(true);
    await expect.poll(() => page.locator('.turn').last().getAttribute('class')).toContain('turn-succeeded');
    await page.locator('.tool-call[data-tool="bash"] summary').click();
    await page.screenshot({ path: `${screenshots}dashboard-session.png` });
  });

  it('asks for the token on the login page, refuses a wrong one and opens the dashboard with the right one', async () => {
    const token = 'a-token-of-at-least-16-characters';
    harness = await startBrowserHarness({ token });
    const page = await openPage(browser, problems);
    await page.goto(`${harness.url}/sessions`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('token').fill('not-the-token-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('.note').textContent()).toContain('not the one');
    await page.getByLabel('token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('[data-channel="fake"]').waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  });
});
