import type { ChannelAdapter, ChannelContext, Clock } from '@ngb/plugin-sdk';
import { agentChannel } from './gateway-settings';

/** What the agent channel needs. */
export interface AgentChannelOptions {
  clock: Pick<Clock, 'now'>;
  /** The display name of the agent whose session writes (the sender's name). */
  nameOf: (sessionId: string) => Promise<string | undefined>;
}

/**
 * The gateway's internal channel between agents, registered like any other channel. Its chat ids
 * are session ids: `send` to a chat hands the text to that session through `receive`, the same
 * path a person's message takes, as an inbound message of this channel whose sender is the
 * writing session and whose platform id is the send's idempotency key (a redelivery is stored
 * once). The hop count rides along; ingest applies the hop limit.
 */
export function createAgentChannel(options: AgentChannelOptions): ChannelAdapter {
  let context: ChannelContext | undefined;
  return {
    specificationVersion: 1,
    name: agentChannel,
    // Agents read whole texts: a reply is never split.
    limits: { maxMessageLength: 1_000_000 },
    self: undefined,
    async start(started) {
      context = started;
      started.setStatus({ state: 'connected' });
    },
    async stop() {
      context = undefined;
    },
    async send(address, message) {
      if (!context) throw new Error(`[@ngb/core] the "${agentChannel}" channel is not started`);
      const sessionId = message.sessionId ?? '';
      const name = sessionId === '' ? undefined : await options.nameOf(sessionId);
      const id = message.idempotencyKey ?? crypto.randomUUID();
      await context.receive({
        channel: agentChannel,
        chat: { id: address.chatId, isGroup: false },
        threadId: address.threadId,
        platformMessageId: id,
        sender: name === undefined ? { id: sessionId } : { id: sessionId, name },
        text: message.text,
        mentionsBot: true,
        timestamp: options.clock.now(),
        hop: message.hop,
      });
      return { platformMessageId: `agent:${id}` };
    },
  };
}
