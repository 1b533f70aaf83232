import { ChannelApiError } from '@ngb/plugin-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createRecordingContext,
  createTelegramChannelHarness,
  harnessStoreError,
  harnessWebhookSecret,
} from './testing/telegram-channel-harness';

const polling = createTelegramChannelHarness('polling');
const webhook = createTelegramChannelHarness('webhook');
let disposers: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const dispose of disposers.reverse()) await dispose();
  disposers = [];
});

async function started(harness = polling) {
  const recording = createRecordingContext();
  const channel = await harness.create();
  disposers.push(async () => {
    await channel.stop();
    await harness.dispose?.();
  });
  await channel.start(recording.context);
  return { channel, recording, fake: harness.fake, clock: harness.clock };
}

const getUpdatesCalls = (fake: typeof polling.fake) => fake.calls.filter((call) => call.method === 'getUpdates');
const states = (recording: ReturnType<typeof createRecordingContext>) => recording.statuses.map((status) => status.state);

describe('Telegram long polling', () => {
  it('refuses to start with a rejected token: a 401 the core marks failed', async () => {
    const harness = createTelegramChannelHarness('polling');
    const channel = await harness.create();
    disposers.push(async () => harness.dispose?.());
    harness.fake.revokeToken();
    const error = await channel.start(createRecordingContext().context).catch((caught: unknown) => caught);
    expect(ChannelApiError.isInstance(error) && error.status).toBe(401);
    expect((error as Error).message).toMatch(/^\[@ngb\/channel-telegram\] getMe: token rejected \(401 Unauthorized\)/);
  });

  it('removes a webhook left from webhook mode before polling, and polls with the allowed updates', async () => {
    const { fake, recording } = await started();
    await recording.until(() => getUpdatesCalls(fake)[0], 'the first poll');
    expect(fake.calls.map((call) => call.method).slice(0, 3)).toEqual(['getMe', 'deleteWebhook', 'getUpdates']);
    expect(getUpdatesCalls(fake)[0]?.params).toEqual({
      offset: 0,
      timeout: 50,
      allowed_updates: ['message', 'edited_message', 'callback_query'],
    });
  });

  it('reports a poll that neither answers nor fails as degraded, polls again, and is connected once updates flow', async () => {
    const { fake, recording, clock } = await started();
    await recording.until(() => getUpdatesCalls(fake)[0], 'the first poll');
    fake.goSilent();
    await fake.injectMessage({ chatId: 1001, text: 'said while deaf' });
    await clock.advance(64_999);
    expect(states(recording)).not.toContain('degraded');
    await clock.advance(1);
    expect(recording.statuses.at(-1)).toEqual({
      state: 'degraded',
      detail: 'getUpdates neither answered nor failed within 65000 ms; polling again',
    });
    fake.resume();
    const message = await recording.until(() => recording.received[0], 'the message after the silence');
    expect(message.text).toBe('said while deaf');
    await recording.until(() => (recording.statuses.at(-1)?.state === 'connected' ? true : undefined), 'connected again');
  });

  it('waits with backoff after a 5xx, and polls again', async () => {
    const { fake, recording, clock } = await started();
    await recording.until(() => getUpdatesCalls(fake)[0], 'the first poll');
    fake.failNext('getUpdates', { status: 502 });
    await fake.injectMessage({ chatId: 1001, text: 'one' });
    await recording.until(() => (states(recording).includes('disconnected') ? true : undefined), 'the failed poll');
    expect(recording.statuses.at(-1)).toMatchObject({ state: 'disconnected', error: expect.stringContaining('getUpdates: 502') });
    const polls = getUpdatesCalls(fake).length;
    expect(clock.pendingDelays()).toEqual([1_000]);
    await clock.advance(1_000);
    await recording.until(() => (getUpdatesCalls(fake).length > polls ? true : undefined), 'the next poll');
    await fake.injectMessage({ chatId: 1001, text: 'two' });
    await recording.until(() => recording.received[1], 'the message after the failure');
    expect(recording.statuses.at(-1)).toEqual({ state: 'connected' });
  });

  it('reconnects after the connection drops, with backoff', async () => {
    const { fake, recording, clock } = await started();
    await recording.until(() => getUpdatesCalls(fake)[0], 'the first poll');
    fake.dropConnections();
    await recording.until(() => (states(recording).includes('disconnected') ? true : undefined), 'the dropped poll');
    expect(recording.statuses.at(-1)).toMatchObject({ state: 'disconnected', error: expect.stringContaining('network error') });
    expect(clock.pendingDelays()).toEqual([1_000]);
    await clock.advance(1_000);
    await fake.injectMessage({ chatId: 1001, text: 'after the drop' });
    expect((await recording.until(() => recording.received[0], 'the message after the drop')).text).toBe('after the drop');
    expect(recording.statuses.at(-1)).toEqual({ state: 'connected' });
  });

  it('waits exactly retry_after after a 429', async () => {
    const { fake, recording, clock } = await started();
    await recording.until(() => getUpdatesCalls(fake)[0], 'the first poll');
    fake.failNext('getUpdates', { status: 429, retryAfter: 7 });
    await fake.injectMessage({ chatId: 1001, text: 'one' });
    await recording.until(() => (states(recording).includes('disconnected') ? true : undefined), 'the refused poll');
    const polls = getUpdatesCalls(fake).length;
    await clock.advance(6_999);
    expect(getUpdatesCalls(fake)).toHaveLength(polls);
    await clock.advance(1);
    await recording.until(() => (getUpdatesCalls(fake).length > polls ? true : undefined), 'the poll after retry_after');
  });

  it('stops for good on a 401 while running: failed, and no more polls however long it waits', async () => {
    const { fake, recording, clock } = await started();
    await recording.until(() => getUpdatesCalls(fake)[0], 'the first poll');
    fake.revokeToken();
    await fake.injectMessage({ chatId: 1001, text: 'last words' });
    await recording.until(() => (states(recording).includes('failed') ? true : undefined), 'the failed status');
    expect(recording.statuses.filter((status) => status.state === 'failed')).toEqual([
      { state: 'failed', error: expect.stringContaining('token rejected (401)') },
    ]);
    const calls = fake.calls.length;
    await clock.advance(600_000);
    expect(fake.calls).toHaveLength(calls);
  });

  it('fetches again an update the core could not store, with the same ids, and stores it once', async () => {
    const { fake, recording, clock } = await started();
    recording.failNext();
    await fake.injectMessage({ chatId: 1001, text: 'keep me' });
    await recording.until(() => recording.attempted[0], 'the failed receive');
    await clock.advance(1_000);
    const stored = await recording.until(() => recording.received[0], 'the stored message');
    expect(recording.attempted).toHaveLength(2);
    expect(stored).toEqual(recording.attempted[0]);
  });

  it('says in the log of the running channel why an update was not stored, at each attempt (a full disk is never silent)', async () => {
    const { fake, recording, clock } = await started();
    recording.failNext(2);
    const update = await fake.injectMessage({ chatId: 1001, text: 'said while the disk is full' });
    const notStored = {
      level: 'error',
      tag: '',
      message: 'telegram update not stored; fetching it again',
      fields: { updateId: update.update_id, error: harnessStoreError },
    };
    await recording.until(() => recording.logged[0], 'the first log line');
    expect(recording.logged).toEqual([notStored]);
    await clock.advance(1_000);
    await recording.until(() => recording.logged[1], 'the second log line');
    expect(recording.logged).toEqual([notStored, notStored]);
    await clock.advance(1_000);
    expect((await recording.until(() => recording.received[0], 'the stored message')).text).toBe('said while the disk is full');
    expect(recording.logged).toHaveLength(2);
  });

  it('reports degraded while the core has not taken an update within the watchdog, and connected once it has', async () => {
    const { fake, recording, clock } = await started();
    const release = recording.holdNext();
    // Stopping waits for the hand-over: let it end even when an assertion below fails.
    disposers.push(async () => release());
    const update = await fake.injectMessage({ chatId: 1001, text: 'held by the core' });
    await recording.until(() => recording.attempted[0], 'the hand-over');
    await clock.advance(64_999);
    expect(states(recording)).not.toContain('degraded');
    await clock.advance(1);
    expect(recording.statuses.at(-1)).toEqual({
      state: 'degraded',
      detail: `the core has not taken update ${update.update_id} within 65000 ms; still waiting`,
    });
    expect(recording.logged.map((line) => line.message)).toEqual(['telegram update not taken']);
    release();
    expect((await recording.until(() => recording.received[0], 'the stored message')).text).toBe('held by the core');
    await recording.until(() => (recording.statuses.at(-1)?.state === 'connected' ? true : undefined), 'connected again');
  });

  it('polls on after a fault of its own (a status the app could not take): polling never ends but by stop or a 401', async () => {
    const { fake, recording, clock } = await started();
    await recording.until(() => getUpdatesCalls(fake)[0], 'the first poll');
    recording.failStatusNext();
    fake.failNext('getUpdates', { status: 502 });
    // The pending poll takes this one; the next poll fails, and its status is refused.
    await fake.injectMessage({ chatId: 1001, text: 'before the fault' });
    await recording.until(
      () => recording.logged.find((line) => line.message === 'telegram polling failed; polling again'),
      'the fault logged',
    );
    expect(recording.statuses.at(-1)).toEqual({ state: 'disconnected', error: 'status not taken' });
    await clock.advance(2_000);
    await fake.injectMessage({ chatId: 1001, text: 'after the fault' });
    expect((await recording.until(() => recording.received[1], 'the message after the fault')).text).toBe('after the fault');
    expect(recording.statuses.at(-1)).toEqual({ state: 'connected' });
  });

  it('a new process gets the updates the last one never confirmed, with identical ids', async () => {
    const first = await started();
    first.recording.failNext(100);
    await first.fake.injectMessage({ chatId: 1001, text: 'across a restart' });
    const lost = await first.recording.until(() => first.recording.attempted[0], 'the failed receive');
    await first.channel.stop();
    const { createTelegramChannel } = await import('./telegram-channel');
    const second = createTelegramChannel({ botToken: first.fake.token, apiRoot: first.fake.apiRoot });
    const recording = createRecordingContext();
    await second.start(recording.context);
    disposers.push(() => second.stop());
    expect(await recording.until(() => recording.received[0], 'the redelivered message')).toEqual(lost);
  });
});

describe('Telegram webhook mode', () => {
  it('sets the webhook with the public URL and the secret at start, and receives what Telegram posts', async () => {
    const { fake, recording } = await started(webhook);
    expect(fake.webhook).toEqual({
      url: expect.stringMatching(/\/channels\/telegram\/webhook$/),
      secretToken: harnessWebhookSecret,
    });
    expect(fake.calls.find((call) => call.method === 'setWebhook')?.params).toMatchObject({
      allowed_updates: ['message', 'edited_message', 'callback_query'],
    });
    await fake.injectMessage({ chatId: 1001, text: 'pushed to us' });
    expect(recording.received.map((message) => message.text)).toEqual(['pushed to us']);
    expect(fake.webhookDeliveries.map((delivery) => delivery.status)).toEqual([200]);
  });

  it('answers 403 without calling receive when the secret is missing or wrong, 400 for a body that is no update', async () => {
    const { channel, fake, recording } = await started(webhook);
    const update = JSON.stringify(fake.buildMessageUpdate({ chatId: 1001, text: 'forged' }));
    const post = (headers: Record<string, string>, body = update) =>
      channel.handleWebhook?.(new Request('http://127.0.0.1/channels/telegram/webhook', { method: 'POST', headers, body }));
    expect((await post({}))?.status).toBe(403);
    expect((await post({ 'x-telegram-bot-api-secret-token': `${harnessWebhookSecret}x` }))?.status).toBe(403);
    expect((await post({ 'x-telegram-bot-api-secret-token': harnessWebhookSecret }, '{"no":'))?.status).toBe(400);
    expect((await post({ 'x-telegram-bot-api-secret-token': harnessWebhookSecret }, '{"message":{}}'))?.status).toBe(400);
    expect(recording.attempted).toEqual([]);
    expect((await post({ 'x-telegram-bot-api-secret-token': harnessWebhookSecret }))?.status).toBe(200);
    expect(recording.received.map((message) => message.text)).toEqual(['forged']);
  });

  it('answers 503 before start and after stop', async () => {
    const harness = createTelegramChannelHarness('webhook');
    const channel = await harness.create();
    disposers.push(async () => harness.dispose?.());
    const request = () =>
      new Request('http://127.0.0.1/channels/telegram/webhook', {
        method: 'POST',
        headers: { 'x-telegram-bot-api-secret-token': harnessWebhookSecret },
        body: '{"update_id":1}',
      });
    expect((await channel.handleWebhook?.(request()))?.status).toBe(503);
    await channel.start(createRecordingContext().context);
    expect((await channel.handleWebhook?.(request()))?.status).toBe(200);
    await channel.stop();
    expect((await channel.handleWebhook?.(request()))?.status).toBe(503);
  });

  it('has no webhook entry point in polling mode', async () => {
    const { channel } = await started();
    expect(channel.handleWebhook).toBeUndefined();
  });
});
