// A gateway process sharing its database with another one; a test drives it and may kill it.
// Uses the built packages. argv: <database path> <agents directory> <model base URL> <lease ms>
// stdin: one JSON line per message to receive, { chatId, id, text }.
// stdout: JSON lines: { ready: true, holderId }, every gateway event, and { sent: { chatId, text } } per message sent.
import { createInterface } from 'node:readline';
import { createGateway } from '@ngb/core';
import { createOpenAIProvider } from '@ngb/llm-openai';
import { createSqliteStore } from '@ngb/store';
import { noSandboxRuntime } from './no-sandbox-runtime.mjs';

const [databasePath, agentsDirectory, baseURL, leaseMs] = process.argv.slice(2);
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);
const store = await createSqliteStore({ path: databasePath });
let sent = 0;
const channel = {
  specificationVersion: 1,
  name: 'fake',
  limits: { maxMessageLength: 4096 },
  async start(context) {
    channel.context = context;
  },
  async stop() {},
  async send(address, message) {
    sent += 1;
    print({ sent: { chatId: address.chatId, text: message.text } });
    return { platformMessageId: `${process.pid}-${sent}` };
  },
};
const runtime = noSandboxRuntime;
const gateway = createGateway({
  store,
  runtime,
  agentsDirectory,
  leaseMs: Number(leaseMs),
  holderId: `gateway-${process.pid}`,
  channels: [channel],
  providers: { default: createOpenAIProvider({ baseURL, apiKey: 'k', model: 'fake-model', maxRetries: 0 }) },
});
gateway.events.on((event) => print(event));
await gateway.start();
print({ ready: true, holderId: gateway.holderId });
process.once('SIGTERM', async () => {
  await gateway.stop({ graceMs: 0 });
  await store.close();
  process.exit(0);
});
for await (const line of createInterface({ input: process.stdin })) {
  const { chatId, id, text } = JSON.parse(line);
  await gateway.receive({
    channel: 'fake',
    chat: { id: chatId, isGroup: false },
    platformMessageId: id,
    sender: { id: 'user-1', name: 'User' },
    text,
    mentionsBot: false,
    timestamp: Date.now(),
  });
}
