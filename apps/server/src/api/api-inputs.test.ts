import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mainAgentId } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

let harness: ServerHarness;
beforeAll(async () => {
  harness = await createServerHarness({ server: { maxBodyBytes: 4096 } });
});
afterAll(() => harness.close());

describe('API inputs', () => {
  it('refuses a body that is not JSON with 400 invalid_json, and changes nothing', async () => {
    const chat = await harness.store.chats.upsert({ channel: 'fake', platformChatId: 'json', name: 'j', isGroup: false });
    const answer = await call(harness, 'PATCH', `/api/chats/${chat.id}`, '{"status": "active",');
    expect(answer).toEqual({
      status: 400,
      body: { error: { code: 'invalid_json', message: 'the request body is not valid JSON' } },
    });
    expect((await harness.store.chats.get(chat.id))?.status).toBe('pending');
  });

  it('refuses a body sent as another content type with 415', async () => {
    const chat = await harness.store.chats.upsert({ channel: 'fake', platformChatId: 'form', name: 'f', isGroup: false });
    const response = await harness.request(`/api/chats/${chat.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'status=active',
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    const none = await harness.request(`/api/chats/${chat.id}`, { method: 'PATCH', body: '{"status":"active"}' });
    expect(none.status).toBe(415);
    expect((await harness.store.chats.get(chat.id))?.status).toBe('pending');
  });

  it('refuses a body over the limit with 413', async () => {
    const answer = await call(harness, 'POST', '/api/wirings', {
      chatId: 'x',
      agentId: 'y',
      engage: 'pattern',
      pattern: 'a'.repeat(8000),
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('payload_too_large');
  });

  it('names the field a value is wrong in, and refuses unknown body keys', async () => {
    const chat = await harness.store.chats.upsert({ channel: 'fake', platformChatId: 'keys', name: 'k', isGroup: false });
    const policy = await call(harness, 'PATCH', `/api/chats/${chat.id}`, { unknownSenderPolicy: 'everyone' });
    expect(policy.status).toBe(400);
    expect(policy.body.error).toMatchObject({
      code: 'invalid_request',
      message: expect.stringMatching(/^body\.unknownSenderPolicy: /),
    });
    const extra = await call(harness, 'PATCH', `/api/chats/${chat.id}`, { name: 'renamed' });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toMatch(/^body\.name: /);
    expect((await harness.store.chats.get(chat.id))?.name).toBe('k');
  });

  it.each([
    '/api/agents/ghost',
    '/api/chats/ghost',
    '/api/sessions/ghost',
    '/api/sessions/ghost/transcript',
    '/api/sessions/ghost/turns',
    '/api/tasks/ghost',
    '/api/tasks/ghost/runs',
  ])('answers 404 for an unknown id: GET %s', async (path) => {
    const answer = await call(harness, 'GET', path);
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  });

  it.each([
    ['PATCH', '/api/chats/ghost', { status: 'active' }],
    ['PATCH', '/api/wirings/ghost', { priority: 1 }],
    ['DELETE', '/api/wirings/ghost', undefined],
    ['POST', '/api/users/ghost/roles', { role: 'admin' }],
    ['DELETE', '/api/users/ghost/roles', { role: 'admin' }],
    ['POST', '/api/tasks/ghost/pause', undefined],
    ['POST', '/api/approvals/NOSUCH/approve', undefined],
  ])('answers 404 for an unknown id: %s %s', async (method, path, body) => {
    const answer = await call(harness, method, path, body);
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  });

  it('pages a list with limit and cursor, and refuses a bad cursor or limit', async () => {
    for (let index = 0; index < 5; index += 1) {
      await harness.store.chats.upsert({ channel: 'paged', platformChatId: `p${index}`, name: `p${index}`, isGroup: false });
    }
    const first = await call(harness, 'GET', '/api/chats?channel=paged&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((chat: { name: string }) => chat.name)).toEqual(['p0', 'p1']);
    const second = await call(harness, 'GET', `/api/chats?channel=paged&limit=2&cursor=${first.body.next}`);
    expect(second.body.items.map((chat: { name: string }) => chat.name)).toEqual(['p2', 'p3']);
    const last = await call(harness, 'GET', `/api/chats?channel=paged&limit=2&cursor=${second.body.next}`);
    expect(last.body).toEqual({ items: [expect.objectContaining({ name: 'p4' })] });
    for (const cursor of ['nonsense', 'Zm9v', '%00', 'a'.repeat(600)]) {
      const bad = await call(harness, 'GET', `/api/chats?cursor=${cursor}`);
      expect(bad.status, cursor).toBe(400);
      expect(bad.body.error.code, cursor).toBe(cursor.length > 512 ? 'invalid_request' : 'invalid_cursor');
    }
    for (const limit of ['0', '201', '-1', 'ten', '1.5']) {
      const bad = await call(harness, 'GET', `/api/chats?limit=${limit}`);
      expect(bad.status, limit).toBe(400);
      expect(bad.body.error.message, limit).toMatch(/^query\.limit: /);
    }
    const all = await call(harness, 'GET', '/api/chats?channel=paged');
    expect(all.body.items).toHaveLength(5);
    expect(all.body.next).toBeUndefined();
  });

  it('refuses a cursor whose item is gone', async () => {
    const agentId = await mainAgentId(harness);
    const chat = await harness.store.chats.upsert({ channel: 'gone', platformChatId: 'g1', name: 'g1', isGroup: false });
    const session = await harness.store.sessions.getOrCreate({ agentId, chatId: chat.id, threadId: null });
    await harness.store.transcript.append(session.session.id, [
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'two' },
    ]);
    const page = await call(harness, 'GET', `/api/sessions/${session.session.id}/transcript?limit=1`);
    expect(page.body.items).toHaveLength(1);
    await harness.store.transcript.clear(session.session.id);
    const stale = await call(harness, 'GET', `/api/sessions/${session.session.id}/transcript?cursor=${page.body.next}`);
    expect(stale.status).toBe(400);
    expect(stale.body.error.code).toBe('invalid_cursor');
  });
});
