import type { Address, MessageFormat } from '@ngb/plugin-sdk';
import type { GatewayContext } from './gateway-context';

/**
 * Queues a text for delivery under a stable key (a second enqueue with the same key is a no-op)
 * and starts delivering the chat. The text is `plain` (the gateway's own notices) unless `extra.format`
 * says the agent wrote it in markdown.
 */
export async function enqueueText(
  context: GatewayContext,
  address: Address,
  text: string,
  key: string,
  extra: { sessionId?: string; turnId?: string; replyTo?: string; format?: MessageFormat } = {},
): Promise<void> {
  await context.store.outbox.enqueue({
    key,
    channel: address.channel,
    chatId: address.chatId,
    threadId: address.threadId,
    text,
    format: extra.format,
    sessionId: extra.sessionId,
    turnId: extra.turnId,
    replyToPlatformId: extra.replyTo,
  });
  context.kickDelivery(address.channel, address.chatId);
}
