import type { Address } from '@ngb/plugin-sdk';
import type { GatewayContext } from './gateway-context';

/**
 * Queues a text for delivery under a stable key (a second enqueue with the same key is a no-op)
 * and starts delivering the chat.
 */
export async function enqueueText(
  context: GatewayContext,
  address: Address,
  text: string,
  key: string,
  extra: { sessionId?: string; turnId?: string; replyTo?: string } = {},
): Promise<void> {
  await context.store.outbox.enqueue({
    key,
    channel: address.channel,
    chatId: address.chatId,
    threadId: address.threadId,
    text,
    sessionId: extra.sessionId,
    turnId: extra.turnId,
    replyToPlatformId: extra.replyTo,
  });
  context.kickDelivery(address.channel, address.chatId);
}
