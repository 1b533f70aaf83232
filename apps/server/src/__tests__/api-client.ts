import type { Chat } from '@ngb/plugin-sdk';
import type { ServerHarness } from './server-harness';

/** A JSON answer of the API. */
export interface JsonAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers of every shape
  body: any;
}

/** Sends a request through the harness and reads the JSON answer. */
export async function call(
  harness: ServerHarness,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<JsonAnswer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json', ...headers };
  }
  const response = await harness.request(path, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON (a page): the text itself.
  }
  return { status: response.status, body: parsed };
}

/** The main agent's id. */
export async function mainAgentId(harness: ServerHarness): Promise<string> {
  const main = (await harness.store.agents.list()).find((agent) => agent.isMain);
  if (!main) throw new Error('the harness has no main agent');
  return main.id;
}

/** An active public chat on the harness's channel, wired to the main agent (engage always). */
export async function wiredChat(harness: ServerHarness, platformChatId: string): Promise<Chat> {
  const chat = await harness.store.chats.upsert({
    channel: 'fake',
    platformChatId,
    name: `chat ${platformChatId}`,
    isGroup: false,
    status: 'active',
    unknownSenderPolicy: 'public',
  });
  await harness.store.wirings.add({
    chatId: chat.id,
    agentId: await mainAgentId(harness),
    engage: 'always',
    sessionMode: 'shared',
  });
  return chat;
}
