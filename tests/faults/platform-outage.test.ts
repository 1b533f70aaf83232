import { NgbError } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { startTelegramGateway, type TelegramGateway } from './telegram-gateway';

let parts: TelegramGateway | undefined;
afterEach(async () => {
  await parts?.close();
  parts = undefined;
});

const minute = 60_000;
const sends = (current: TelegramGateway) =>
  current.telegram.calls
    .filter((call) => call.method === 'sendMessage')
    .map((call) => ({ text: call.params.text, status: call.status }));

describe('the platform answering 500 for a minute, then recovering', () => {
  it('delivers every reply queued meanwhile exactly once, in order per chat, with the default retry schedule', async () => {
    parts = await startTelegramGateway();
    const { telegram } = parts;
    telegram.startOutage({ status: 500 }, ['sendMessage']);
    await parts.say(1001, 'a1');
    await parts.say(-2002, 'b1');
    await parts.say(1001, 'a2');
    await parts.say(-2002, 'b2');
    await parts.say(1001, 'a3');
    await parts.advance(minute);
    // Only the oldest reply of each chat was tried while the platform failed: the others waited behind it.
    const failed = sends(parts).filter((send) => send.status === 500);
    expect(new Set(failed.map((send) => send.text))).toEqual(new Set(['echo: a1', 'echo: b1']));
    expect(telegram.sent.filter((sent) => sent.method === 'sendMessage')).toEqual([]);

    telegram.endOutage();
    await parts.advance(5 * minute);
    expect(parts.sentTo(1001)).toEqual(['echo: a1', 'echo: a2', 'echo: a3']);
    expect(parts.sentTo(-2002)).toEqual(['echo: b1', 'echo: b2']);
    expect(sends(parts).filter((send) => send.status === 200)).toHaveLength(5);
    expect(await parts.store.outbox.listFailed()).toEqual([]);
    expect(parts.events.filter((event) => event.type === 'delivery.failed' && event.permanent)).toEqual([]);
  });
});

describe('a reply that cannot be delivered (a dead letter)', () => {
  it('is kept with its error, reported once in the owner chat, and delivered when retried after its session was released', async () => {
    parts = await startTelegramGateway();
    const { telegram, gateway, store } = parts;
    telegram.failNext('sendMessage', { status: 403, description: 'Forbidden: bot was kicked from the group chat' });
    await parts.say(-2002, 'hello family');
    const [dead] = await store.outbox.listFailed();
    expect(dead).toMatchObject({
      chatId: '-2002',
      text: 'echo: hello family',
      status: 'failed',
      attempts: 1,
      permanentFailure: true,
      failedAt: parts.clock.now(),
    });
    expect(dead?.error).toContain('bot was kicked');
    expect(parts.sentTo(1001)).toEqual([
      expect.stringMatching(
        /^A reply to Family \(telegram:-2002\) could not be delivered after 1 attempt: .*bot was kicked.*\. It is kept: retry it under Failed deliveries in the dashboard\.$/,
      ),
    ]);
    expect(parts.events).toContainEqual(
      expect.objectContaining({ type: 'delivery.failed', outboxId: dead?.id, permanent: true }),
    );

    // The session's lease is released once it has no work left; a retry takes it again to deliver.
    await parts.advance(2 * minute, 10_000);
    const retried = await gateway.retryDelivery(dead?.id ?? '');
    expect(retried).toMatchObject({ status: 'pending', attempts: 0 });
    await parts.advance(1_000);
    expect(parts.sentTo(-2002)).toEqual(['echo: hello family']);
    expect(await store.outbox.listFailed()).toEqual([]);
    expect(parts.events).toContainEqual(expect.objectContaining({ type: 'delivery.retried', outboxId: dead?.id }));
    const again = await gateway.retryDelivery(dead?.id ?? '').catch((error: unknown) => error);
    expect(NgbError.isInstance(again) && again.code).toBe('outbox_not_failed');
  });

  it('never reports a failure in the owner chat itself, nor a notice that failed: no loop', async () => {
    parts = await startTelegramGateway({ deliveryRetryDelaysMs: [1_000] });
    const { telegram, store } = parts;
    telegram.startOutage({ status: 502 }, ['sendMessage']);
    await parts.say(-2002, 'in the group');
    await parts.say(1001, 'in the owner chat');
    await parts.advance(30_000);
    const failed = await store.outbox.listFailed();
    // The group's reply, the owner chat's reply, and the one notice about the group's reply.
    expect(failed.map((entry) => entry.text).sort()).toEqual([
      expect.stringMatching(/^A reply to Family \(telegram:-2002\) could not be delivered after 2 attempts: /),
      'echo: in the group',
      'echo: in the owner chat',
    ]);
    expect(failed.every((entry) => entry.attempts === 2 && !entry.permanentFailure)).toBe(true);
    expect(await store.outbox.listPending()).toEqual([]);
  });
});
