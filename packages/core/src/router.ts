import type {
  Agent,
  Chat,
  InboundMessage,
  ReceiveResult,
  RoutedMessage,
  SessionKey,
  StoredMessage,
  User,
  UserRole,
  Wiring,
} from '@ngb/plugin-sdk';
import { type PendingEffects, runEffects, transactionalContext } from './after-commit';
import { requestApproval } from './approvals';
import { handleCommand, parseCommand } from './commands';
import { decideAccess, isAdminOf, shouldEngage } from './engage';
import type { GatewayContext } from './gateway-context';

/** The session a wiring puts a message in. */
function sessionKeyFor(wiring: Pick<Wiring, 'agentId' | 'sessionMode' | 'chatId'>, threadId: string | undefined): SessionKey {
  switch (wiring.sessionMode) {
    case 'shared':
      return { agentId: wiring.agentId, chatId: wiring.chatId, threadId: null };
    case 'per-thread':
      return { agentId: wiring.agentId, chatId: wiring.chatId, threadId: threadId ?? null };
    case 'agent-shared':
      return { agentId: wiring.agentId, chatId: null, threadId: null };
  }
}

/**
 * Stores an inbound message (idempotently) and routes it. Resolves once the message is stored
 * and routed; turns run later, from the session queue.
 */
export async function ingest(context: GatewayContext, inbound: InboundMessage): Promise<ReceiveResult> {
  const changed = await context.plugins.received(inbound);
  if (changed === false) return drop(context, { reason: 'dropped by a plugin' });
  const message = changed;
  // Storing and routing commit together (one commit, shared with concurrent messages), and nothing
  // starts work on the rows before they are committed.
  const effects: PendingEffects = [];
  const result = await context.store.transaction(async (tx) => {
    const scoped = transactionalContext(context, tx, effects);
    return storeAndRoute(scoped, message);
  });
  await runEffects(context, effects);
  return result;
}

/** Says why a message was dropped, as an event and as the result of `receive`. */
function drop(
  context: Pick<GatewayContext, 'bus'>,
  event: { messageId?: string; agentId?: string; reason: string },
): ReceiveResult {
  context.bus.emit({ type: 'message.dropped', ...event });
  return event.messageId === undefined ? { dropped: event.reason } : { dropped: event.reason, messageId: event.messageId };
}

/**
 * Whether a message of a chat the gateway does not serve yet is meant for it: a direct message, a
 * platform mention, or the main agent's `@name` trigger.
 */
async function addressesGateway(
  context: GatewayContext,
  chat: Pick<Chat, 'isGroup'>,
  message: Pick<InboundMessage, 'text' | 'mentionsBot'>,
): Promise<boolean> {
  if (!chat.isGroup || message.mentionsBot) return true;
  const main = (await context.store.agents.list()).find((agent) => agent.isMain);
  return main !== undefined && shouldEngage(mentionWiring(main), main, chat, message);
}

async function storeAndRoute(context: GatewayContext, message: InboundMessage): Promise<ReceiveResult> {
  const { store } = context;
  const existingChat = await store.chats.getByPlatformId(message.channel, message.chat.id);
  // A chat the gateway does not serve keeps nothing of what is said in it, except a message that
  // asks for the gateway (it becomes the chat's approval request).
  if (existingChat?.status === 'denied') return drop(context, { reason: 'chat denied' });
  if (existingChat?.status !== 'active') {
    const chat = existingChat ?? { isGroup: message.chat.isGroup };
    if (message.sender.isBot || !(await addressesGateway(context, chat, message)))
      return drop(context, { reason: 'unknown chat, not addressed to the bot' });
  }
  const chat =
    existingChat ??
    (await store.chats.upsert({
      channel: message.channel,
      platformChatId: message.chat.id,
      name: message.chat.name ?? message.chat.id,
      isGroup: message.chat.isGroup,
      status: 'pending',
    }));
  const { message: stored, inserted } = await store.messages.insert({
    chatId: chat.id,
    platformMessageId: message.platformMessageId,
    threadId: message.threadId,
    senderId: message.sender.id,
    senderName: message.sender.name,
    text: message.text,
    mentionsBot: message.mentionsBot,
    replyToPlatformId: message.replyTo,
    attachments: message.attachments,
    timestamp: message.timestamp,
    direction: 'inbound',
  });
  if (!inserted) return { dropped: 'already received', messageId: stored.id };
  context.bus.emit({
    type: 'message.received',
    messageId: stored.id,
    channel: message.channel,
    chatId: message.chat.id,
    senderId: message.sender.id,
    text: message.text,
  });
  if (message.sender.isBot) return drop(context, { messageId: stored.id, reason: 'sent by a bot' });
  // The sender's user row is only needed for access checks, approvals and commands.
  let user: Promise<User> | undefined;
  const sender = () => {
    user ??= store.users.upsert({ channel: message.channel, platformUserId: message.sender.id, name: message.sender.name });
    return user;
  };
  return route(context, chat, sender, stored);
}

/** Routes a stored message of a known chat to its wired agents (used again when an approval replays it). */
export async function route(
  context: GatewayContext,
  chat: Chat,
  sender: User | (() => Promise<User>),
  message: StoredMessage,
): Promise<ReceiveResult> {
  const user = typeof sender === 'function' ? sender : async () => sender;
  const { store } = context;
  const { bus } = context;
  if (chat.status === 'denied') return drop(context, { messageId: message.id, reason: 'chat denied' });
  if (chat.status === 'pending') {
    if (await addressesGateway(context, chat, message))
      await requestApproval(context, { kind: 'chat', chat, user: await user(), message });
    return drop(context, { messageId: message.id, reason: 'unknown chat' });
  }
  const wirings = await store.wirings.listForChat(chat.id);
  let roles: Promise<UserRole[]> | undefined;
  const userRoles = async () => {
    roles ??= user().then((found) => store.users.listRoles(found.id));
    return roles;
  };
  const command = parseCommand(message.text);
  if (command) {
    // Commands may call the model (/compact): they run once the message is committed.
    const input = { command, chat, user: await user(), roles: await userRoles(), message, wirings };
    await context.afterCommit((committed) =>
      handleCommand(committed, {
        ...input,
        reroute: async (target, author, stored) => void (await route(committed, target, author, stored)),
      }),
    );
    return { dropped: `command /${command.name}`, messageId: message.id };
  }
  if (wirings.length === 0) return drop(context, { messageId: message.id, reason: 'no agent wired to the chat' });
  const routed: RoutedMessage[] = [];
  let lastDrop = 'not engaged';
  const skip = (agentId: string, reason: string) => {
    lastDrop = reason;
    bus.emit({ type: 'message.dropped', messageId: message.id, agentId, reason });
  };
  for (const wiring of wirings) {
    const agent = await store.agents.get(wiring.agentId);
    if (!agent) continue;
    if (!shouldEngage(wiring, agent, chat, message)) {
      if (wiring.accumulate) routed.push(await addToInbox(context, wiring, message, 'context', bus));
      else skip(agent.id, 'not engaged');
      continue;
    }
    // Public chats need no lookups; elsewhere roles first, then membership only when they do not decide.
    const found = chat.unknownSenderPolicy === 'public' ? undefined : await user();
    const roles = found ? await userRoles() : [];
    const isMember =
      found !== undefined && !isAdminOf(roles, agent.id) && (await store.agentMembers.isMember(agent.id, found.id));
    const access = decideAccess({ chat, roles, agentId: agent.id, isMember });
    if (access === 'deny') {
      skip(agent.id, 'sender not allowed (strict chat)');
      continue;
    }
    if (access === 'request') {
      await requestApproval(context, { kind: 'sender', chat, user: found ?? (await user()), message });
      skip(agent.id, 'sender awaiting approval');
      continue;
    }
    const entry = await addToInbox(context, wiring, message, 'message', bus);
    routed.push(entry);
    context.queue.wake(entry.sessionId, 'message');
  }
  return routed.length > 0 ? { messageId: message.id, routed } : { dropped: lastDrop, messageId: message.id };
}

function mentionWiring(agent: Agent): Wiring {
  return {
    id: '',
    chatId: '',
    agentId: agent.id,
    engage: 'mention',
    sessionMode: 'shared',
    priority: 0,
    accumulate: false,
    createdAt: 0,
  };
}

async function addToInbox(
  context: GatewayContext,
  wiring: Wiring,
  message: StoredMessage,
  kind: 'message' | 'context',
  bus: Pick<GatewayContext['bus'], 'emit'>,
): Promise<RoutedMessage> {
  const { session, created } = await context.store.sessions.getOrCreate(sessionKeyFor(wiring, message.threadId));
  await context.store.inbox.add({ sessionId: session.id, messageId: message.id, kind });
  if (created)
    await context.plugins.notify('session:created', {
      sessionId: session.id,
      agentId: session.agentId,
      chatId: session.chatId ?? null,
    });
  bus.emit({ type: 'message.routed', messageId: message.id, agentId: wiring.agentId, sessionId: session.id, kind });
  return { agentId: wiring.agentId, sessionId: session.id, kind };
}
