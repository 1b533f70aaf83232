import type { Address, Chat, StoreRepositories } from '@ngb/plugin-sdk';
import { agentChannel } from './gateway-settings';

/** Where the gateway may write later: what it knows of the owner's chat and of short-lived channels. */
export interface ChatPlaces {
  /** Channels whose chats live only as long as one process (the CLI's terminal). */
  ephemeralChannels: readonly string[];
  /** The configured address for approval requests. */
  approvalsAddress?: Address;
}

/** True for a channel whose chats live only as long as one process (the CLI's terminal). */
export function isEphemeralChannel(places: Pick<ChatPlaces, 'ephemeralChannels'>, channel: string): boolean {
  return places.ephemeralChannels.includes(channel);
}

/** A chat that can be written to later: active, on a platform channel that outlives a process. */
function lasting(places: ChatPlaces, chat: Chat | undefined): chat is Chat {
  return (
    chat !== undefined && chat.status === 'active' && chat.channel !== agentChannel && !isEphemeralChannel(places, chat.channel)
  );
}

/** The chat an agent can always be reached in: a direct chat wired to it, else any chat wired to it. */
async function wiredHomeChat(store: StoreRepositories, places: ChatPlaces, agentId: string): Promise<Chat | undefined> {
  const wirings = await store.wirings.listForAgent(agentId);
  const chats = (await Promise.all(wirings.map((wiring) => store.chats.get(wiring.chatId)))).filter((chat): chat is Chat =>
    lasting(places, chat),
  );
  return chats.find((chat) => !chat.isGroup) ?? chats[0];
}

/**
 * The owner's chat: the configured approvals address when the store knows that chat, else the
 * main agent's home chat.
 */
export async function ownerChat(store: StoreRepositories, places: ChatPlaces): Promise<Chat | undefined> {
  const configured = places.approvalsAddress;
  if (configured) {
    const chat = await store.chats.getByPlatformId(configured.channel, configured.chatId);
    if (lasting(places, chat)) return chat;
  }
  const main = (await store.agents.list()).find((agent) => agent.isMain);
  return main ? wiredHomeChat(store, places, main.id) : undefined;
}

/**
 * Where an agent's work goes when the chat it came from cannot receive it later (a terminal
 * conversation): the agent's own home chat, else the owner's chat; undefined when there is none.
 */
export async function homeChat(store: StoreRepositories, places: ChatPlaces, agentId: string): Promise<Chat | undefined> {
  return (await wiredHomeChat(store, places, agentId)) ?? (await ownerChat(store, places));
}
