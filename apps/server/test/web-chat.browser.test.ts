import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshots, useChromiumSuite } from './browser-harness';

const suite = useChromiumSuite();

/** Records every text the agent's bubbles show, to tell a streamed reply from one that arrived whole. */
async function recordReplies(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seenReplies: string[] }).seenReplies = seen;
    new MutationObserver(() => {
      for (const bubble of document.querySelectorAll('.bubble[data-from="agent"]')) {
        const text = bubble.textContent ?? '';
        if (seen.at(-1) !== text) seen.push(text);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { seenReplies: string[] }).seenReplies);
}

const slowReply = ['Your ', 'workspace ', 'holds ', 'one ', 'file: ', 'notes.md ', '— want ', 'me to ', 'summarize ', 'it?'];

describe('web chat in Chromium', { timeout: 60_000 }, () => {
  it("streams the owner's reply in place and shows the agent's tool call inline", async () => {
    const harness = await suite.start({
      webChat: true,
      script: [
        { type: 'reply', text: 'Let me look.', toolCalls: [{ name: 'bash', input: { command: 'echo notes.md' } }] },
        { type: 'reply', text: slowReply, chunkDelayMs: 120 },
      ],
    });
    // Nobody owns the gateway: the overview shows this machine's visitor the claim code.
    const page = await suite.open();
    await page.goto(harness.url);
    const claimCode = page.locator('.claim .code-chip');
    await claimCode.waitFor();
    const claim = (await claimCode.textContent())?.trim() ?? '';
    expect(claim).toMatch(/^\/claim [A-Z0-9]+$/);
    // Claimed from the dashboard's own chat, whose identity becomes the owner's.
    await page.locator('.claim a[href="/talk"]').click();
    await page.locator('.chat-hello').waitFor();
    await page.getByLabel('Message').fill(claim);
    await page.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => page.locator('.bubble[data-from="agent"]').last().textContent(), { timeout: 15_000 })
      .toContain('You are now the owner');
    const replies = await recordReplies(page);
    await page.getByLabel('Message').fill('what is in my workspace?');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.locator('.bubble.mine').last().textContent()).toBe('what is in my workspace?');

    const tool = page.locator('.chat-tool .tool-call[data-tool="bash"]');
    await tool.waitFor();
    await expect.poll(() => tool.locator('.tool-output').textContent(), { timeout: 15_000 }).toContain('notes.md');
    const final = slowReply.join('');
    await expect.poll(() => page.locator('.bubble[data-from="agent"]').last().textContent(), { timeout: 15_000 }).toBe(final);
    const seen = await replies();
    // Streamed: the bubble showed the reply growing before it showed the whole.
    expect(seen.some((text) => text.includes('Your workspace') && !text.includes('summarize it?'))).toBe(true);
    await tool.locator('summary').click();
    await page.screenshot({ path: `${screenshots}web-chat.png` });
  });

  it('serves the public chat page to a visitor, without the token, and streams the reply', async () => {
    const harness = await suite.start({
      webChat: true,
      token: 'a-token-of-at-least-16-characters',
      script: [{ type: 'reply', text: ['Hi! ', 'I am ', 'Andy. ', 'How can ', 'I help?'], chunkDelayMs: 100 }],
    });
    const page = await suite.open();
    await page.goto(`${harness.url}/chat`);
    await expect.poll(() => page.locator('.chat-hello strong').textContent()).toBe('Say hello to Andy');
    // The visitor chat is public, but the dashboard is not.
    const dashboard = await page.context().request.get(`${harness.url}/api/status`);
    expect(dashboard.status()).toBe(401);
    const replies = await recordReplies(page);
    await page.getByLabel('Message').fill('hello there');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.bubble.mine').last().textContent()).toBe('hello there');
    // A new visitor's chat waits for the owner, who approves it; the held message is then answered.
    await expect.poll(() => harness?.events.find((event) => event.type === 'approval.requested')).toBeDefined();
    const requested = harness.events.find((event) => event.type === 'approval.requested');
    const code = requested?.type === 'approval.requested' ? requested.code : '';
    const approved = await fetch(`${harness.url}/api/approvals/${code}/approve`, {
      method: 'POST',
      headers: { authorization: 'Bearer a-token-of-at-least-16-characters' },
    });
    expect(approved.status).toBe(200);
    await expect
      .poll(() => page.locator('.bubble[data-from="agent"]').last().textContent(), { timeout: 15_000 })
      .toBe('Hi! I am Andy. How can I help?');
    expect((await replies()).length).toBeGreaterThan(1);
  });

  it("shows an agent's question as buttons; a press answers it, the turn resumes, and the buttons are closed", async () => {
    const harness = await suite.start({
      webChat: true,
      script: [
        {
          type: 'reply',
          toolCalls: [{ name: 'ask_user', input: { question: 'Which pizza?', options: ['Margherita', 'Funghi'] } }],
        },
        { type: 'reply', text: 'Ordering the Funghi.' },
      ],
    });
    const page = await suite.open();
    await page.goto(harness.url);
    const claimCode = page.locator('.claim .code-chip');
    await claimCode.waitFor();
    const claim = (await claimCode.textContent())?.trim() ?? '';
    await page.locator('.claim a[href="/talk"]').click();
    await page.locator('.chat-hello').waitFor();
    await page.getByLabel('Message').fill(claim);
    await page.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => page.locator('.bubble[data-from="agent"]').last().textContent(), { timeout: 15_000 })
      .toContain('You are now the owner');
    await page.getByLabel('Message').fill('order dinner');
    await page.getByRole('button', { name: 'Send' }).click();

    const choices = page.getByRole('group', { name: 'Choices' });
    await choices.waitFor({ timeout: 15_000 });
    await expect.poll(() => page.locator('.bubble[data-from="agent"]').last().textContent()).toBe('Which pizza?');
    expect(await choices.getByRole('button').allTextContents()).toEqual(['Margherita', 'Funghi']);
    await choices.getByRole('button', { name: 'Funghi' }).click();
    await expect
      .poll(() => page.locator('.bubble[data-from="agent"]').last().textContent(), { timeout: 15_000 })
      .toBe('Ordering the Funghi.');
    expect(await choices.getByRole('button', { name: 'Margherita' }).isDisabled()).toBe(true);
    expect(await choices.getByRole('button', { name: 'Funghi' }).getAttribute('aria-pressed')).toBe('true');
    expect(harness.events.filter((event) => event.type === 'question.ended')).toHaveLength(1);
    await page.screenshot({ path: `${screenshots}web-chat-buttons.png` });
    // A press of the answered question is refused, and answers nothing twice.
    const history = (await (await page.context().request.get(`${harness.url}/api/chat/history`)).json()) as {
      messages: Array<{ id: string; choices?: unknown[] }>;
    };
    const asked = history.messages.find((message) => message.choices !== undefined);
    const again = await page.context().request.post(`${harness.url}/api/chat/choices`, {
      data: { messageId: asked?.id, choiceId: 'x' },
    });
    expect(again.status()).toBe(404);
  });
});
