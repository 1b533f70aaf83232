import type { Clock, InboundMessage, ReceiveResult } from '@ngb/plugin-sdk';
import type { EventBus } from './events';
import { agentChannel } from './gateway-settings';
import type { SessionQueue } from './session-queue';
import type { UnitOfWork } from './unit-of-work';

/** A message from one agent to another. */
interface AgentMessage {
  fromAgentId: string;
  fromSessionId: string;
  toAgentId: string;
  /** The session to answer into (a reply); else the receiving agent's session for the sender. */
  toSessionId?: string;
  text: string;
  /** Stable per message: a second send with the same key is a no-op. */
  key: string;
  /** How many agent-to-agent steps led to this message. */
  hop: number;
}

/** Messages between agents, through the internal `agent` channel. */
export interface AgentMessages {
  /** Puts a message into the receiving agent's session, in the unit; the session wakes once it committed. */
  send(unit: UnitOfWork, message: AgentMessage): Promise<ReceiveResult>;
  /**
   * Routes an inbound message of the internal `agent` channel (a reply sent through it): its chat
   * id names the asking session, its sender the answering one. The text goes into the asking
   * session one hop further, unless that passes the hop limit.
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

  const send: AgentMessages['send'] = async (unit, message) => {
    const store = unit.tx;
    const from = await store.agents.get(message.fromAgentId);
    const chat = await store.chats.upsert({
      channel: agentChannel,
      platformChatId: message.fromSessionId,
      name: `agent ${from?.folder ?? message.fromAgentId}`,
      isGroup: false,
      status: 'active',
    });
    const { message: stored, inserted } = await store.messages.insert({
      chatId: chat.id,
      platformMessageId: message.key,
      senderId: `agent:${from?.folder ?? message.fromAgentId}`,
      senderName: from?.name,
      text: message.text,
      mentionsBot: true,
      timestamp: options.clock.now(),
      direction: 'inbound',
      hop: message.hop,
    });
    if (!inserted) return { dropped: 'already received', messageId: stored.id };
    const session =
      (message.toSessionId ? await store.sessions.get(message.toSessionId) : undefined) ??
      (await store.sessions.getOrCreate({ agentId: message.toAgentId, chatId: chat.id, threadId: null })).session;
    await store.inbox.add({ sessionId: session.id, messageId: stored.id, kind: 'message' });
    unit.after(() => {
      bus.emit({
        type: 'message.routed',
        messageId: stored.id,
        agentId: message.toAgentId,
        sessionId: session.id,
        kind: 'message',
      });
      options.wake(session.id, 'message');
    });
    return { messageId: stored.id, routed: [{ agentId: message.toAgentId, sessionId: session.id, kind: 'message' }] };
  };

  const drop = (unit: UnitOfWork, reason: string): ReceiveResult => {
    unit.after(() => bus.emit({ type: 'message.dropped', reason }));
    return { dropped: reason };
  };

  return {
    send,
    async receive(unit, inbound) {
      const store = unit.tx;
      // A reply to another agent answers at least one hop.
      const hop = Math.max(inbound.hop ?? 0, 1) + 1;
      const target = await store.sessions.get(inbound.chat.id);
      const fromSession = inbound.sender.id === '' ? undefined : await store.sessions.get(inbound.sender.id);
      if (!target || !fromSession) return drop(unit, 'agent reply not delivered: unknown session');
      if (hop > hopLimit) return drop(unit, `agent reply not delivered: hop limit ${hopLimit}`);
      return send(unit, {
        fromAgentId: fromSession.agentId,
        fromSessionId: fromSession.id,
        toAgentId: target.agentId,
        toSessionId: target.id,
        text: inbound.text,
        key: inbound.platformMessageId,
        hop,
      });
    },
  };
}
