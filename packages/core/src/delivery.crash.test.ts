import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChannelAdapter, ChannelApiError } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingChannel, type RecordingChannel } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';
import { splitMessage } from './split-message';

let directory: string | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

const limits = { maxMessageLength: 12 };

/** A platform that takes `accepted` parts, then fails every send as if the process were going down. */
function failingAfter(accepted: number): { adapter: ChannelAdapter; recording: RecordingChannel } {
  const recording = createRecordingChannel({ name: 'long', limits });
  let sends = 0;
  const adapter: ChannelAdapter = {
    ...recording,
    start: (context) => recording.start(context),
    stop: () => recording.stop(),
    async send(address, message) {
      sends += 1;
      if (sends > accepted) throw new ChannelApiError('long', '[long] connection lost', { status: 503 });
      return recording.send(address, message);
    },
  };
  return { adapter, recording };
}

const inbound = (text: string) => ({
  channel: 'long',
  chat: { id: 'c1', isGroup: false },
  sender: { id: 'user-1', name: 'User One', isBot: false },
  text,
  mentionsBot: false,
  platformMessageId: 'p1',
  timestamp: 1,
});

describe('delivery of a long reply', () => {
  it('after a crash part-way, sends only the parts not sent yet', async () => {
    directory = mkdtempSync(join(tmpdir(), 'ngb-delivery-crash-'));
    const storePath = join(directory, 'ngb.db');
    const start = Date.UTC(2026, 0, 1);
    const first = failingAfter(2);
    harness = await createHarness({
      storePath,
      clock: createManualClock(start),
      channels: [first.adapter],
      deliveryRetryDelaysMs: [60_000],
    });
    const agent = await harness.addAgent('andy');
    const chat = await harness.store.chats.upsert({
      channel: 'long',
      platformChatId: 'c1',
      name: 'c1',
      isGroup: false,
      status: 'active',
      unknownSenderPolicy: 'public',
    });
    await harness.store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
    await harness.gateway.receive(inbound('one two three four five six seven'));
    await harness.gateway.idle();
    const parts = splitMessage('echo: one two three four five six seven', limits.maxMessageLength);
    expect(parts.length).toBeGreaterThan(3);
    expect(first.recording.sent.map((sent) => sent.message.text)).toEqual(parts.slice(0, 2));
    await harness.close();

    const second = createRecordingChannel({ name: 'long', limits });
    harness = await createHarness({ storePath, clock: createManualClock(start + 61_000), channels: [second] });
    await harness.gateway.idle();
    expect(second.sent.map((sent) => sent.message.text)).toEqual(parts.slice(2));
    const [entry] = await harness.store.outbox.listPending();
    expect(entry).toBeUndefined();
    expect(harness.llm.requests()).toHaveLength(0);
  });

  it('keeps a reply whose send fails while the gateway stops pending, and sends it after the restart', async () => {
    directory = mkdtempSync(join(tmpdir(), 'ngb-delivery-stop-'));
    const storePath = join(directory, 'ngb.db');
    const start = Date.UTC(2026, 0, 1);
    const recording = createRecordingChannel({ name: 'long', limits: { maxMessageLength: 4096 } });
    let failSend: (() => void) | undefined;
    let sendStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      sendStarted = resolve;
    });
    const adapter: ChannelAdapter = {
      ...recording,
      start: (context) => recording.start(context),
      stop: () => recording.stop(),
      send: () =>
        new Promise((_, reject) => {
          failSend = () => reject(new ChannelApiError('long', '[long] connection lost', { status: 503 }));
          sendStarted();
        }),
    };
    harness = await createHarness({ storePath, clock: createManualClock(start), channels: [adapter] });
    const agent = await harness.addAgent('andy');
    const chat = await harness.store.chats.upsert({
      channel: 'long',
      platformChatId: 'c1',
      name: 'c1',
      isGroup: false,
      status: 'active',
      unknownSenderPolicy: 'public',
    });
    await harness.store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
    await harness.gateway.receive(inbound('hello'));
    await started;
    // The platform connection drops because the process is shutting down: the reply is not lost for good.
    // It fails once the gateway has stopped delivering (the stop waits for the send in flight).
    const closing = harness.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    failSend?.();
    await closing;

    const second = createRecordingChannel({ name: 'long', limits: { maxMessageLength: 4096 } });
    harness = await createHarness({ storePath, clock: createManualClock(start + 3_600_000), channels: [second] });
    await harness.gateway.idle();
    expect(second.sent.map((sent) => sent.message.text)).toEqual(['echo: hello']);
    expect(await harness.store.outbox.listFailed()).toEqual([]);
  });
});
