import type { Chat, Store } from '@ngb/plugin-sdk';
import { fail } from '../cli-error';

/** The chat an id, id prefix or `channel:platformChatId` names; one line and exit 1 otherwise. */
export async function resolveChat(store: Store, wanted: string): Promise<Chat> {
  const exact = await store.chats.get(wanted);
  if (exact) return exact;
  const separator = wanted.indexOf(':');
  if (separator > 0) {
    const byPlatform = await store.chats.getByPlatformId(wanted.slice(0, separator), wanted.slice(separator + 1));
    if (byPlatform) return byPlatform;
  }
  const matches = (await store.chats.list()).filter((chat) => chat.id.startsWith(wanted));
  if (matches.length === 1 && matches[0]) return matches[0];
  if (matches.length === 0) fail(`unknown chat "${wanted}" (\`ngb chat ls\` lists them)`);
  fail(`chat id "${wanted}" is ambiguous: it starts ${matches.length} chats; type more of it`);
}
