import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, mainAgentId, wiredChat } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

let harness: ServerHarness;
beforeAll(async () => {
  harness = await createServerHarness({
    script: [
      { type: 'reply', text: 'the deploy went fine', usage: { inputTokens: 120, outputTokens: 30 } },
      { type: 'reply', text: 'second answer', usage: { inputTokens: 200, outputTokens: 10 } },
    ],
  });
});
afterAll(() => harness.close());

describe('sessions and messages', () => {
  it('shows the sessions, transcript and turns (model, usage, status) of a real turn', async () => {
    const chat = await wiredChat(harness, 'turns');
    await harness.channel.inject({
      text: 'how did the deploy go?',
      chat: { id: 'turns', isGroup: false },
      sender: { id: 'ann' },
    });
    await harness.gateway.idle();
    const sessions = await call(harness, 'GET', `/api/sessions?agent=${await mainAgentId(harness)}&status=active`);
    expect(sessions.status).toBe(200);
    expect(sessions.body.items).toEqual([expect.objectContaining({ chatId: chat.id, status: 'active' })]);
    const id = sessions.body.items[0].id;
    expect((await call(harness, 'GET', `/api/sessions/${id}`)).body).toEqual(sessions.body.items[0]);
    expect((await call(harness, 'GET', '/api/sessions?agent=ghost')).body.items).toEqual([]);
    expect((await call(harness, 'GET', '/api/sessions?status=open')).status).toBe(400);

    const transcript = await call(harness, 'GET', `/api/sessions/${id}/transcript`);
    expect(transcript.body.items.map((entry: { role: string }) => entry.role)).toEqual(['user', 'assistant']);
    expect(JSON.stringify(transcript.body.items[1].content)).toContain('the deploy went fine');

    const turns = await call(harness, 'GET', `/api/sessions/${id}/turns`);
    expect(turns.body.items).toEqual([
      expect.objectContaining({
        sessionId: id,
        status: 'succeeded',
        attempts: 1,
        model: 'fake-model',
        inputTokens: 120,
        outputTokens: 30,
      }),
    ]);
    expect(turns.body.items[0]).toHaveProperty('costUsd');

    expect((await call(harness, 'GET', `/api/sessions/${id}/egress`)).body).toEqual({ items: [] });
    const base = { sessionId: id, port: 443, bytesUp: 0, bytesDown: 0, startedAt: 1, durationMs: 3 };
    await harness.store.egressRequests.add({
      ...base,
      method: 'CONNECT',
      host: 'api.example.com',
      address: '203.0.113.9',
      allowed: true,
      bytesDown: 900,
    });
    await harness.store.egressRequests.add({
      ...base,
      method: 'GET',
      host: 'evil.example.net',
      allowed: false,
      reason: 'domain evil.example.net is not on the allowlist',
    });
    const egress = await call(harness, 'GET', `/api/sessions/${id}/egress?limit=1`);
    expect(egress.status).toBe(200);
    expect(egress.body.items).toEqual([expect.objectContaining({ host: 'api.example.com', allowed: true, bytesDown: 900 })]);
    expect((await call(harness, 'GET', `/api/sessions/${id}/egress?cursor=${egress.body.next}`)).body.items).toEqual([
      expect.objectContaining({
        host: 'evil.example.net',
        allowed: false,
        reason: 'domain evil.example.net is not on the allowlist',
      }),
    ]);
    expect((await call(harness, 'GET', '/api/sessions/ghost/egress')).status).toBe(404);
  });

  it('searches messages by words, chat, sender and time, newest first, in pages', async () => {
    const one = await wiredChat(harness, 'search-one');
    const two = await harness.store.chats.upsert({ channel: 'fake', platformChatId: 'search-two', name: 'two', isGroup: true });
    const insert = (chatId: string, platformMessageId: string, text: string, senderId: string, timestamp: number) =>
      harness.store.messages.insert({
        chatId,
        platformMessageId,
        text,
        senderId,
        timestamp,
        mentionsBot: false,
        direction: 'inbound',
      });
    const a = (await insert(one.id, 's1', 'Rollout of the release', 'zed', 1_000)).message;
    const b = (await insert(two.id, 's2', 'the RELEASE notes', 'bob', 2_000)).message;
    const c = (await insert(two.id, 's3', 'lunch plans', 'zed', 3_000)).message;
    const ids = async (query: string) => {
      const answer = await call(harness, 'GET', `/api/messages?${query}`);
      expect(answer.status, query).toBe(200);
      return answer.body.items.map((message: { id: string }) => message.id);
    };
    expect(await ids('q=release')).toEqual([b.id, a.id]);
    expect(await ids(`q=release&chat=${one.id}`)).toEqual([a.id]);
    expect(await ids('q=release&sender=bob')).toEqual([b.id]);
    expect(await ids('sender=zed&from=1970-01-01T00:00:01Z&to=3000')).toEqual([c.id, a.id]);
    expect(await ids('from=2000&to=2000')).toEqual([b.id]);
    expect(await ids('q=NEAR(release')).toEqual([]);
    const latest = await ids('limit=2');
    expect(latest).toHaveLength(2);
    const page = await call(harness, 'GET', '/api/messages?sender=zed&limit=1');
    expect(page.body.items.map((message: { id: string }) => message.id)).toEqual([c.id]);
    expect(await ids(`sender=zed&limit=1&cursor=${page.body.next}`)).toEqual([a.id]);
  });

  it('refuses an invalid time range or cursor', async () => {
    for (const query of ['from=yesterday', 'to=2026-13-45T00:00:00Z', 'from=3000&to=2000', 'from=-5']) {
      const answer = await call(harness, 'GET', `/api/messages?${query}`);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.message, query).toMatch(/^query\.(from|to): /);
    }
    const cursor = await call(harness, 'GET', `/api/messages?cursor=${Buffer.from('c1:ghost').toString('base64url')}`);
    expect(cursor.status).toBe(400);
    expect(cursor.body.error.code).toBe('invalid_cursor');
  });
});
