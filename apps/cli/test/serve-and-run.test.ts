import { join } from 'node:path';
import { createGateway } from '@ngb/core';
import { createOpenAIProvider } from '@ngb/llm-openai';
import { createRecordingChannel } from '@ngb/plugin-sdk/testing';
import { createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';
import { describe, expect, it } from 'vitest';
import { localRuntime, runCli, useProjectWithModel } from './cli-harness';

const fixture = useProjectWithModel('serve-and-run', localRuntime);

const database = () => join(fixture.project.dir, '.ngb/ngb.db');

/** A Telegram message that `ngb serve` stored but has not answered yet (it stopped, or was killed). */
async function pendingTelegramMessage(text: string): Promise<string> {
  const store = await createSqliteStore({ path: database() });
  try {
    const agent = await store.agents.getByFolder('main');
    if (!agent) throw new Error('the project has no main agent');
    const chat = await store.chats.upsert({
      channel: 'telegram',
      platformChatId: 'alice-dm',
      name: 'Alice',
      isGroup: false,
      status: 'active',
    });
    await store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
    const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
    const { message } = await store.messages.insert({
      chatId: chat.id,
      platformMessageId: 'tg-1',
      senderId: 'alice',
      text,
      mentionsBot: false,
      timestamp: Date.now(),
      direction: 'inbound',
    });
    await store.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'message' });
    return session.id;
  } finally {
    await store.close();
  }
}

describe('ngb run beside the work of ngb serve on one database', { timeout: 60_000 }, () => {
  it('a terminal conversation never runs a session of serve’s channels; serve takes it over and answers it once', async () => {
    const warmup = await runCli(['run', '-p', 'first'], { cwd: fixture.project.dir, env: fixture.model });
    expect(warmup.stdout).toBe('echo: first\n');
    const sessionId = await pendingTelegramMessage('for serve only');
    const before = fixture.server.requests().length;

    const run = await runCli(['run', '-p', 'hello'], { cwd: fixture.project.dir, env: fixture.model });
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('echo: hello\n');
    const asked = fixture.server.requests().slice(before);
    expect(asked).toHaveLength(1);
    expect(JSON.stringify(asked[0]?.messages)).not.toContain('for serve only');

    // The gateway of serve (its Telegram channel) finds the message waiting and answers it.
    const store = await createSqliteStore({ path: database() });
    expect(await store.inbox.listPending(sessionId)).toHaveLength(1);
    expect(await store.leases.get(sessionId)).toBeUndefined();
    const telegram = createRecordingChannel({ name: 'telegram' });
    const serve = createGateway({
      store,
      runtime: createLocalRuntime(),
      providers: { default: createOpenAIProvider({ baseURL: `${fixture.server.url}/v1`, apiKey: 'k', model: 'gpt-4.1-mini' }) },
      channels: [telegram],
      agentsDirectory: join(fixture.project.dir, 'agents'),
    });
    try {
      await serve.start();
      await serve.idle();
      expect(telegram.sent.map((sent) => sent.message.text)).toEqual(['echo: for serve only']);
    } finally {
      await serve.stop({ graceMs: 0 });
      await store.close();
    }
  });
});
