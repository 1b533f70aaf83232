import { createManualClock } from '@ngb/plugin-sdk/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, wiredChat } from '../__tests__/api-client';
import { createServerHarness, type ServerHarness } from '../__tests__/server-harness';

const clock = createManualClock(Date.UTC(2026, 5, 1, 12, 0, 0));
let harness: ServerHarness;
beforeAll(async () => {
  harness = await createServerHarness({ gateway: { clock, deliveryRetryDelaysMs: [] }, server: { clock } });
});
afterAll(() => harness.close());

describe('failed deliveries', () => {
  it('lists a reply the platform would not take, and retries it: sent, gone from the list, a second retry 409', async () => {
    await wiredChat(harness, 'c-dead');
    harness.channel.failNextSends(1);
    await harness.channel.inject({ text: 'hello <b>', chat: { id: 'c-dead', isGroup: false }, sender: { id: 'u1' } });
    await harness.gateway.idle();
    const list = await call(harness, 'GET', '/api/deliveries/failed');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([
      expect.objectContaining({
        channel: 'fake',
        chatId: 'c-dead',
        chatName: 'chat c-dead',
        text: 'echo: hello <b>',
        attempts: 1,
        refused: false,
        failedAt: clock.now(),
        error: expect.stringContaining('unavailable'),
      }),
    ]);
    const [dead] = list.body.items;

    const retried = await call(harness, 'POST', `/api/deliveries/${dead.id}/retry`);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: dead.id, attempts: 0 });
    expect(retried.body.failedAt).toBeUndefined();
    await harness.gateway.idle();
    expect(harness.channel.sent.map((sent) => sent.message.text)).toContain('echo: hello <b>');
    expect((await call(harness, 'GET', '/api/deliveries/failed')).body.items).toEqual([]);

    const twice = await call(harness, 'POST', `/api/deliveries/${dead.id}/retry`);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('outbox_not_failed');
    expect((await call(harness, 'POST', '/api/deliveries/no-such-id/retry')).status).toBe(404);
    expect((await call(harness, 'POST', '/api/deliveries/bad%20id!/retry')).status).toBe(400);
  });
});
