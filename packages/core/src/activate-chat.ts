import type { Chat, StoreRepositories } from '@ngb/plugin-sdk';

/**
 * Makes a chat one the gateway serves: active (a group keeps asking about unknown senders, a direct
 * chat lets in only known ones) and wired to the main agent when no agent is wired to it yet.
 * @returns the chat as stored
 */
export async function activateChat(store: StoreRepositories, chat: Chat): Promise<Chat> {
  const active =
    chat.status === 'active'
      ? chat
      : await store.chats.update(chat.id, {
          status: 'active',
          unknownSenderPolicy: chat.isGroup ? 'request_approval' : 'strict',
        });
  if ((await store.wirings.listForChat(active.id)).length === 0) {
    const main = (await store.agents.list()).find((agent) => agent.isMain);
    if (main) {
      await store.wirings.add({
        chatId: active.id,
        agentId: main.id,
        engage: active.isGroup ? 'mention' : 'always',
        sessionMode: 'shared',
      });
    }
  }
  return active;
}
