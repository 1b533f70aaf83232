import { join } from 'node:path';
import { createSqliteStore } from '@ngb/store';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, createProject, runCli } from './cli-harness';

let server: FakeLlmServer;
let project: { dir: string; remove: () => void };
beforeAll(async () => {
  assertBuilt();
  server = await createFakeLlmServer({ acceptAnyModel: true });
  project = await createProject('terminal-tasks');
});
afterAll(async () => {
  await server?.close();
  project?.remove();
});

const scheduleInAnHour = (prompt: string) => {
  const at = new Date(Date.now() + 3_600_000).toISOString();
  server.script([
    { type: 'reply', toolCalls: [{ name: 'schedule_task', input: { prompt, schedule_type: 'once', schedule_value: at } }] },
    { type: 'reply', text: 'done' },
  ]);
};

async function withStore<T>(use: (store: Awaited<ReturnType<typeof createSqliteStore>>) => Promise<T>): Promise<T> {
  const store = await createSqliteStore({ path: join(project.dir, '.ngb', 'ngb.db') });
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

const run = () =>
  runCli(['run', '-p', 'in an hour remind me to stretch', '--json'], {
    cwd: project.dir,
    env: { OPENAI_BASE_URL: `${server.url}/v1` },
  });

describe('a task scheduled from ngb run', { timeout: 60_000 }, () => {
  it('is refused, saying why, while no chat could receive its result later', async () => {
    scheduleInAnHour('stretch');
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.toolCalls).toMatchObject([{ name: 'schedule_task', isError: true }]);
    expect(output.toolCalls[0].output).toMatch(
      /^not scheduled: this conversation is in a terminal \("ngb run \(.+\)"\), which cannot receive a result once its command has ended, and agent "main" has no chat \(nor has the owner\) to send it to instead/,
    );
    expect(await withStore((store) => store.tasks.list())).toEqual([]);
  });

  it("goes to the agent's chat on a chat app, never to the terminal chat", async () => {
    const home = await withStore(async (store) => {
      const main = await store.agents.getByFolder('main');
      const chat = await store.chats.upsert({
        channel: 'telegram',
        platformChatId: '4242',
        name: 'me on Telegram',
        isGroup: false,
        status: 'active',
      });
      await store.wirings.add({ chatId: chat.id, agentId: main?.id ?? '', engage: 'always', sessionMode: 'shared' });
      return chat;
    });
    scheduleInAnHour('stretch');
    const result = await run();
    expect(result.code, result.stderr).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.toolCalls[0]).toMatchObject({ name: 'schedule_task', isError: false });
    expect(output.toolCalls[0].output).toContain('its result goes to chat "me on Telegram" (telegram)');
    const tasks = await withStore((store) => store.tasks.list());
    expect(tasks).toMatchObject([{ chatId: home.id, prompt: 'stretch', status: 'active' }]);
    expect(tasks[0]?.sessionId).toBeUndefined();
  });
});
