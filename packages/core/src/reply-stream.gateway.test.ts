import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { definePlugin } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingChannel, type ManualClock, type RecordingChannel } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type HarnessOptions } from './__tests__/gateway-harness';
import { interruptedNote } from './reply-stream';

let directory: string | undefined;
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  if (directory) rmSync(directory, { recursive: true, force: true });
  directory = undefined;
});

const start = Date.UTC(2026, 0, 1);
const streaming = { stream: { firstAfterChars: 5, firstAfterMs: 1_000, editIntervalMs: 1_000 } };
const streamChannel = (): RecordingChannel =>
  createRecordingChannel({ name: 'stream', limits: { maxMessageLength: 4096 }, capabilities: { edit: true } });

async function wiredHarness(options: HarnessOptions, existing = false): Promise<Harness> {
  const created = await createHarness(options);
  if (existing) return created;
  const agent = await created.addAgent('andy');
  const chat = await created.store.chats.upsert({
    channel: 'stream',
    platformChatId: 'c1',
    name: 'c1',
    isGroup: false,
    status: 'active',
    unknownSenderPolicy: 'public',
  });
  await created.store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
  return created;
}

const inbound = (text: string) => ({
  channel: 'stream',
  chat: { id: 'c1', isGroup: false },
  sender: { id: 'user-1', name: 'User One', isBot: false },
  text,
  mentionsBot: false,
  platformMessageId: 'p1',
  timestamp: 1,
});

// Stops a gateway whose turn is stuck mid-stream: the grace period runs on the manual clock.
async function stopMidTurn(stopping: Harness, clock: ManualClock): Promise<void> {
  let closed = false;
  const closing = stopping.close().then(() => {
    closed = true;
  });
  while (!closed) await clock.advance(1_000);
  await closing;
}

/** Waits (in real time, the model server being real) until `check` holds. */
async function waitFor(check: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 10_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('streamed replies', () => {
  it('are off by default: an edit-capable channel gets the reply as one message, never edited', async () => {
    const channel = streamChannel();
    harness = await wiredHarness({ channels: [channel], clock: createManualClock(start) });
    await harness.gateway.receive(inbound('hello there'));
    await harness.gateway.idle();
    expect(channel.sent.map((sent) => sent.message.text)).toEqual(['echo: hello there']);
    expect(channel.sent[0]?.message.streaming).toBeUndefined();
    expect(channel.edits).toEqual([]);
  });

  it('warns once at start for a channel that cannot edit, and sends its replies whole', async () => {
    harness = await createHarness({ streaming: { fake: {} }, clock: createManualClock(start) });
    const warnings = harness.logger.lines.filter((line) => line.level === 'warn' && line.message.includes('streaming'));
    expect(warnings.map((line) => line.fields)).toEqual([{ channel: 'fake' }]);
    const agent = await harness.addAgent('andy');
    await harness.addChat('c1', { agent });
    await harness.say('hi');
    expect(harness.texts()).toEqual(['echo: hi']);
  });

  it('completes the reply after a restart mid-stream by editing the message already sent, never sending it twice', async () => {
    directory = mkdtempSync(join(tmpdir(), 'ngb-reply-stream-'));
    const storePath = join(directory, 'ngb.db');
    const platform = streamChannel();
    const firstClock = createManualClock(start);
    harness = await wiredHarness({
      storePath,
      clock: firstClock,
      channels: [platform],
      streaming,
      script: [{ type: 'reply', text: ['Hello ', 'there, ', 'friend'], fault: { kind: 'stall', afterDeltas: 2 } }],
    });
    await harness.gateway.receive(inbound('are you there?'));
    const [first] = await platform.waitForSends(1);
    expect(first?.message.text).toBe('Hello there,');
    await stopMidTurn(harness, firstClock);
    harness = undefined;

    // The platform keeps its messages; a new process on the same database takes the turn up again.
    const final = 'Hello there, friend. All done.';
    harness = await wiredHarness(
      {
        storePath,
        clock: createManualClock(start + 61_000),
        channels: [platform],
        streaming,
        script: [{ type: 'reply', text: final }],
      },
      true,
    );
    await harness.gateway.idle();

    expect(platform.sent.map((sent) => sent.platformMessageId)).toEqual([first?.platformMessageId]);
    const last = platform.edits.at(-1);
    expect(last).toMatchObject({ platformMessageId: first?.platformMessageId, text: final, format: 'markdown' });
    const delivered = harness.events.flatMap((event) => (event.type === 'delivery.sent' ? [event.outboxId] : []));
    expect(delivered).toHaveLength(1);
    const reply = await harness.store.outbox.get(delivered[0] ?? '');
    expect(reply).toMatchObject({ status: 'sent', text: final, streaming: false, streamMessageIds: [first?.platformMessageId] });
    expect(reply?.key).toMatch(/:reply$/);
    expect(await harness.store.outbox.listPending()).toEqual([]);
    expect(harness.llm.requests()).toHaveLength(1);
  });

  it('takes back the text of a model call cut mid-stream, and completes the same message when the call is sent again', async () => {
    const channel = streamChannel();
    const clock = createManualClock(start);
    harness = await wiredHarness({
      clock,
      channels: [channel],
      streaming,
      retryDelaysMs: [5_000],
      script: [
        { type: 'reply', text: ['Working ', 'on it ', 'now'], fault: { kind: 'cut', afterDeltas: 2 } },
        { type: 'reply', text: 'Done: all good.' },
      ],
    });
    await harness.gateway.receive(inbound('do it'));
    await waitFor(() => clock.pendingDelays().includes(5_000), 'the model call to wait for its retry');
    expect(channel.sent.map((sent) => sent.message.text)).toEqual(['Working on it']);
    // The channel is told the message will be edited as the reply grows (Feishu sends a card for it).
    expect(channel.sent[0]?.message.streaming).toBe(true);
    await clock.advance(5_000);
    await harness.gateway.idle();
    expect(channel.sent).toHaveLength(1);
    expect(channel.edits.map((edit) => edit.text).filter((text) => text.includes('Working'))).toEqual([]);
    expect(channel.edits.at(-1)).toMatchObject({
      platformMessageId: channel.sent[0]?.platformMessageId,
      text: 'Done: all good.',
    });
  });

  it('marks a reply interrupted when its model call fails for good, and the chat is told once', async () => {
    const channel = streamChannel();
    harness = await wiredHarness({
      clock: createManualClock(start),
      channels: [channel],
      streaming,
      retryDelaysMs: [],
      script: [{ type: 'reply', text: ['Working ', 'on it ', 'now'], fault: { kind: 'cut', afterDeltas: 2 } }],
    });
    await harness.gateway.receive(inbound('do it'));
    await harness.gateway.idle();
    expect(channel.sent[0]?.message.text).toBe('Working on it');
    expect(channel.edits.map((edit) => edit.text)).toEqual([`Working on it\n\n${interruptedNote}`]);
    expect(channel.sent.slice(1).map((sent) => sent.message.text)).toEqual([
      'Sorry, I could not answer that (LlmApiError). Please try again later.',
    ]);
  });

  it("gives plugins' message:sending the final text, which replaces the streamed text with one last edit", async () => {
    const channel = streamChannel();
    const plugin = definePlugin({
      name: 'signed',
      version: '1.0.0',
      setup(api) {
        api.on('message:sending', ({ message }) => ({ ...message, text: `${message.text} (signed)` }));
      },
    });
    harness = await wiredHarness({ clock: createManualClock(start), channels: [channel], streaming, plugins: [{ plugin }] });
    await harness.gateway.receive(inbound('sign this'));
    await harness.gateway.idle();
    expect(channel.sent.map((sent) => sent.message.text)).toEqual(['echo: sign this']);
    expect(channel.edits.map((edit) => edit.text)).toEqual(['echo: sign this (signed)']);
  });
});
