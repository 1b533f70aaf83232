// An app that embeds the gateway: a store, a sandbox runtime, a model and one chat channel, wired in
// a few lines. The channel here is a minimal console-style adapter written with `defineChannel`;
// a real app would pass `createTelegramChannel(...)` or another `@ngb/channel-*` adapter instead.
import { createGateway, type Gateway } from '@ngb/core';
import { createOpenAIProvider, openAIPrices } from '@ngb/llm-openai';
import {
  type ChannelContext,
  createPriceLookup,
  defineChannel,
  type ModelPriceTable,
  type SandboxRuntime,
} from '@ngb/plugin-sdk';
import { createSqliteStore } from '@ngb/store';

export interface EmbeddedGateway {
  gateway: Gateway;
  /** Posts a line as the user `me` and resolves with the agent's answer. */
  ask(text: string): Promise<string>;
  close(): Promise<void>;
}

export async function startEmbeddedGateway(options: {
  databasePath: string;
  agentsDirectory: string;
  runtime: SandboxRuntime;
  /** An OpenAI-compatible endpoint, such as `http://127.0.0.1:11434/v1` (Ollama) or `https://api.openai.com/v1`. */
  modelBaseURL: string;
  /** The model that endpoint serves, such as `llama3.1` for Ollama or `gpt-6.1-terra` for OpenAI. */
  model: string;
  /** Needed by OpenAI itself, not by a local server. */
  apiKey?: string;
  /** Prices of models OpenAI's table does not know (a local model: `{ input: 0, output: 0 }`). */
  pricing?: ModelPriceTable;
}): Promise<EmbeddedGateway> {
  const store = await createSqliteStore({ path: options.databasePath });
  const answers: Array<(text: string) => void> = [];
  let context: ChannelContext | undefined;
  const consoleChannel = defineChannel({
    name: 'console',
    limits: { maxMessageLength: 4000 },
    start: async (startContext: ChannelContext) => {
      context = startContext;
    },
    stop: async () => {
      context = undefined;
    },
    send: async (_address, message) => {
      answers.shift()?.(message.text);
      return { platformMessageId: String(Date.now()) };
    },
  });
  const gateway = createGateway({
    store,
    runtime: options.runtime,
    providers: {
      default: createOpenAIProvider({ baseURL: options.modelBaseURL, model: options.model, apiKey: options.apiKey }),
    },
    price: createPriceLookup(openAIPrices, options.pricing),
    channels: [consoleChannel],
    agentsDirectory: options.agentsDirectory,
  });
  await gateway.start();
  const agent =
    (await store.agents.getByFolder('main')) ?? (await store.agents.create({ folder: 'main', name: 'main', isMain: true }));
  const chat = await store.chats.upsert({
    channel: 'console',
    platformChatId: 'me',
    name: 'me',
    isGroup: false,
    status: 'active',
  });
  if ((await store.wirings.listForChat(chat.id)).length === 0) {
    await store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
  }
  const owner = await store.users.upsert({ channel: 'console', platformUserId: 'me' });
  await store.users.grantRole(owner.id, 'owner');
  let counter = 0;
  return {
    gateway,
    ask: (text) =>
      new Promise((resolve, reject) => {
        answers.push(resolve);
        counter += 1;
        context
          ?.receive({
            channel: 'console',
            chat: { id: 'me', isGroup: false },
            platformMessageId: `${Date.now()}-${counter}`,
            sender: { id: 'me' },
            text,
            mentionsBot: false,
            timestamp: Date.now(),
          })
          .catch(reject);
      }),
    close: async () => {
      await gateway.stop();
      await store.close();
    },
  };
}
