import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import type { Agent, Chat, InboundMessage, Session, Store, User } from '@ngb/plugin-sdk';
import { fail } from '../cli-error';
import { cliChannelName } from '../compose/cli-channel';
import { resolveSession } from './resolve-session';

/** A terminal conversation: the cli chat, its session with one agent, and the person typing. */
export interface ConversationRecord {
  agent: Agent;
  chat: Chat;
  session: Session;
  user: User;
  /** True when an earlier session was picked up with `--resume`. */
  resumed: boolean;
}

/** The name of the person at the terminal. */
function terminalUser(): string {
  try {
    return userInfo().username || 'you';
  } catch {
    return 'you';
  }
}

/**
 * Opens the conversation of `ngb run` / `ngb shell`: a new direct chat on the `cli` channel wired to
 * the agent (or, with `resumeId`, the chat of an earlier terminal session, reactivated if closed).
 * The terminal user becomes an admin of the agent, so `/clear`, `/cost` and `/compact` work.
 */
export async function openConversation(
  store: Store,
  input: { agents: readonly Agent[]; agentFolder: string | undefined; resumeId?: string; title: string },
): Promise<ConversationRecord> {
  const username = terminalUser();
  let chat: Chat;
  let agent: Agent | undefined;
  let resumed = false;
  if (input.resumeId !== undefined) {
    const earlier = await resolveSession(store, input.resumeId);
    const earlierChat = earlier.chatId ? await store.chats.get(earlier.chatId) : undefined;
    if (earlierChat?.channel !== cliChannelName) {
      const where = earlierChat ? `the ${earlierChat.channel} chat "${earlierChat.name}"` : 'no chat (it is shared by the agent)';
      fail(
        `session ${earlier.id.slice(0, 8)} belongs to ${where}; only sessions started by \`ngb run\` or \`ngb shell\` can be resumed here`,
      );
    }
    agent = input.agents.find((candidate) => candidate.id === earlier.agentId) ?? (await store.agents.get(earlier.agentId));
    if (!agent) fail(`session ${earlier.id.slice(0, 8)} belongs to an agent that no longer exists`);
    if (input.agentFolder !== undefined && input.agentFolder !== agent.folder) {
      fail(
        `session ${earlier.id.slice(0, 8)} belongs to agent "${agent.folder}", not "${input.agentFolder}"; drop -g to resume it`,
      );
    }
    chat = earlierChat.status === 'active' ? earlierChat : await store.chats.update(earlierChat.id, { status: 'active' });
    if (earlier.status === 'closed') await store.sessions.update(earlier.id, { status: 'active' });
    resumed = true;
  } else {
    const folder = input.agentFolder ?? 'main';
    agent = input.agents.find((candidate) => candidate.folder === folder);
    if (!agent) {
      const known = input.agents.map((candidate) => candidate.folder).join(', ') || 'none';
      fail(`unknown agent "${folder}" (agents: ${known}); add one with \`ngb agent add ${folder}\``);
    }
    chat = await store.chats.upsert({
      channel: cliChannelName,
      platformChatId: `${input.title}-${randomUUID()}`,
      name: `ngb ${input.title} (${username})`,
      isGroup: false,
      status: 'active',
      unknownSenderPolicy: 'strict',
    });
  }
  const user = await store.users.upsert({ channel: cliChannelName, platformUserId: username, name: username });
  await store.users.grantRole(user.id, 'admin', agent.id);
  const wirings = await store.wirings.listForChat(chat.id);
  if (!wirings.some((wiring) => wiring.agentId === agent.id)) {
    await store.wirings.add({ chatId: chat.id, agentId: agent.id, engage: 'always', sessionMode: 'shared' });
  }
  const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: chat.id, threadId: null });
  return { agent, chat, session, user, resumed };
}

/**
 * Unwires the terminal chat when the command ends, so a running `ngb serve` never mistakes it for
 * the owner's chat (approval requests go to the main agent's active direct chat). The session and
 * its transcript stay, for `--resume`.
 */
export async function closeConversation(store: Store, record: ConversationRecord): Promise<void> {
  for (const wiring of await store.wirings.listForChat(record.chat.id)) await store.wirings.remove(wiring.id);
}

/** The inbound message the terminal user's prompt becomes. */
export function promptMessage(record: ConversationRecord, text: string): InboundMessage {
  return {
    channel: cliChannelName,
    chat: { id: record.chat.platformChatId, name: record.chat.name, isGroup: false },
    platformMessageId: `cli-${randomUUID()}`,
    sender: { id: record.user.platformUserId, name: record.user.name },
    text,
    mentionsBot: true,
    timestamp: Date.now(),
  };
}
