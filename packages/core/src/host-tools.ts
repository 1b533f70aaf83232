import { type Address, ConfigError, defineTool, type Tool } from '@ngb/plugin-sdk';
import { agentChannel, type GatewayContext } from './gateway-context';
import { enqueueText } from './outbound';
import type { TurnTools } from './turn-runner';

type TurnInfo = Parameters<TurnTools>[0];

const text = { type: 'string', description: 'The message text.' };
const destination = { type: 'string', description: 'The name of one of your destinations.' };

/** Host tools of a turn: messaging, agent-to-agent, and (main agent only) chat registration. */
export function createHostTools(context: GatewayContext, turn: TurnInfo): Tool[] {
  const { store } = context;
  let sent = 0;
  const nextKey = () => `${turn.turnId}:send:${sent++}`;

  const sendMessage = defineTool<{ text: string; destination?: string }>({
    name: 'send_message',
    description: 'Send a message now: to the chat this turn answers, or to one of your named chat destinations.',
    inputSchema: { type: 'object', properties: { text, destination }, required: ['text'] },
    where: 'host',
    async execute(input) {
      let address: Address | undefined = turn.origin;
      if (input.destination !== undefined) {
        const found = await store.destinations.get(turn.agent.id, input.destination);
        if (!found) return { output: `unknown destination "${input.destination}"`, isError: true };
        if (found.target.type !== 'chat')
          return { output: `"${input.destination}" is an agent: use send_to_agent`, isError: true };
        const chat = await store.chats.get(found.target.chatId);
        if (!chat) return { output: `destination "${input.destination}" points at a chat that no longer exists`, isError: true };
        address = { channel: chat.channel, chatId: chat.platformChatId };
      }
      if (!address) return { output: 'this turn has no chat to answer; name a destination', isError: true };
      await enqueueText(context, address, input.text, nextKey(), {
        sessionId: turn.session.id,
        turnId: turn.turnId,
        format: 'markdown',
      });
      if (input.destination === undefined) await store.kv.set('turn-sent', turn.turnId, true);
      return { output: 'sent' };
    },
  });

  const sendToAgent = defineTool<{ destination: string; text: string }>({
    name: 'send_to_agent',
    description: 'Send a message to another agent (one of your agent destinations). Its answer comes back to you as a message.',
    inputSchema: { type: 'object', properties: { destination, text }, required: ['destination', 'text'] },
    where: 'host',
    async execute(input) {
      const found = await store.destinations.get(turn.agent.id, input.destination);
      if (found?.target.type !== 'agent') return { output: `unknown agent destination "${input.destination}"`, isError: true };
      const hop = turn.hop + 1;
      if (hop > context.settings.hopLimit) {
        return { output: `not sent: the hop limit (${context.settings.hopLimit}) between agents was reached`, isError: true };
      }
      await deliverToAgent(context, {
        fromAgentId: turn.agent.id,
        fromSessionId: turn.session.id,
        toAgentId: found.target.agentId,
        text: input.text,
        key: nextKey(),
        hop,
      });
      return { output: 'sent' };
    },
  });

  const registerChat = defineTool<{
    channel: string;
    chatId: string;
    name?: string;
    isGroup?: boolean;
    agent?: string;
    unknown_sender_policy?: 'strict' | 'request_approval' | 'public';
  }>({
    name: 'register_chat',
    description: 'Main agent only: allow a chat and wire it to an agent (by folder; default yourself).',
    inputSchema: {
      type: 'object',
      properties: {
        channel: { type: 'string' },
        chatId: { type: 'string' },
        name: { type: 'string' },
        isGroup: { type: 'boolean' },
        agent: { type: 'string', description: 'Agent folder.' },
        unknown_sender_policy: {
          type: 'string',
          enum: ['strict', 'request_approval', 'public'],
          description:
            'Who else may talk: strict (only members), request_approval (ask the owner; default), public (anyone in the chat).',
        },
      },
      required: ['channel', 'chatId'],
    },
    where: 'host',
    async execute(input) {
      if (!turn.agent.isMain) return { output: 'only the main agent may register chats', isError: true };
      const agent = input.agent ? await store.agents.getByFolder(input.agent) : turn.agent;
      if (!agent) return { output: `unknown agent "${input.agent}"`, isError: true };
      const isGroup = input.isGroup ?? false;
      const chat = await store.chats.upsert({
        channel: input.channel,
        platformChatId: input.chatId,
        name: input.name ?? input.chatId,
        isGroup,
      });
      await store.chats.update(chat.id, {
        status: 'active',
        unknownSenderPolicy: input.unknown_sender_policy ?? 'request_approval',
      });
      const wired = (await store.wirings.listForChat(chat.id)).some((wiring) => wiring.agentId === agent.id);
      try {
        if (!wired)
          await store.wirings.add({
            chatId: chat.id,
            agentId: agent.id,
            engage: isGroup ? 'mention' : 'always',
            sessionMode: 'shared',
          });
      } catch (error) {
        if (ConfigError.isInstance(error)) return { output: error.message, isError: true };
        throw error;
      }
      return { output: `registered ${input.channel}:${input.chatId} for ${agent.folder}` };
    },
  });

  return [sendMessage, sendToAgent, registerChat];
}

/**
 * Puts a message from one agent into another agent's session and wakes it. The answer of that
 * turn is delivered back into the sending session (see {@link deliverAgentReply}).
 */
async function deliverToAgent(
  context: GatewayContext,
  message: {
    fromAgentId: string;
    fromSessionId: string;
    toAgentId: string;
    toSessionId?: string;
    text: string;
    key: string;
    hop: number;
  },
): Promise<void> {
  const { store } = context;
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
    timestamp: context.clock.now(),
    direction: 'inbound',
  });
  if (!inserted) return;
  await store.kv.set('hops', stored.id, message.hop);
  const session =
    (message.toSessionId ? await store.sessions.get(message.toSessionId) : undefined) ??
    (await store.sessions.getOrCreate({ agentId: message.toAgentId, chatId: chat.id, threadId: null })).session;
  await store.inbox.add({ sessionId: session.id, messageId: stored.id, kind: 'message' });
  context.bus.emit({
    type: 'message.routed',
    messageId: stored.id,
    agentId: message.toAgentId,
    sessionId: session.id,
    kind: 'message',
  });
  context.queue.wake(session.id, 'message');
}

/**
 * Delivers an outbox row addressed to the internal agent channel: the answering agent's text goes
 * back into the asking session, unless the hop limit is reached.
 * @returns a receipt id
 */
export async function deliverAgentReply(
  context: GatewayContext,
  entry: { key: string; chatId: string; text: string; sessionId?: string },
): Promise<string> {
  const hop = ((await context.store.kv.get('hops', entry.key)) as number | undefined) ?? 1;
  const target = await context.store.sessions.get(entry.chatId);
  const fromSession = entry.sessionId ? await context.store.sessions.get(entry.sessionId) : undefined;
  if (!target || !fromSession) return 'dropped:unknown-session';
  if (hop + 1 > context.settings.hopLimit) {
    context.bus.emit({ type: 'message.dropped', reason: `agent reply not delivered: hop limit ${context.settings.hopLimit}` });
    return 'dropped:hop-limit';
  }
  await deliverToAgent(context, {
    fromAgentId: fromSession.agentId,
    fromSessionId: fromSession.id,
    toAgentId: target.agentId,
    toSessionId: target.id,
    text: entry.text,
    key: entry.key,
    hop: hop + 1,
  });
  return `agent:${entry.key}`;
}
