import { describe, expect, it } from 'vitest';
import { screenshots, useChromiumSuite } from './browser-harness';

// No script error and no Content-Security-Policy refusal on any page (checked after each test).
const suite = useChromiumSuite();
const token = 'a-token-of-at-least-16-characters';

describe('dashboard in Chromium', { timeout: 60_000 }, () => {
  it('loads fast on loopback, shows the channels and live activity, and says plainly that tools are not isolated', async () => {
    const harness = await suite.start({ token, script: [{ type: 'reply', text: ['Good ', 'morning! ', 'How can I help?'] }] });
    // Navigation start to a usable page by the page's own clock, in fresh contexts (nothing cached),
    // beside the same browser's time for the static login page (no script) as the floor of this machine.
    const usableAfter = async (path: string, ready: string) => {
      const fresh = await suite.open(token);
      await fresh.goto(`${harness?.url}${path}`, { waitUntil: 'commit' });
      const usable = await fresh.waitForFunction(
        (selector) => (document.querySelector(selector) ? performance.now() : false),
        ready,
        {
          polling: 'raf',
        },
      );
      const ms = Math.round((await usable.jsonValue()) as number);
      await fresh.context().close();
      return ms;
    };
    const floor: number[] = [];
    const dashboard: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      floor.push(await usableAfter('/login', 'form button'));
      dashboard.push(await usableAfter('/', '[data-channel="fake"] .badge'));
    }
    const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)] ?? 0;
    console.log(
      `dashboard: navigation start to a usable page (channels shown), median of 5 fresh loads: ${median(dashboard)} ms ` +
        `(${dashboard.join(', ')}); static login page in the same browser: ${median(floor)} ms (${floor.join(', ')})`,
    );

    const page = await suite.open(token);
    await page.goto(`${harness.url}/`);
    const channel = page.locator('[data-channel="fake"]');
    await expect.poll(() => channel.textContent()).toContain('connected');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('not in a sandbox');
    await expect.poll(() => page.locator('.live-pill, .page-header p').first().textContent()).toContain('Live');
    await harness.say('good morning');
    await expect.poll(() => page.locator('.event-feed').textContent(), { timeout: 15_000 }).toContain('turn.end');
    await expect.poll(() => page.locator('.event-feed').textContent()).toContain('good morning');
    await page.screenshot({ path: `${screenshots}dashboard-overview.png` });
  }, 120_000);

  it('streams the text and a tool call of a running turn into the session view, live', async () => {
    const harness = await suite.start({
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

    const page = await suite.open();
    const events = page.waitForResponse((response) => new URL(response.url()).pathname === '/api/events');
    await page.goto(`${harness.url}/sessions/${sessionId}`);
    await expect.poll(() => page.locator('.live-pill').textContent()).toBe('Live');
    // The browser asked for a compressed stream and reads it: what follows arrives deflated.
    expect(await (await events).headerValue('content-encoding')).toBe('deflate');
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

  it('shows a turn that was already running when the session view opened, from its first words', async () => {
    const chunks = [
      'Early ',
      'words ',
      'came ',
      'before ',
      'the ',
      'page ',
      'opened, ',
      'and ',
      'the ',
      'rest ',
      'came ',
      'while ',
      'it ',
      'watched.',
    ];
    const harness = await suite.start({
      script: [
        { type: 'reply', text: 'Ready.' },
        { type: 'reply', text: chunks, chunkDelayMs: 500 },
      ],
    });
    await harness.say('hello');
    await harness.gateway.gateway.idle();
    const before = harness.events.length;
    await harness.say('tell me something slowly');
    await expect.poll(() => harness?.events.slice(before).some((event) => event.type === 'text.delta')).toBe(true);
    const routed = harness.events.find((event) => event.type === 'message.routed');
    const sessionId = routed?.type === 'message.routed' ? routed.sessionId : '';

    const page = await suite.open();
    await page.goto(`${harness.url}/sessions/${sessionId}`);
    // While the turn still runs, it shows from its first words on.
    const running = page.locator('.turn.turn-running .turn-text');
    await expect
      .poll(() => running.textContent({ timeout: 1000 }).catch(() => ''), { timeout: 15_000 })
      .toMatch(/^Early words came/);
    const text = page.locator('.turn-text');
    await expect
      .poll(
        () =>
          text
            .last()
            .textContent({ timeout: 1000 })
            .catch(() => ''),
        { timeout: 15_000 },
      )
      .toBe(chunks.join(''));
    // The finished first turn is in the stored conversation only, not repeated as a live turn.
    expect(await page.locator('.turn').count()).toBe(1);
    expect(await page.locator('.said-assistant').textContent({ timeout: 5000 })).toContain('Ready.');
  });

  it('asks for the token on the login page, refuses a wrong one and opens the dashboard with the right one', async () => {
    const harness = await suite.start({ token });
    const page = await suite.open();
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
