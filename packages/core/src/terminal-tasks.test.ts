import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Agent } from '@ngb/plugin-sdk';
import { createManualClock, createRecordingChannel, type RecordingChannel } from '@ngb/plugin-sdk/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from './__tests__/gateway-harness';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const start = Date.UTC(2026, 0, 1);
const inOneHour = '2026-01-01T01:00:00Z';
const schedule = (prompt: string) => ({
  type: 'reply' as const,
  toolCalls: [{ name: 'schedule_task', input: { prompt, schedule_type: 'once', schedule_value: inOneHour } }],
});
const toolResults = (h: Harness) =>
  h.llm.requests().flatMap((request) => {
    const last = request.messages.at(-1);
    return last?.role === 'tool' ? [last.content] : [];
  });

/** A gateway whose `cli` channel is a terminal: its chats end with the command that opened them. */
async function setUp() {
  const clock = createManualClock(start);
  const terminal: RecordingChannel = createRecordingChannel({ name: 'cli' });
  const h = await createHarness({ clock, channels: [terminal], ephemeralChannels: ['cli'] });
  harness = h;
  const openTerminal = async (agent: Agent) => {
    const chat = await h.store.chats.upsert({
      channel: 'cli',
      platformChatId: 'run-1',
      name: 'ngb run (dev)',
      isGroup: false,
      status: 'active',
      unknownSenderPolicy: 'public',
    });
    await h.store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
    return chat;
  };
  const sayInTerminal = async (text: string) => {
    await terminal.inject({ text, chat: { id: 'run-1', isGroup: false }, sender: { id: 'dev', name: 'dev' } });
    await h.gateway.idle();
  };
  return { h, clock, terminal, openTerminal, sayInTerminal };
}

describe('a task scheduled in a terminal conversation', () => {
  it("reports to the agent's own chat, which gets the result when it fires; nothing waits for the terminal", async () => {
    const { h, clock, terminal, openTerminal, sayInTerminal } = await setUp();
    const agent = await h.addAgent('andy', { isMain: true });
    const home = await h.addChat('home', { agent });
    await openTerminal(agent);
    h.llm.script([schedule('remind me to stretch'), { type: 'reply', text: 'Will do.' }]);
    await sayInTerminal('in an hour remind me to stretch');
    expect(toolResults(h)[0]).toMatch(
      /^scheduled task \S+; first run 2026-01-01T01:00:00.000Z; it runs in the gateway serving the chat apps, and its result goes to chat "chat home" \(fake\), because this terminal conversation cannot receive it once its command has ended$/,
    );
    const [task] = await h.store.tasks.list();
    expect(task?.chatId).toBe(home.id);
    await clock.advance(3_600_000);
    await h.gateway.idle();
    expect(h.channel.sent.map((sent) => [sent.address.chatId, sent.message.text])).toEqual([
      ['home', 'echo: remind me to stretch'],
    ]);
    expect(terminal.sent.map((sent) => sent.message.text)).toEqual(['Will do.']);
    expect(await h.store.outbox.pendingChats()).toEqual([]);
  });

  it("falls back to the owner's chat when the agent has no chat of its own", async () => {
    const { h, clock, openTerminal, sayInTerminal } = await setUp();
    const main = await h.addAgent('main', { isMain: true });
    await h.addChat('owner-dm', { agent: main });
    const helper = await h.addAgent('helper');
    await openTerminal(helper);
    h.llm.script([schedule('check the backups'), { type: 'reply', text: 'Scheduled.' }]);
    await sayInTerminal('in an hour check the backups');
    await clock.advance(3_600_000);
    await h.gateway.idle();
    expect(h.channel.sent.map((sent) => [sent.address.chatId, sent.message.text])).toEqual([
      ['owner-dm', 'echo: check the backups'],
    ]);
  });

  it('is refused with the reason when nobody could receive its result', async () => {
    const { h, openTerminal, sayInTerminal } = await setUp();
    const agent = await h.addAgent('andy', { isMain: true });
    await openTerminal(agent);
    h.llm.script([schedule('remind me'), { type: 'reply', text: 'I cannot.' }]);
    await sayInTerminal('in an hour remind me');
    expect(toolResults(h)[0]).toBe(
      'Error: not scheduled: this conversation is in a terminal ("ngb run (dev)"), which cannot receive a result once its command has ended, and agent "andy" has no chat (nor has the owner) to send it to instead; schedule it from a chat app conversation with the agent',
    );
    expect(await h.store.tasks.list()).toEqual([]);
  });

  it.each([
    ['runs in the home chat', true],
    ['is recorded as not run when there is no home chat', false],
  ])('stored with the terminal chat by an older version, it %s when it fires', async (_name, withHome) => {
    const directory = mkdtempSync(join(tmpdir(), 'ngb-terminal-task-'));
    const storePath = join(directory, 'ngb.db');
    const clock = createManualClock(start);
    const before = await createHarness({ storePath, clock });
    const agent = await before.addAgent('andy', { isMain: true });
    if (withHome) await before.addChat('home', { agent });
    const chat = await before.store.chats.upsert({
      channel: 'cli',
      platformChatId: 'run-1',
      name: 'ngb run (dev)',
      isGroup: false,
      status: 'active',
    });
    const { session } = await before.store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
    const task = await before.store.tasks.create({
      agentId: agent.id,
      sessionId: session.id,
      chatId: chat.id,
      prompt: 'stretch',
      scheduleType: 'once',
      scheduleValue: inOneHour,
      timezone: 'UTC',
      contextMode: 'group',
      nextRunAt: start + 3_600_000,
    });
    await before.close();
    try {
      const terminal = createRecordingChannel({ name: 'cli' });
      harness = await createHarness({ storePath, clock, channels: [terminal], ephemeralChannels: ['cli'] });
      await clock.advance(3_600_000);
      await harness.gateway.idle();
      expect(terminal.sent).toEqual([]);
      expect(await harness.store.outbox.pendingChats()).toEqual([]);
      const runs = await harness.store.taskRuns.listForTask(task.id);
      if (withHome) {
        expect(harness.channel.sent.map((sent) => [sent.address.chatId, sent.message.text])).toEqual([['home', 'echo: stretch']]);
        expect(runs).toMatchObject([{ status: 'succeeded' }]);
      } else {
        expect(harness.llm.requests()).toEqual([]);
        expect(runs).toMatchObject([
          { status: 'failed', error: expect.stringContaining('scheduled in a terminal conversation') },
        ]);
        expect(harness.logger.lines.filter((line) => line.message.startsWith('scheduled task not run'))).toHaveLength(1);
      }
    } finally {
      await harness?.close();
      harness = undefined;
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('approval requests never go to a terminal chat', async () => {
    const { h, terminal, openTerminal } = await setUp();
    const main = await h.addAgent('main', { isMain: true, assistantName: 'Andy' });
    await openTerminal(main);
    await h.addChat('owner-group', { agent: main, isGroup: true });
    await h.say('hello?', { chatId: 'stranger-dm', sender: 'stranger' });
    expect(terminal.sent).toEqual([]);
    expect(h.channel.sent.map((sent) => sent.address.chatId)).toEqual(['owner-group']);
  });
});
