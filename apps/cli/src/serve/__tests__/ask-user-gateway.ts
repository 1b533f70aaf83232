import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ComposedGateway, composeGateway, loadConfig } from '@ngb/host';
import type { Chat, Store } from '@ngb/plugin-sdk';
import { createFakeLlmServer, type FakeLlmServer } from '@ngb/testing';

/** Resolves once `read()` is defined (polls the event loop; no timing is asserted). */
export async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let attempt = 0; attempt < 1_000; attempt += 1) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`[test] ${what}: not seen`);
}

/** A gateway composed like `ngb serve` with one chat platform, whose agent asks which pizza. */
export interface AskUserGateway {
  model: FakeLlmServer;
  composed: ComposedGateway;
  store: Store;
  /** The wired direct chat. */
  chat: Chat;
  close(): Promise<void>;
}

/**
 * Composes a project whose model asks `Which pizza?` (Margherita, Funghi) with `ask_user`, then says
 * `Ordering the Funghi.`; `channels` is the config of the one platform, `env` its secrets, and
 * `chat` the direct chat wired to the agent (public, always engaged).
 */
export async function startAskUserGateway(input: {
  channels: Record<string, unknown>;
  env: Record<string, string>;
  chat: { channel: string; platformChatId: string; name: string };
}): Promise<AskUserGateway> {
  const scratch = mkdtempSync(join(tmpdir(), 'ngb-ask-user-'));
  const model = await createFakeLlmServer({
    acceptAnyModel: true,
    script: [
      {
        type: 'reply',
        toolCalls: [{ name: 'ask_user', input: { question: 'Which pizza?', options: ['Margherita', 'Funghi'] } }],
      },
      { type: 'reply', text: 'Ordering the Funghi.' },
    ],
  });
  const root = join(scratch, 'project');
  mkdirSync(join(root, 'agents', 'main'), { recursive: true });
  writeFileSync(
    join(root, 'ngb.config.json'),
    // The agent runs no tool of the sandbox here: the local runtime only answers the turn's tool list.
    JSON.stringify({ runtime: { driver: 'local' }, allowLocalRuntime: true, channels: input.channels }),
  );
  const env = { OPENAI_BASE_URL: `${model.url}/v1`, ...input.env };
  const composed = await composeGateway({ loaded: loadConfig({ env, cwd: root }), env, command: 'test', debug: false });
  const store = composed.project.store;
  const main = await store.agents.getByFolder('main');
  const chat = await store.chats.upsert({
    ...input.chat,
    isGroup: false,
    status: 'active',
    unknownSenderPolicy: 'public',
  });
  await store.wirings.add({ chatId: chat.id, agentId: main?.id ?? '', engage: 'always', sessionMode: 'shared' });
  return {
    model,
    composed,
    store,
    chat,
    async close() {
      await composed.close(0);
      await model.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
