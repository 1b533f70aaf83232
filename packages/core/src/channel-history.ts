import type { ChannelHistoryMessage, Store } from '@ngb/plugin-sdk';

/** The most messages one call of `recentMessages` returns, whatever an adapter asks for. */
export const maxRecentMessages = 1_000;

/**
 * `ChannelContext.recentMessages` of the channel named `channel`: its chats only (looked up by the
 * channel's own name, so an adapter cannot read another's), the inbound messages stored and the
 * gateway's messages sent there, merged by time, oldest first.
 */
export function recentMessagesOf(
  store: Pick<Store, 'chats' | 'messages' | 'outbox'>,
  channel: string,
): (platformChatId: string, limit: number) => Promise<ChannelHistoryMessage[]> {
  return async (platformChatId, limit) => {
    const wanted = Number.isNaN(limit) ? 0 : Math.min(Math.max(Math.floor(limit), 0), maxRecentMessages);
    if (wanted === 0) return [];
    const chat = await store.chats.getByPlatformId(channel, platformChatId);
    const inbound = chat ? await store.messages.listForChat(chat.id, { limit: wanted }) : [];
    const outbound = await store.outbox.listSentToChat(channel, platformChatId, { limit: wanted });
    const merged: ChannelHistoryMessage[] = [
      ...inbound
        .filter((message) => message.direction === 'inbound' && message.deletedAt === undefined)
        .map((message) => ({
          platformMessageId: message.platformMessageId,
          direction: 'inbound' as const,
          senderId: message.senderId,
          ...(message.senderName === undefined ? {} : { senderName: message.senderName }),
          text: message.text,
          format: 'plain' as const,
          timestamp: message.timestamp,
          ...(message.editedAt === undefined ? {} : { editedAt: message.editedAt }),
        })),
      ...outbound.map((entry) => ({
        platformMessageId: entry.streamMessageIds[0] ?? entry.sentChunkIds[0] ?? entry.platformMessageId ?? entry.id,
        direction: 'outbound' as const,
        text: entry.text,
        format: entry.format,
        timestamp: entry.sentAt ?? entry.updatedAt,
      })),
    ];
    // A stable sort: at the same millisecond, what the chat said comes before the answer to it.
    return merged.sort((a, b) => a.timestamp - b.timestamp).slice(-wanted);
  };
}
