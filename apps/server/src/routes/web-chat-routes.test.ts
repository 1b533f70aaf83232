import { createWebChannel } from '@ngb/channel-web';
import { afterEach, describe, expect, it } from 'vitest';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';
import { readSse } from '../__tests__/sse-reader';

const token = 'a-long-enough-dashboard-token';
let harness: ServerHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function withWebChat(
  options: { token?: string; script?: NonNullable<Parameters<typeof createServerHarness>[0]>['script'] } = {},
) {
  const web = createWebChannel({ secret: 'a-test-secret-of-at-least-32-characters' });
  const built = await createServerHarness({ channels: [web], script: options.script, server: { token: options.token } });
  // The dashboard's chat, wired to the main agent (onboarding makes it the owner's).
  const agent = (await built.store.agents.list())[0];
  const chat = await built.store.chats.upsert({
    channel: 'web',
    platformChatId: 'dashboard',
    name: 'Dashboard',
    isGroup: false,
    status: 'active',
    unknownSenderPolicy: 'public',
  });
  await built.store.wirings.add({
    chatId: chat.id,
    agentId: agent?.id ?? '',
    engage: 'always',
    sessionMode: 'shared',
    accumulate: false,
  });
  return built;
}

describe('the web chat through the server', () => {
  it("streams the agent's reply to the dashboard's own chat", async () => {
    harness = await withWebChat({ script: [{ type: 'reply', text: ['Hello ', 'from ', 'the agent'] }] });
    const events = readSse(await harness.request('/api/chat/events'));
    const sent = await harness.request('/api/chat/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:7070' },
      body: JSON.stringify({ text: 'hi' }),
    });
    expect(sent.status).toBe(202);
    await harness.gateway.idle();
    const read = await events.until((message) => message.data.includes('from the agent') && message.event !== 'typing');
    expect(read.at(-1)?.data).toContain('Hello from the agent');
    await events.cancel();
    const stored = await harness.store.messages.search('hi');
    expect(stored.map((message) => message.senderId)).toContain('dashboard');
  });

  it('takes visitor messages only from its own page, and never hands a visitor the dashboard identity', async () => {
    harness = await withWebChat();
    const forged = await harness.request('/chat/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://evil.example' },
      body: JSON.stringify({ text: 'from elsewhere' }),
    });
    expect(forged.status).toBe(403);
    expect(await harness.store.messages.search('elsewhere')).toEqual([]);
    const visitor = await harness.request('/chat/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1:7070', cookie: 'ngb_visitor=dashboard' },
      body: JSON.stringify({ text: 'who am i' }),
    });
    expect(visitor.status).toBe(202);
    expect(visitor.headers.get('set-cookie')).toContain('ngb_visitor=');
    await harness.gateway.idle();
    const [stored] = await harness.store.messages.search('who');
    expect(stored?.senderId).not.toBe('dashboard');
  });

  it("keeps the dashboard's chat behind the token", async () => {
    harness = await withWebChat({ token });
    const refused = await harness.request('/api/chat/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'hi' }),
    });
    expect(refused.status).toBe(401);
    const allowed = await harness.request('/api/chat/history', { headers: { authorization: `Bearer ${token}` } });
    expect(allowed.status).toBe(200);
    // The visitors' side stays public.
    expect((await harness.request('/chat/api/history')).status).toBe(200);
  });
});
