import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mainAgentId } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

let harness: ServerHarness;
beforeAll(async () => {
  harness = await createServerHarness();
});
afterAll(() => harness.close());

describe('agents, chats and wirings', () => {
  it('lists agents and reads one', async () => {
    const list = await call(harness, 'GET', '/api/agents');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [expect.objectContaining({ folder: 'main', isMain: true, timezone: 'UTC' })] });
    const one = await call(harness, 'GET', `/api/agents/${list.body.items[0].id}`);
    expect(one.body).toEqual(list.body.items[0]);
  });

  it('lists chats filtered by channel and status, and reads one with its wirings', async () => {
    const agentId = await mainAgentId(harness);
    const pending = await harness.store.chats.upsert({ channel: 'fake', platformChatId: 'c-pending', name: 'p', isGroup: true });
    const active = await harness.store.chats.upsert({
      channel: 'other',
      platformChatId: 'c-active',
      name: 'a',
      isGroup: false,
      status: 'active',
    });
    const wiring = await harness.store.wirings.add({ chatId: active.id, agentId, engage: 'always', sessionMode: 'shared' });
    const byStatus = await call(harness, 'GET', '/api/chats?status=pending');
    expect(byStatus.body.items.map((chat: { id: string }) => chat.id)).toContain(pending.id);
    expect(byStatus.body.items.map((chat: { id: string }) => chat.id)).not.toContain(active.id);
    const byChannel = await call(harness, 'GET', '/api/chats?channel=other');
    expect(byChannel.body.items).toEqual([active]);
    expect((await call(harness, 'GET', '/api/chats?status=maybe')).status).toBe(400);
    const one = await call(harness, 'GET', `/api/chats/${active.id}`);
    expect(one.body).toEqual({ ...active, wirings: [wiring] });
  });

  it("changes a chat's unknown-sender policy and status", async () => {
    const chat = await harness.store.chats.upsert({ channel: 'fake', platformChatId: 'policy', name: 'p', isGroup: true });
    const changed = await call(harness, 'PATCH', `/api/chats/${chat.id}`, {
      unknownSenderPolicy: 'request_approval',
      status: 'active',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: chat.id, unknownSenderPolicy: 'request_approval', status: 'active' });
    expect(await harness.store.chats.get(chat.id)).toMatchObject({ unknownSenderPolicy: 'request_approval', status: 'active' });
  });

  it('wires, rewires and unwires an agent, with the store checking the engage settings', async () => {
    const agentId = await mainAgentId(harness);
    const chat = await harness.store.chats.upsert({ channel: 'fake', platformChatId: 'wire', name: 'w', isGroup: true });
    const created = await call(harness, 'POST', '/api/wirings', {
      chatId: chat.id,
      agentId,
      engage: 'pattern',
      pattern: '^andy\\b',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      chatId: chat.id,
      agentId,
      engage: 'pattern',
      pattern: '^andy\\b',
      sessionMode: 'shared',
      priority: 0,
    });
    const again = await call(harness, 'POST', '/api/wirings', { chatId: chat.id, agentId, engage: 'always' });
    expect(again.status).toBe(400);
    expect(again.body.error.message).toContain('already wired');

    const changed = await call(harness, 'PATCH', `/api/wirings/${created.body.id}`, {
      engage: 'mention',
      pattern: null,
      priority: 3,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ ...created.body, engage: 'mention', priority: 3, pattern: undefined });
    expect(await harness.store.wirings.get(created.body.id)).toMatchObject({ engage: 'mention', priority: 3 });

    const sticky = await call(harness, 'PATCH', `/api/wirings/${created.body.id}`, { engage: 'mention-sticky' });
    expect(sticky.status).toBe(200);
    expect(await harness.store.wirings.get(created.body.id)).toMatchObject({ engage: 'mention-sticky' });

    const removed = await call(harness, 'DELETE', `/api/wirings/${created.body.id}`);
    expect(removed).toEqual({ status: 200, body: { deleted: true } });
    expect(await harness.store.wirings.listForChat(chat.id)).toEqual([]);
  });

  it('refuses a pattern that is not a regular expression, or a missing one, before saving', async () => {
    const agentId = await mainAgentId(harness);
    const chat = await harness.store.chats.upsert({ channel: 'fake', platformChatId: 'regex', name: 'r', isGroup: true });
    const bad = await call(harness, 'POST', '/api/wirings', {
      chatId: chat.id,
      agentId,
      engage: 'pattern',
      pattern: '(unclosed',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/not a valid regular expression/);
    const missing = await call(harness, 'POST', '/api/wirings', { chatId: chat.id, agentId, engage: 'pattern' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toMatch(/needs a `pattern`/);
    expect(await harness.store.wirings.listForChat(chat.id)).toEqual([]);
    const wiring = await harness.store.wirings.add({ chatId: chat.id, agentId, engage: 'always', sessionMode: 'shared' });
    const badPatch = await call(harness, 'PATCH', `/api/wirings/${wiring.id}`, { engage: 'pattern', pattern: '[z-a]' });
    expect(badPatch.status).toBe(400);
    expect(await harness.store.wirings.get(wiring.id)).toEqual(wiring);
    const badMode = await call(harness, 'PATCH', `/api/wirings/${wiring.id}`, { sessionMode: 'per-user' });
    expect(badMode.status).toBe(400);
    expect(badMode.body.error.message).toMatch(/^body\.sessionMode: /);
  });

  it('answers 404 when a wiring names an unknown chat or agent', async () => {
    const agentId = await mainAgentId(harness);
    const chat = await harness.store.chats.upsert({ channel: 'fake', platformChatId: 'unknown-ref', name: 'u', isGroup: true });
    expect((await call(harness, 'POST', '/api/wirings', { chatId: 'ghost', agentId, engage: 'always' })).status).toBe(404);
    expect((await call(harness, 'POST', '/api/wirings', { chatId: chat.id, agentId: 'ghost', engage: 'always' })).status).toBe(
      404,
    );
  });
});
