import { type Address, ConfigError, defineTool, type Store, type Tool } from '@ngb/plugin-sdk';
import type { AgentMessages } from './agent-messages';
import { agentChannel } from './gateway-settings';
import type { EnqueueText } from './outbound';
import type { TurnInfo } from './turn-runner';
import type { RunUnitOfWork } from './unit-of-work';

/** What the host tools need. */
export interface HostToolsOptions {
  store: Store;
  runUnit: RunUnitOfWork;
  enqueueText: EnqueueText;
  agentMessages: Pick<AgentMessages, 'open'>;
  /** Agent-to-agent steps allowed in one exchange. */
  hopLimit: number;
}

const text = { type: 'string', description: 'The message text.' };
const destination = { type: 'string', description: 'The name of one of your destinations.' };

/** Host tools of a turn: messaging, agent-to-agent, and (main agent only) chat registration. */
export function createHostTools(options: HostToolsOptions, turn: TurnInfo): Tool[] {
  const { store, runUnit, hopLimit } = options;
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
      const target = address;
      const key = nextKey();
      await runUnit(async (unit) => {
        await options.enqueueText(unit, target, input.text, key, {
          sessionId: turn.session.id,
          turnId: turn.turnId,
          format: 'markdown',
        });
        if (input.destination === undefined) await unit.tx.turns.update(turn.turnId, { sentMessage: true });
      });
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
      if (hop > hopLimit) {
        return { output: `not sent: the hop limit (${hopLimit}) between agents was reached`, isError: true };
      }
      const conversation = { fromAgentId: turn.agent.id, fromSessionId: turn.session.id, toAgentId: found.target.agentId };
      const key = nextKey();
      // Sent through the `agent` channel like any text; it arrives one hop further than this turn.
      await runUnit(async (unit) => {
        const target = await options.agentMessages.open(unit, conversation);
        await options.enqueueText(unit, { channel: agentChannel, chatId: target.id }, input.text, key, {
          sessionId: turn.session.id,
          turnId: turn.turnId,
          format: 'markdown',
          hop: turn.hop,
        });
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
