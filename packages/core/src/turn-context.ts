import type { Address, InboxEntry, Session } from '@ngb/plugin-sdk';
import { agentChannel } from './gateway-settings';
import { type ChatPlaces, isEphemeralChannel } from './home-chat';
import type { TurnReads } from './turn-reads';

/** Inbox entries that start a turn (context rows only ride along). */
export const isActionable = (entry: InboxEntry) => entry.kind !== 'context';

/**
 * Where a turn's reply goes: the chat of its newest chat message; for answers from another agent,
 * the session's own chat; else the chat of its task or of the asking agent.
 */
export async function replyAddress(
  store: TurnReads,
  places: Pick<ChatPlaces, 'ephemeralChannels'>,
  session: Session,
  entries: readonly InboxEntry[],
): Promise<Address | undefined> {
  const candidates: Address[] = [];
  for (const entry of [...entries].reverse()) {
    if (!isActionable(entry)) continue;
    const message = entry.messageId ? await store.messages.get(entry.messageId) : undefined;
    const task = entry.taskId ? await store.tasks.get(entry.taskId) : undefined;
    let chatId = message?.chatId ?? task?.chatId ?? (task ? session.chatId : undefined);
    let chat = chatId ? await store.chats.get(chatId) : undefined;
    // A task of a terminal conversation runs in the agent's home chat (see the scheduler): answer there.
    if (task && !message && chat && isEphemeralChannel(places, chat.channel)) {
      chatId = session.chatId;
      chat = chatId ? await store.chats.get(chatId) : undefined;
    }
    if (!chat) continue;
    const address = { channel: chat.channel, chatId: chat.platformChatId, threadId: message?.threadId ?? session.threadId };
    if (chat.channel !== agentChannel) return address;
    candidates.push(address);
  }
  const own = session.chatId ? await store.chats.get(session.chatId) : undefined;
  if (own && own.channel !== agentChannel)
    return { channel: own.channel, chatId: own.platformChatId, threadId: session.threadId };
  return candidates[0];
}

/** The hop count of a turn: the highest hop among its agent-to-agent messages. */
export async function turnHop(store: TurnReads, entries: readonly InboxEntry[]): Promise<number> {
  let hop = 0;
  for (const entry of entries) {
    if (!entry.messageId) continue;
    const message = await store.messages.get(entry.messageId);
    if (message && message.hop > hop) hop = message.hop;
  }
  return hop;
}
