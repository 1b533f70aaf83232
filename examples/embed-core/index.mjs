// A Telegram bot with an agent behind it, wired inside your own Node program.
import { createTelegramChannel } from '@ngb/channel-telegram';
import { createGateway } from '@ngb/core';
import { createOpenAIProvider } from '@ngb/llm-openai';
import { createDockerRuntime, createLocalRuntime } from '@ngb/runtime';
import { createSqliteStore } from '@ngb/store';

const env = process.env;
const store = await createSqliteStore({ path: env.NGB_DATABASE ?? 'ngb.db' });
// Tools run in a Docker sandbox; NGB_RUNTIME=local runs them on this machine, NOT isolated (development only).
const runtime = env.NGB_RUNTIME === 'local' ? createLocalRuntime() : createDockerRuntime({ diskLimit: 'unlimited' });
const gateway = createGateway({
  store,
  runtime,
  agentsDirectory: env.NGB_AGENTS ?? 'agents', // agents/main/AGENTS.md holds the agent's instructions
  providers: {
    default: createOpenAIProvider({
      baseURL: env.OPENAI_BASE_URL,
      apiKey: env.OPENAI_API_KEY,
      model: env.OPENAI_MODEL ?? 'gpt-6.1-terra',
    }),
  },
  channels: [createTelegramChannel({ botToken: env.TELEGRAM_BOT_TOKEN, apiRoot: env.TELEGRAM_API_ROOT })],
});
// The owner's private chat with the bot (its id is the owner's Telegram user id) is wired to the main agent.
const owner = env.TELEGRAM_OWNER_ID;
const agent =
  (await store.agents.getByFolder('main')) ?? (await store.agents.create({ folder: 'main', name: 'main', isMain: true }));
const chat = await store.chats.upsert({
  channel: 'telegram',
  platformChatId: owner,
  name: 'owner',
  isGroup: false,
  status: 'active',
});
if ((await store.wirings.listForChat(chat.id)).length === 0)
  await store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
await store.users.grantRole((await store.users.upsert({ channel: 'telegram', platformUserId: owner })).id, 'owner');
await gateway.start();
console.log('the bot is running; Ctrl-C stops it');
process.once('SIGINT', stop).once('SIGTERM', stop);
async function stop() {
  await gateway.stop();
  await runtime.close();
  await store.close();
}
