import type { Address, MessageFormat, OutboundChoice } from '@ngb/plugin-sdk';
import type { RunUnitOfWork, UnitOfWork } from './unit-of-work';

/**
 * Queues a text for delivery under a stable key (a second enqueue with the same key is a no-op);
 * the chat's delivery starts once the unit committed.
 */
export type EnqueueText = (
  unit: UnitOfWork,
  address: Address,
  text: string,
  key: string,
  extra?: {
    sessionId?: string;
    turnId?: string;
    replyTo?: string;
    format?: MessageFormat;
    hop?: number;
    choices?: OutboundChoice[];
  },
) => Promise<void>;

/** Creates {@link EnqueueText} over the delivery's `kick`. */
export function createEnqueueText(kickDelivery: (channel: string, chatId: string) => void): EnqueueText {
  return async (unit, address, text, key, extra = {}) => {
    await unit.tx.outbox.enqueue({
      key,
      channel: address.channel,
      chatId: address.chatId,
      threadId: address.threadId,
      text,
      format: extra.format,
      sessionId: extra.sessionId,
      turnId: extra.turnId,
      replyToPlatformId: extra.replyTo,
      hop: extra.hop,
      choices: extra.choices,
    });
    unit.after(() => kickDelivery(address.channel, address.chatId));
  };
}

/**
 * Creates what `PluginApi.send` does: a plain text queued in the outbox, like the gateway's own
 * notices, and only to a chat the gateway serves, so no plugin makes the bot speak where it was
 * never let in.
 */
export function createPluginSend(options: { runUnit: RunUnitOfWork; enqueueText: EnqueueText; generateId: () => string }) {
  return (plugin: string, address: Address, text: string) =>
    options.runUnit(async (unit) => {
      const chat = await unit.tx.chats.getByPlatformId(address.channel, address.chatId);
      if (chat?.status !== 'active')
        throw new Error(`[@ngb/core] plugin "${plugin}": ${address.channel}:${address.chatId} is not a chat the gateway serves`);
      await options.enqueueText(unit, address, text, `plugin:${plugin}:${options.generateId()}`, { format: 'plain' });
    });
}
