import type { Address, ChannelAdapter, ChannelContext, OutboundMessage, SendReceipt } from '@ngb/plugin-sdk';

/** The channel name of conversations held in a terminal (`ngb run`, `ngb shell`). */
export const cliChannelName = 'cli';

/** A reply the gateway delivered to the terminal. */
interface CliDelivery {
  chatId: string;
  text: string;
  platformMessageId: string;
}

/** The in-process channel of `ngb run` and `ngb shell`: replies arrive through `send`. */
export interface CliChannel extends ChannelAdapter {
  /**
   * Subscribes to what the gateway sends to one terminal chat.
   * @returns a function that unsubscribes
   */
  onDelivery(chatId: string, listener: (delivery: CliDelivery) => void): () => void;
}

/** Creates the terminal channel, named `cli`. */
export function createCliChannel(): CliChannel {
  const listeners = new Map<string, Set<(delivery: CliDelivery) => void>>();
  let counter = 0;
  return {
    specificationVersion: 1,
    name: cliChannelName,
    limits: { maxMessageLength: 1_000_000 },
    async start(context: ChannelContext) {
      context.setStatus({ state: 'connected', detail: 'this terminal' });
    },
    async stop() {},
    async send(address: Address, message: OutboundMessage): Promise<SendReceipt> {
      counter += 1;
      const delivery = { chatId: address.chatId, text: message.text, platformMessageId: `cli-out-${Date.now()}-${counter}` };
      for (const listener of listeners.get(address.chatId) ?? []) listener(delivery);
      return { platformMessageId: delivery.platformMessageId };
    },
    onDelivery(chatId, listener) {
      const set = listeners.get(chatId) ?? new Set();
      set.add(listener);
      listeners.set(chatId, set);
      return () => void set.delete(listener);
    },
  };
}
