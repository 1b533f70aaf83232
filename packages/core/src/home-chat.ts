import type { Chat } from '@ngb/plugin-sdk';
import { agentChannel, type GatewayContext } from './gateway-context';

/** True for a channel whose chats live only as long as one process (the CLI's terminal). */
export function isEphemeralChannel(context: Pick<GatewayContext, 'settings'>, channel: string): boolean {
  return context.settings.ephemeralChannels.includes(channel);
}

/** A chat that can be written to later: active, on a platform channel that outlives a process. */
function lasting(context: GatewayContext, chat: Chat | undefined): chat is Chat {
  return (
    chat !== undefined && chat.status === 'active' && chat.channel !== agentChannel && !isEphemeralChannel(context, chat.channel)
  );
}

/** The chat an agent can always be reached in: a direct chat wired to it, else any chat wired to it. */
async function wiredHomeChat(context: GatewayContext, agentId: string): Promise<Chat | undefined> {
  const wirings = await context.store.wirings.listForAgent(agentId);
  const chats = (await Promise.all(wirings.map((wiring) => context.store.chats.get(wiring.chatId)))).filter(
    (chat): chat is Chat => lasting(context, chat),
  );
  return chats.find((chat) => !chat.isGroup) ?? chats[0];
}

/**
 * The owner's chat: the configured approvals address when the store knows that chat, else the
 * main agent's home chat.
 */
export async function ownerChat(context: GatewayContext): Promise<Chat | undefined> {
  const configured = context.settings.approvalsAddress;
  if (configured) {
    const chat = await context.store.chats.getByPlatformId(configured.channel, configured.chatId);
    if (lasting(context, chat)) return chat;
  }
  const main = (await context.store.agents.list()).find((agent) => agent.isMain);
  return main ? wiredHomeChat(context, main.id) : undefined;
}

/**
 * Where an agent's work goes when the chat it came from cannot receive it later (a terminal
 * conversation): the agent's own home chat, else the owner's chat; undefined when there is none.
 */
export async function homeChat(context: GatewayContext, agentId: string): Promise<Chat | undefined> {
  return (await wiredHomeChat(context, agentId)) ?? (await ownerChat(context));
}
