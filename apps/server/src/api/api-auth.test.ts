import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

const token = 'a-test-token-of-24-chars';
let harness: ServerHarness;
beforeAll(async () => {
  harness = await createServerHarness({ server: { token } });
});
afterAll(() => harness.close());

describe('API auth', () => {
  it.each(['/api/status', '/api/agents', '/api/config', '/api/openapi.json'])(
    'answers 401 without the token: %s',
    async (path) => {
      const answer = await call(harness, 'GET', path);
      expect(answer.status).toBe(401);
      expect(answer.body.error.code).toBe('unauthorized');
    },
  );

  it('answers with the bearer token', async () => {
    const answer = await call(harness, 'GET', '/api/agents', undefined, { authorization: `Bearer ${token}` });
    expect(answer.status).toBe(200);
    expect(answer.body.items).toHaveLength(1);
  });

  it('sends a browser without the token from /docs to the login page', async () => {
    const response = await harness.request('/docs');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login');
  });

  it('refuses a cross-site state change carried by the cookie with 403, and changes nothing', async () => {
    const login = await harness.request('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:7070' },
      body: `token=${token}`,
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^ngb_auth=/);
    const chat = await harness.store.chats.upsert({ channel: 'fake', platformChatId: 'csrf', name: 'c', isGroup: false });
    const foreign = await call(
      harness,
      'PATCH',
      `/api/chats/${chat.id}`,
      { status: 'active' },
      { cookie, origin: 'https://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('cross_site');
    const task = await call(
      harness,
      'POST',
      '/api/tasks',
      { agentId: 'x', chatId: chat.id, prompt: 'p', scheduleType: 'interval', scheduleValue: '1h' },
      { cookie, 'sec-fetch-site': 'cross-site' },
    );
    expect(task.status).toBe(403);
    const retry = await call(harness, 'POST', '/api/deliveries/some-id/retry', undefined, {
      cookie,
      origin: 'https://evil.example',
    });
    expect(retry.status).toBe(403);
    expect((await call(harness, 'POST', '/api/deliveries/some-id/retry')).status).toBe(401);
    expect((await harness.store.chats.get(chat.id))?.status).toBe('pending');
    const own = await call(
      harness,
      'PATCH',
      `/api/chats/${chat.id}`,
      { status: 'active' },
      { cookie, origin: 'http://127.0.0.1:7070' },
    );
    expect(own.status).toBe(200);
    expect(own.body.status).toBe('active');
  });
});
