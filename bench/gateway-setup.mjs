// A gateway as the benchmarks measure it: a SQLite file store, the fake model server on loopback
// (instant replies), a recording channel and no sandbox; and the inbound messages they send it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createGateway } from '@ngb/core';
import { createOpenAIProvider } from '@ngb/llm-openai';
import { createRecordingChannel } from '@ngb/plugin-sdk/testing';
import { createSqliteStore } from '@ngb/store';
import { createFakeLlmServer } from '@ngb/testing';

const noSandbox = {
  specificationVersion: 1,
  name: 'none',
  isolated: true,
  tools: [],
  acquire: async () => {
    throw new Error('no sandbox in this benchmark');
  },
  list: async () => [],
  reap: async () => 0,
  close: async () => {},
};

/**
 * @param options.channels channels to run besides the recording one (named `fake`)
 */
export async function setup({ maxConcurrentTurns = 5, channels = [] } = {}) {
  const directory = mkdtempSync(join(tmpdir(), 'ngb-bench-'));
  const store = await createSqliteStore({ path: join(directory, 'ngb.db') });
  const llm = await createFakeLlmServer({ acceptAnyModel: true });
  const inner = createOpenAIProvider({ baseURL: `${llm.url}/v1`, apiKey: 'k', model: 'fake-model', maxRetries: 0 });
  const requestTimes = [];
  const provider = {
    ...inner,
    doStream: (request) => {
      requestTimes.push(performance.now());
      return inner.doStream(request);
    },
  };
  const channel = createRecordingChannel({ name: 'fake' });
  const gateway = createGateway({
    store,
    runtime: noSandbox,
    providers: { default: provider },
    channels: [channel, ...channels],
    agentsDirectory: directory,
    maxConcurrentTurns,
  });
  await gateway.start();
  const agent = await store.agents.create({ folder: 'andy', name: 'andy', isMain: true, assistantName: 'Andy' });
  const wire = async (chatId, extra = {}) => {
    const chat = await store.chats.upsert({
      channel: extra.channel ?? 'fake',
      platformChatId: chatId,
      name: chatId,
      isGroup: extra.isGroup ?? false,
      status: 'active',
      unknownSenderPolicy: 'public',
    });
    await store.wirings.add({
      chatId: chat.id,
      agentId: agent.id,
      engage: extra.engage ?? 'always',
      sessionMode: 'shared',
      accumulate: extra.accumulate ?? false,
    });
  };
  const close = async () => {
    await gateway.stop({ graceMs: 1000 });
    await llm.close();
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  };
  return { gateway, store, channel, wire, requestTimes, close };
}

let sequence = 0;
export const message = (chatId, text, extra = {}) => ({
  channel: 'fake',
  chat: { id: chatId, isGroup: extra.isGroup ?? false },
  platformMessageId: `b-${++sequence}`,
  sender: { id: extra.sender ?? 'user', name: 'User' },
  text,
  mentionsBot: false,
  timestamp: Date.now(),
});
