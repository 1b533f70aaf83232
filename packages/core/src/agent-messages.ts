import {
  type Clock,
  type InboundMessage,
  NotSupportedError,
  type ReceiveResult,
  type Session,
  type StoreRepositories,
} from '@ngb/plugin-sdk';
import type { EventBus } from './events';
import { agentChannel } from './gateway-settings';
import type { SessionQueue } from './session-queue';
import type { UnitOfWork } from './unit-of-work';

/** A session that starts talking to another agent. */
interface Conversation {
  fromAgentId: string;
  fromSessionId: string;
  toAgentId: string;
}

/**
 * Messages between agents. They travel through the internal `agent` channel like any outbound
 * text: its chat ids are session ids (the session a message goes into), its senders the sessions
 * that wrote them.
 */
export interface AgentMessages {
  /**
   * The receiving agent's session for a conversation the sending session opens (made on first
   * use, in the unit): where `send_to_agent` addresses its message.
   */
  open(unit: UnitOfWork, conversation: Conversation): Promise<Session>;
  /**
   * Routes an inbound message of the internal `agent` channel, in the unit: its chat id names the
   * receiving session, its sender the writing one, its hop the exchange it answers. The text goes
   * into the receiving session one hop further (stored once per platform id), unless that passes
   * the hop limit; the session wakes once the unit committed.
   */
  receive(unit: UnitOfWork, inbound: InboundMessage): Promise<ReceiveResult>;
}

/** What agent-to-agent messages need. */
export interface AgentMessagesOptions {
  clock: Clock;
  bus: Pick<EventBus, 'emit'>;
  wake: SessionQueue['wake'];
  hopLimit: number;
}

/** Creates the agent-to-agent messages of a gateway. */
export function createAgentMessages(options: AgentMessagesOptions): AgentMessages {
  const { bus, hopLimit } = options;

  const drop = (unit: UnitOfWork, inbound: InboundMessage, reason: string): ReceiveResult => {
    const where = { channel: inbound.channel, chatId: inbound.chat.id, senderId: inbound.sender.id };
    unit.after(() => bus.emit({ type: 'message.dropped', reason, ...where }));
    return { dropped: reason };
  };

  return {
    async open(unit, conversation) {
      const chat = await conversationChat(unit.tx, conversation.fromAgentId, conversation.fromSessionId);
      return (await unit.tx.sessions.getOrCreate({ agentId: conversation.toAgentId, chatId: chat.id, threadId: null })).session;
    },
    async receive(unit, inbound) {
      const store = unit.tx;
      const hop = (inbound.hop ?? 0) + 1;
      const target = await store.sessions.get(inbound.chat.id);
      const from = inbound.sender.id === '' ? undefined : await store.sessions.get(inbound.sender.id);
      if (!target || !from) return drop(unit, inbound, 'agent message not delivered: unknown session');
      if (hop > hopLimit) return drop(unit, inbound, `agent message not delivered: hop limit ${hopLimit}`);
      const fromAgent = await store.agents.get(from.agentId);
      // What a session says to other agents is kept in its own chat of the channel.
      const chat = await conversationChat(store, from.agentId, from.id);
      const { message: stored, inserted } = await store.messages.insert({
        chatId: chat.id,
        platformMessageId: inbound.platformMessageId,
        senderId: `agent:${fromAgent?.folder ?? from.agentId}`,
        senderName: fromAgent?.name,
        text: inbound.text,
        mentionsBot: true,
        timestamp: options.clock.now(),
        direction: 'inbound',
        hop,
      });
      if (!inserted) return { dropped: 'already received', messageId: stored.id };
      await store.inbox.add({ sessionId: target.id, messageId: stored.id, kind: 'message' });
      const routed = { agentId: target.agentId, sessionId: target.id, kind: 'message' } as const;
      unit.after(() => {
        bus.emit({ type: 'message.routed', messageId: stored.id, ...routed });
        options.wake(target.id, 'message');
      });
      return { messageId: stored.id, routed: [routed] };
    },
  };
}

/**
 * Refuses a message of the `agent` channel handed to the gateway by anything but that channel: it
 * would put text into any session, as any agent. A rejected promise, so the caller sees why.
 */
export function refuseAgentMessage(message: Pick<InboundMessage, 'channel'>): Promise<never> | undefined {
  if (message.channel !== agentChannel) return undefined;
  return Promise.reject(
    new NotSupportedError(`[@ngb/core] messages of the internal "${agentChannel}" channel come only from that channel`),
  );
}

/** The chat of the `agent` channel that holds what one session says to other agents. */
async function conversationChat(store: StoreRepositories, agentId: string, sessionId: string) {
  const agent = await store.agents.get(agentId);
  return store.chats.upsert({
    channel: agentChannel,
    platformChatId: sessionId,
    name: `agent ${agent?.folder ?? agentId}`,
    isGroup: false,
    status: 'active',
  });
}
