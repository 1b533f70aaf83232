// A gateway process that a test kills with SIGKILL mid-turn. Uses the built packages.
// argv: <database path> <agents directory> <model base URL> <mode: mid-turn | before-delivery> <lease ms>
import { createGateway } from '@ngb/core';
import { createOpenAIProvider } from '@ngb/llm-openai';
import { createSqliteStore } from '@ngb/store';
import { noSandboxRuntime } from './no-sandbox-runtime.mjs';

const [databasePath, agentsDirectory, baseURL, mode, leaseMs] = process.argv.slice(2);
const store = await createSqliteStore({ path: databasePath });
const channel = {
  specificationVersion: 1,
  name: 'fake',
  limits: { maxMessageLength: 4096 },
  async start(context) {
    channel.context = context;
  },
  async stop() {},
  // In before-delivery mode the platform never answers, so the reply stays in the outbox.
  send: (_address, message) =>
    mode === 'before-delivery'
      ? new Promise(() => process.stdout.write(`${JSON.stringify({ sending: message.text })}\n`))
      : Promise.resolve({ platformMessageId: 'never' }),
};
const runtime = noSandboxRuntime;
const gateway = createGateway({
  store,
  runtime,
  agentsDirectory,
  leaseMs: Number(leaseMs),
  channels: [channel],
  providers: { default: createOpenAIProvider({ baseURL, apiKey: 'k', model: 'fake-model', maxRetries: 0 }) },
});
gateway.events.on((event) => process.stdout.write(`${JSON.stringify(event)}\n`));
await gateway.start();
await gateway.receive({
  channel: 'fake',
  chat: { id: 'c1', isGroup: false },
  platformMessageId: 'crash-1',
  sender: { id: 'user-1', name: 'User' },
  text: 'are you still there?',
  mentionsBot: false,
  timestamp: Date.now(),
});
