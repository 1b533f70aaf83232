import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

const clock = createManualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
let harness: ServerHarness;
beforeAll(async () => {
  harness = await createServerHarness({ gateway: { clock, approvalTtlMs: 60_000 }, server: { clock } });
});
afterAll(() => harness.close());

async function pendingFor(platformChatId: string) {
  await harness.channel.inject({
    text: 'hello?',
    chat: { id: platformChatId, name: platformChatId, isGroup: false },
    sender: { id: 'stranger' },
  });
  const chat = await harness.store.chats.getByPlatformId('fake', platformChatId);
  const list = await call(harness, 'GET', '/api/approvals?status=pending');
  const approval = list.body.items.find((item: { chatId: string }) => item.chatId === chat?.id);
  expect(approval).toMatchObject({ kind: 'chat', status: 'pending' });
  return { chat, approval };
}

describe('approvals', () => {
  it('lists a new chat waiting for approval, and approves it by its code: the chat becomes active', async () => {
    const { chat, approval } = await pendingFor('new-chat');
    expect(chat?.status).toBe('pending');
    const approved = await call(harness, 'POST', `/api/approvals/${approval.code}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: approval.id, status: 'approved', resolvedAt: clock.now() });
    expect((await harness.store.chats.get(chat?.id ?? ''))?.status).toBe('active');
    expect(
      (await call(harness, 'GET', '/api/approvals?status=approved')).body.items.map((item: { id: string }) => item.id),
    ).toContain(approval.id);
    const twice = await call(harness, 'POST', `/api/approvals/${approval.code}/deny`);
    expect(twice.status).toBe(404);
  });

  it('denies a chat', async () => {
    const { chat, approval } = await pendingFor('deny-me');
    const denied = await call(harness, 'POST', `/api/approvals/${approval.code.toLowerCase()}/deny`);
    expect(denied.body).toMatchObject({ status: 'denied' });
    expect((await harness.store.chats.get(chat?.id ?? ''))?.status).toBe('denied');
  });

  it('answers 409 for an expired code, 404 for an unknown one, 400 for a malformed one', async () => {
    const { chat, approval } = await pendingFor('too-late');
    await clock.advance(60_001);
    const expired = await call(harness, 'POST', `/api/approvals/${approval.code}/approve`);
    expect(expired.status).toBe(409);
    expect(expired.body.error.code).toBe('approval_expired');
    expect((await harness.store.chats.get(chat?.id ?? ''))?.status).toBe('pending');
    expect((await call(harness, 'POST', '/api/approvals/ZZZZ9999/approve')).status).toBe(404);
    expect((await call(harness, 'POST', '/api/approvals/not-a-code!/approve')).status).toBe(400);
    expect((await call(harness, 'GET', '/api/approvals?status=expired')).status).toBe(400);
  });
});
