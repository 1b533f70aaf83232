import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agent, Clock, InboundMessage } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingChannel, type RecordingChannel } from '@ngb/plugin-sdk/testing';
import { createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGatedModel, type GatedModel } from './__tests__/gated-model';
import { createGateway } from './create-gateway';
import type { Gateway } from './gateway-options';

type SqliteStore = Awaited<ReturnType<typeof createSqliteStore>>;

let directory: string;
let store: SqliteStore;
let agent: Agent;
let running: Array<{ gateway: Gateway; stopped: boolean }> = [];
let counter = 0;

beforeEach(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ngb-lane-'));
  store = await createSqliteStore({ path: join(directory, 'ngb.db') });
  agent = await store.agents.create({ folder: 'andy', name: 'andy', isMain: false });
  const chat = await store.chats.upsert({
    channel: 'fake',
    platformChatId: 'c1',
    name: 'chat c1',
    isGroup: false,
    status: 'active',
    unknownSenderPolicy: 'public',
  });
  await store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared', accumulate: false });
  const boss = await store.users.upsert({ channel: 'fake', platformUserId: 'boss' });
  await store.users.grantRole(boss.id, 'admin');
});
afterEach(async () => {
  for (const entry of running) if (!entry.stopped) await entry.gateway.stop({ graceMs: 0 });
  running = [];
  await store.close();
  rmSync(directory, { recursive: true, force: true });
});

async function startGateway(model: GatedModel, clock?: Clock): Promise<{ gateway: Gateway; channel: RecordingChannel }> {
  const channel = createRecordingChannel({ name: 'fake', limits: { maxMessageLength: 4096 } });
  const gateway = createGateway({
    store,
    runtime: createLocalRuntime({ maxSandboxes: 1 }),
    providers: { default: model.provider },
    channels: [channel],
    agentsDirectory: directory,
    price: (model) => (model === 'priced-model' ? { input: 1_000_000, output: 2_000_000 } : undefined),
    ...(clock ? { clock } : {}),
  });
  await gateway.start();
  running.push({ gateway, stopped: false });
  return { gateway, channel };
}

function say(gateway: Gateway, text: string): ReturnType<Gateway['receive']> {
  counter += 1;
  const message: InboundMessage = {
    kind: 'message',
    channel: 'fake',
    chat: { id: 'c1', isGroup: false },
    sender: { id: 'boss', name: 'Boss' },
    text,
    platformMessageId: `m-${counter}`,
    timestamp: Date.UTC(2026, 0, 1) + counter,
    mentionsBot: false,
  };
  return gateway.receive(message);
}

async function sessionId(): Promise<string> {
  const [session] = await store.sessions.list();
  if (!session) throw new Error('no session');
  return session.id;
}

const texts = (channel: RecordingChannel) => channel.sent.map((sent) => sent.message.text);

describe('admin commands in the session lane', () => {
  it('/clear arriving while a turn runs takes effect after its commit, and the next turn starts clean', async () => {
    const model = createGatedModel();
    const { gateway, channel } = await startGateway(model);
    await say(gateway, 'remember the number 42');
    const first = await model.call(0);
    // The turn is waiting for the model: the command arrives now.
    expect(await say(gateway, '/clear')).toMatchObject({ dropped: 'command /clear' });
    first.answer('noted: 42');
    await gateway.idle();
    expect(texts(channel)).toEqual(['noted: 42', 'andy: cleared 2 transcript entries.']);
    expect(await store.transcript.count(await sessionId())).toBe(0);

    await say(gateway, 'what was the number?');
    const next = await model.call(1);
    expect(JSON.stringify(next.request.messages)).not.toContain('42');
    next.answer('I do not know.');
    await gateway.idle();
    expect(texts(channel).at(-1)).toBe('I do not know.');
  });

  it('a message after a /clear waits for the command, and is not taken by the turn before it', async () => {
    const model = createGatedModel();
    const { gateway, channel } = await startGateway(model);
    await say(gateway, 'first');
    const first = await model.call(0);
    await say(gateway, '/clear');
    await say(gateway, 'second');
    first.answer('one');
    const second = await model.call(1);
    expect(JSON.stringify(second.request.messages)).not.toContain('first');
    expect(JSON.stringify(second.request.messages)).toContain('second');
    second.answer('two');
    await gateway.idle();
    expect(texts(channel)).toEqual(['one', 'andy: cleared 2 transcript entries.', 'two']);
  });

  it('/compact: receive never waits for the model, a stop aborts it, and a later run records its usage', async () => {
    const session = (
      await store.sessions.getOrCreate({ agentId: agent.id, chatId: (await store.chats.list())[0]?.id ?? '', threadId: null })
    ).session;
    await store.transcript.append(session.id, [
      { role: 'user', content: { role: 'user', content: 'remember 42' } },
      { role: 'assistant', content: { role: 'assistant', content: 'noted' } },
    ]);
    const silent = createGatedModel();
    const { gateway, channel } = await startGateway(silent);
    // The model never answers: receive still resolves.
    expect(await say(gateway, '/compact')).toMatchObject({ dropped: 'command /compact' });
    await silent.call(0);
    await gateway.stop({ graceMs: 0 });
    const entry = running.at(-1);
    if (entry) entry.stopped = true;
    expect(silent.calls[0]?.request.signal?.aborted).toBe(true);
    expect(texts(channel)).toEqual([]);
    expect(await store.transcript.count(session.id)).toBe(2);
    const aborted = await store.turns.listForSession(session.id);
    expect(aborted.map((turn) => [turn.trigger, turn.status])).toEqual([['command', 'failed']]);
    expect((await store.inbox.listPending(session.id)).map((row) => row.kind)).toEqual(['command']);

    // The next start runs the command again, and records what the model call used.
    const model = createGatedModel();
    const next = await startGateway(model);
    const call = await model.call(0);
    call.answer('The user asked to remember 42.', { inputTokens: 120, outputTokens: 30, model: 'priced-model' });
    await next.gateway.idle();
    expect(texts(next.channel)).toEqual([expect.stringMatching(/^andy: compacted 2 entries into a summary /)]);
    const entries = await store.transcript.list(session.id);
    expect(entries.map((item) => item.content)).toEqual([
      { role: 'user', content: '<conversation_summary>\nThe user asked to remember 42.\n</conversation_summary>' },
    ]);
    const [compacted] = (await store.turns.listForSession(session.id)).filter((turn) => turn.status === 'succeeded');
    expect(compacted).toMatchObject({
      trigger: 'command',
      inputTokens: 120,
      outputTokens: 30,
      model: 'priced-model',
      costUsd: 120 + 60,
    });
    expect(await store.inbox.listPending(session.id)).toEqual([]);
  });
});

describe('a turn that lost its session lease', () => {
  it('leaves its turn row to the new holder instead of writing it back to queued', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    const model = createGatedModel();
    const { gateway } = await startGateway(model, clock);
    await say(gateway, 'hello');
    await model.call(0);
    const id = await sessionId();
    const [turn] = await store.turns.listForSession(id);
    expect(turn?.status).toBe('running');
    // This process stalls past its lease; another takes the session over and starts the turn again.
    const later = clock.now() + 30_001;
    expect(await store.leases.acquire(id, 'other-process', { now: later, expiresAt: later + 30_000 })).toBe(true);
    await store.turns.update(turn?.id ?? '', { status: 'running', attempts: 2 });
    // The renewal finds the lease taken and aborts the turn here.
    await clock.advance(10_000);
    await gateway.idle();
    expect(model.calls[0]?.request.signal?.aborted).toBe(true);
    expect(await store.turns.get(turn?.id ?? '')).toMatchObject({ status: 'running', attempts: 2 });
  });
});
