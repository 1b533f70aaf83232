import type { InboundMessage } from '@ngb/plugin-sdk';

/**
 * The last messages seen and sent, bounded (oldest forgotten first): a reply segment carries only the
 * id of the message replied to, and this names its author and text, and tells a reply to the bot.
 */
export function createRecentMessages(limit: number) {
  const seen = new Map<string, { author: { id: string; name?: string }; text: string }>();
  const sent = new Set<string>();
  const key = (chatId: string, messageId: string) => `${chatId}\u0000${messageId}`;
  return {
    remember(message: InboundMessage): void {
      const id = key(message.chat.id, message.platformMessageId);
      seen.delete(id);
      seen.set(id, {
        author: { id: message.sender.id, ...(message.sender.name === undefined ? {} : { name: message.sender.name }) },
        text: message.text,
      });
      if (seen.size > limit) seen.delete(seen.keys().next().value as string);
    },
    find(chatId: string, messageId: string) {
      return seen.get(key(chatId, messageId));
    },
    markSent(messageId: string): void {
      sent.add(messageId);
      if (sent.size > limit) sent.delete(sent.values().next().value as string);
    },
    sentByBot(messageId: string): boolean {
      return sent.has(messageId);
    },
  };
}
