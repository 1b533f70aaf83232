import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshots, useChromiumSuite } from './browser-harness';

const suite = useChromiumSuite();

describe('dashboard views in Chromium', { timeout: 60_000 }, () => {
  it("lists a session's egress requests, stored ones and live ones, with what was refused and why", async () => {
    const harness = await suite.start({ script: [{ type: 'reply', text: 'on it' }] });
    await harness.say('look something up');
    await harness.gateway.gateway.idle();
    const routed = harness.events.find((event) => event.type === 'message.routed');
    const sessionId = routed?.type === 'message.routed' ? routed.sessionId : '';
    const { store } = harness.gateway;
    const request = { sessionId, turnId: 'turn-1', port: 443, bytesUp: 0, bytesDown: 0, startedAt: Date.now(), durationMs: 180 };
    // Stored before the page opens, as after a restart of the gateway.
    await store.egressRequests.add({
      ...request,
      method: 'CONNECT',
      host: 'api.example.com',
      address: '203.0.113.9',
      allowed: true,
      bytesUp: 2048,
      bytesDown: 1_500_000,
    });
    const page = await suite.open();
    await page.goto(`${harness.url}/sessions/${sessionId}`);
    await expect.poll(() => page.locator('.live-pill').textContent()).toBe('Live');
    const rows = page.locator('.egress-requests li');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toMatch(/allowed.*CONNECT api\.example\.com:443.*↑2K ↓1\.5M/);

    // Live: stored, then published with its id, as the gateway does.
    const refused = {
      ...request,
      method: 'GET',
      host: 'metadata.example.com',
      port: 80,
      address: '169.254.169.254',
      allowed: false,
      reason: 'metadata.example.com resolves to a refused address: address 169.254.169.254 is link-local (169.254.0.0/16)',
    };
    const stored = await store.egressRequests.add(refused);
    harness.gateway.gateway.events.emit({ type: 'egress.request', ...refused, id: stored.id });
    await expect.poll(() => rows.count()).toBe(2);
    const newest = page.locator('.egress-requests li[data-egress="refused"]');
    expect(await newest.textContent()).toMatch(/refused.*GET metadata\.example\.com:80.*link-local/);
    expect(await rows.first().getAttribute('data-egress')).toBe('refused');
    await page.locator('.session-side').screenshot({ path: `${screenshots}dashboard-session-network.png` });
  });

  it('finds a message by its words and marks them', async () => {
    const harness = await suite.start();
    await harness.say('the invoice for the blue lighthouse is due on Friday');
    await harness.say('nothing to see here');
    await harness.gateway.gateway.idle();
    const page = await suite.open();
    await page.goto(`${harness.url}/messages`);
    await page.getByLabel('Search words').fill('lighthouse invoice');
    await page.getByRole('button', { name: 'Search' }).click();
    const results = page.locator('.messages li');
    await expect.poll(() => results.count()).toBe(1);
    expect(await results.first().textContent()).toContain('the invoice for the blue lighthouse is due on Friday');
    expect(await results.first().locator('mark').allTextContents()).toEqual(['invoice', 'lighthouse']);
    await page.getByLabel('Search words').fill('zebra');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('.empty strong').textContent()).toBe('No message matches');
  });

  it("lists an agent's skills and the skipped ones with the reason", async () => {
    const harness = await suite.start();
    const skill = (folder: string, name: string, text: string) => {
      const directory = join(harness!.gateway.agentsDirectory, folder, 'skills', name);
      mkdirSync(directory, { recursive: true });
      writeFileSync(join(directory, 'SKILL.md'), text);
    };
    skill('main', 'pdf-forms', '---\nname: pdf-forms\ndescription: Fill in PDF forms from a chat photo.\n---\n');
    skill('global', 'pdf-forms', '---\nname: pdf-forms\ndescription: The shared PDF skill.\n---\n');
    skill('global', 'weather', '---\nname: weather\ndescription: Tell the weather <b>today</b> for a city.\n---\n');
    skill('main', 'release-notes', '---\nname: changelog\ndescription: Write release notes.\n---\n');
    skill('main', 'broken', '# A title, and no front matter\n');
    const page = await suite.open();
    await page.goto(`${harness.url}/agents`);
    const rows = page.locator('.agent table.skills tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.locator('[data-skill="pdf-forms"]').textContent()).toMatch(
      /pdf-forms.*agent.*overrides global.*Fill in PDF forms/,
    );
    expect(await page.locator('[data-skill="weather"]').textContent()).toContain('Tell the weather <b>today</b> for a city.');
    const skipped = page.getByRole('list', { name: 'Skills skipped for main' }).locator('li');
    expect(await skipped.allTextContents()).toEqual([
      'skipped main/skills/broken/SKILL.md: it has no front matter: the file must start with a `---` line, then `name:` and `description:`',
      'skipped main/skills/release-notes/SKILL.md: its name "changelog" differs from its folder\'s name "release-notes"',
    ]);
    expect(await page.locator('.nav-item.current').textContent()).toBe('Agents');
    await page.screenshot({ path: `${screenshots}dashboard-agents.png` });
  });

  it('creates a task, pauses it and resumes it', async () => {
    const harness = await suite.start();
    const page = await suite.open();
    await page.goto(`${harness.url}/tasks`);
    await page.getByLabel('Prompt').fill('Send me the weather in Berlin');
    await page.getByLabel('When').fill('0 8 * * *');
    await page.getByRole('button', { name: 'Create task' }).click();
    const task = page.locator('.task').filter({ hasText: 'Send me the weather in Berlin' });
    await expect.poll(() => task.locator('.badge').first().textContent()).toBe('active');
    expect(await task.locator('.code-chip').textContent()).toBe('cron 0 8 * * *');
    await task.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => task.locator('.badge').first().textContent()).toBe('paused');
    const [stored] = await harness.gateway.store.tasks.list();
    expect(stored).toMatchObject({ prompt: 'Send me the weather in Berlin', status: 'paused', scheduleValue: '0 8 * * *' });
    await task.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => task.locator('.badge').first().textContent()).toBe('active');
    // A schedule the scheduler refuses says why, and nothing is created.
    await page.getByLabel('Prompt').fill('Never');
    await page.getByLabel('When').fill('not a cron');
    await page.getByRole('button', { name: 'Create task' }).click();
    await expect.poll(() => page.locator('.task-form .form-error').textContent()).toMatch(/cron|schedule/i);
    expect(await harness.gateway.store.tasks.list()).toHaveLength(1);
  });

  it('approves a pending sender, who is then answered', async () => {
    const harness = await suite.start({ script: [{ type: 'reply', text: 'Welcome aboard.' }] });
    const { store } = harness.gateway;
    const chat = await store.chats.getByPlatformId('fake', 'chat-1');
    await store.chats.update(chat!.id, { unknownSenderPolicy: 'request_approval' });
    await harness.say('may I use the agent?', { sender: 'stranger-7' });
    await harness.gateway.gateway.idle();
    const [pending] = await store.approvals.list({ status: 'pending' });
    expect(pending?.kind).toBe('sender');

    const page = await suite.open();
    await page.goto(`${harness.url}/approvals`);
    const row = page.locator(`[data-code="${pending!.code}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Sender');
    await row.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.locator('.empty strong').textContent()).toBe('Nothing waits for you');
    expect((await store.approvals.get(pending!.id))?.status).toBe('approved');
    await harness.gateway.gateway.idle();
    await expect.poll(() => harness?.gateway.channel.sent.map((sent) => sent.message.text)).toContain('Welcome aboard.');
  });

  it('filters the logs by level and follows new records', async () => {
    const harness = await suite.start();
    const record = (level: string, msg: string) =>
      `${JSON.stringify({ time: new Date().toISOString(), level, tag: 'gateway', msg, chat: 'chat-1' })}\n`;
    appendFileSync(
      harness.logFile,
      record('debug', 'polling nothing') + record('info', 'channel connected') + record('warn', 'delivery slow'),
    );
    const page = await suite.open();
    await page.goto(`${harness.url}/logs`);
    const levels = () => page.locator('.logs li').evaluateAll((items) => items.map((item) => item.getAttribute('data-level')));
    await expect.poll(levels).toEqual(['warn', 'info']);
    await page.getByRole('button', { name: 'warn' }).click();
    await expect.poll(levels).toEqual(['warn']);
    await page.getByRole('button', { name: 'debug' }).click();
    await expect.poll(levels).toEqual(['warn', 'info', 'debug']);
    appendFileSync(harness.logFile, record('error', 'the model answered 500'));
    await expect.poll(levels, { timeout: 10_000 }).toEqual(['error', 'warn', 'info', 'debug']);
    expect(await page.locator('.logs li').first().textContent()).toContain('the model answered 500');
  });
});
