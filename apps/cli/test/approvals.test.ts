import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createGateway } from '@ngb/core';
import { createOpenAIProvider } from '@ngb/llm-openai';
import { createRecordingChannel } from '@ngb/plugin-sdk/testing';
import { createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliBin, cliEnv, localRuntime, runCli, useProjectWithModel, waitFor } from './cli-harness';

const fixture = useProjectWithModel('approvals', localRuntime);
const codes = { alice: '', bob: '' };

const database = () => join(fixture.project.dir, '.ngb/ngb.db');
const ngb = (args: string[]) => runCli(args, { cwd: fixture.project.dir, env: fixture.model });

/** Two unknown people write to the bot on a channel, as a running gateway would receive it. */
async function strangersWrite(): Promise<void> {
  const store = await createSqliteStore({ path: database() });
  const channel = createRecordingChannel({ name: 'telegram' });
  const gateway = createGateway({
    store,
    runtime: createLocalRuntime(),
    providers: { default: createOpenAIProvider({ baseURL: `${fixture.server.url}/v1`, model: 'gpt-4.1-mini' }) },
    channels: [channel],
    agentsDirectory: join(fixture.project.dir, 'agents'),
  });
  await gateway.start();
  await channel.inject({
    chat: { id: 'alice-dm', name: 'Alice', isGroup: false },
    sender: { id: 'alice', name: 'Alice' },
    text: 'hello, may I?',
  });
  await channel.inject({
    chat: { id: 'bob-dm', name: 'Bob', isGroup: false },
    sender: { id: 'bob', name: 'Bob' },
    text: 'let me in',
  });
  await gateway.stop({ graceMs: 0 });
  for (const approval of await store.approvals.list({ status: 'pending' })) {
    const chat = await store.chats.get(approval.chatId);
    if (chat?.platformChatId === 'alice-dm') codes.alice = approval.code;
    if (chat?.platformChatId === 'bob-dm') codes.bob = approval.code;
  }
  await store.close();
}

beforeAll(strangersWrite);

describe('ngb approvals', { timeout: 60_000 }, () => {
  it('ls lists the pending approvals with code, kind, chat, sender and age', async () => {
    expect(codes.alice).toMatch(/^[A-Z0-9]{8}$/);
    const result = await ngb(['approvals', 'ls']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^CODE\s+KIND\s+CHAT\s+SENDER\s+AGE\s+FIRST MESSAGE$/m);
    expect(result.stdout).toMatch(
      new RegExp(`^${codes.alice}\\s+chat\\s+telegram:Alice\\s+Alice\\s+\\d+ s ago\\s+hello, may I\\?$`, 'm'),
    );
    expect(result.stdout).toMatch(new RegExp(`^${codes.bob}\\s+chat\\s+telegram:Bob\\s+Bob\\s+`, 'm'));
    expect((await ngb(['approvals'])).stdout).toContain(codes.bob);
  });

  it('approve resolves through the gateway: the chat is let in and its first message is routed to the agent again', async () => {
    const result = await ngb(['approvals', 'approve', codes.alice.toLowerCase()]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^✓ approved chat telegram:Alice; its first message waits for main: `ngb serve` answers it/);
    const store = await createSqliteStore({ path: database() });
    try {
      const chat = await store.chats.getByPlatformId('telegram', 'alice-dm');
      expect(chat?.status).toBe('active');
      const [wiring] = await store.wirings.listForChat(chat?.id ?? '');
      expect((await store.agents.get(wiring?.agentId ?? ''))?.folder).toBe('main');
      const pending = await store.inbox.sessionsWithPending();
      expect(pending).toHaveLength(1);
      expect(fixture.server.requests()).toHaveLength(0);
    } finally {
      await store.close();
    }
    expect((await ngb(['approvals', 'ls'])).stdout).not.toContain(codes.alice);
  });

  it('`ngb serve` then answers the re-routed message', async () => {
    const child = spawn(process.execPath, [cliBin, 'serve', '--grace', '2'], {
      cwd: fixture.project.dir,
      env: cliEnv(fixture.model),
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await waitFor(
        async () => {
          const store = await createSqliteStore({ path: database() });
          try {
            const chat = await store.chats.getByPlatformId('telegram', 'alice-dm');
            const session = (await store.sessions.list({})).find((candidate) => candidate.chatId === chat?.id);
            const turns = session ? await store.turns.listForSession(session.id, { limit: 5 }) : [];
            return turns.some((turn) => turn.status === 'succeeded');
          } finally {
            await store.close();
          }
        },
        'serve to answer the approved chat',
        30_000,
      );
      expect(JSON.stringify(fixture.server.requests().at(-1))).toContain('hello, may I?');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('deny refuses the chat; unknown and already decided codes are one line and exit 1', async () => {
    const denied = await ngb(['approvals', 'deny', codes.bob]);
    expect(denied.code, denied.stderr).toBe(0);
    expect(denied.stdout.trim()).toBe('✓ denied chat telegram:Bob');
    const store = await createSqliteStore({ path: database() });
    expect((await store.chats.getByPlatformId('telegram', 'bob-dm'))?.status).toBe('denied');
    await store.close();
    for (const code of ['NOSUCH00', codes.alice, codes.bob]) {
      const result = await ngb(['approvals', 'approve', code]);
      expect(result.code, code).toBe(1);
      expect(result.stderr.trim().split('\n'), code).toHaveLength(1);
      expect(result.stderr, code).toMatch(/^✖ ngb approvals approve: .*\(`ngb approvals ls` lists the pending ones\)$/m);
    }
    expect((await ngb(['approvals', 'ls'])).stdout.trim()).toBe(
      'no pending approvals: they appear when an unknown chat or sender writes to the bot',
    );
  });
});
