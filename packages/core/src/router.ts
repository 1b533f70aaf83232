import type {
  Agent,
  Chat,
  InboundMessage,
  ReceiveResult,
  RoutedMessage,
  StoredMessage,
  StoreRepositories,
  User,
  UserRole,
  Wiring,
} from '@ngb/plugin-sdk';
import type { Approvals } from './approvals';
import { type HandleCommand, parseCommand, runsInSession } from './commands';
import { decideAccess, isAdminOf, isStickyCandidate, shouldEngage } from './engage';
import type { EventBus } from './events';
import type { PluginHost } from './plugin-host';
import type { Questions } from './questions';
import { sessionKeyFor } from './session-key';
import type { SessionQueue } from './session-queue';
import type { UnitOfWork } from './unit-of-work';

/** What the router needs. */
export interface RouterOptions {
  bus: Pick<EventBus, 'emit'>;
  plugins: Pick<PluginHost, 'notify'>;
  approvals: Pick<Approvals, 'request'>;
  handleCommand: HandleCommand;
  /** Answers a waiting question (`ask_user`) with a message that names one of its options. */
  questions: Pick<Questions, 'answerWithText'>;
  wake: SessionQueue['wake'];
  clock: { now(): number };
  /** How long a thread stays sticky for a `mention-sticky` wiring after the agent was last engaged in it. */
  stickyIdleMs: number;
}

/** Puts stored messages of known chats into the sessions of their wired agents. */
export interface Router {
  /**
   * Routes a stored message of a known chat to its wired agents, in the unit's transaction (used
   * again when an approval replays it). Sessions are woken once the unit committed.
   */
  route(unit: UnitOfWork, chat: Chat, sender: User | (() => Promise<User>), message: StoredMessage): Promise<ReceiveResult>;
  /** Says why a message was dropped, as an event (once committed) and as the result of `receive`. */
  drop(
    unit: UnitOfWork,
    event: { reason: string; channel: string; chatId: string; senderId?: string; messageId?: string; agentId?: string },
  ): ReceiveResult;
}

/**
 * Whether a message of a chat the gateway does not serve yet is meant for it: a direct message, a
 * platform mention, or the main agent's `@name` trigger.
 */
export async function addressesGateway(
  store: StoreRepositories,
  chat: Pick<Chat, 'isGroup'>,
  message: Pick<InboundMessage, 'text' | 'mentionsBot'>,
): Promise<boolean> {
  if (!chat.isGroup || message.mentionsBot) return true;
  const main = (await store.agents.list()).find((agent) => agent.isMain);
  return main !== undefined && shouldEngage(mentionWiring(main), main, chat, message);
}

/** Creates the router of a gateway. */
export function createRouter(options: RouterOptions): Router {
  const { bus, approvals } = options;

  const emit = (unit: UnitOfWork, event: Parameters<EventBus['emit']>[0]) => unit.after(() => bus.emit(event));

  const drop: Router['drop'] = (unit, event) => {
    emit(unit, { type: 'message.dropped', ...event });
    return event.messageId === undefined ? { dropped: event.reason } : { dropped: event.reason, messageId: event.messageId };
  };

  const addToInbox = async (
    unit: UnitOfWork,
    chat: Chat,
    wiring: Wiring,
    message: StoredMessage,
    kind: 'message' | 'context',
  ): Promise<RoutedMessage> => {
    const { session, created } = await unit.tx.sessions.getOrCreate(sessionKeyFor(wiring, message.threadId));
    await unit.tx.inbox.add({ sessionId: session.id, messageId: message.id, kind });
    const notification = { sessionId: session.id, agentId: session.agentId, chatId: session.chatId ?? null };
    if (created) unit.after(() => options.plugins.notify('session:created', notification));
    emit(unit, { type: 'message.routed', messageId: message.id, agentId: wiring.agentId, sessionId: session.id, kind });
    if (kind === 'message') unit.after(() => options.wake(session.id, 'message'));
    if (kind === 'message' && isStickyCandidate(wiring, chat, message))
      await unit.tx.stickyThreads.touch({
        agentId: wiring.agentId,
        chatId: wiring.chatId,
        threadId: message.threadId,
        sessionId: session.id,
        engagedAt: options.clock.now(),
      });
    return { agentId: wiring.agentId, sessionId: session.id, kind };
  };

  const queueCommand = async (unit: UnitOfWork, wiring: Wiring, message: StoredMessage) => {
    const { session, created } = await unit.tx.sessions.getOrCreate(sessionKeyFor(wiring, message.threadId));
    await unit.tx.inbox.add({ sessionId: session.id, messageId: message.id, kind: 'command' });
    const notification = { sessionId: session.id, agentId: session.agentId, chatId: session.chatId ?? null };
    if (created) unit.after(() => options.plugins.notify('session:created', notification));
    unit.after(() => options.wake(session.id, 'message'));
  };

  // One lookup on the primary key, and only for a plain message in a thread of a sticky wiring.
  const stuck = async (store: UnitOfWork['tx'], wiring: Wiring, chat: Chat, message: StoredMessage) => {
    if (!isStickyCandidate(wiring, chat, message)) return false;
    const key = { agentId: wiring.agentId, chatId: wiring.chatId, threadId: message.threadId };
    const engagedAt = await store.stickyThreads.lastEngagedAt(key);
    return engagedAt !== undefined && options.clock.now() - engagedAt < options.stickyIdleMs;
  };

  const route: Router['route'] = async (unit, chat, sender, message) => {
    const store = unit.tx;
    const user = typeof sender === 'function' ? sender : async () => sender;
    const where = { channel: chat.channel, chatId: chat.platformChatId, senderId: message.senderId, messageId: message.id };
    if (chat.status === 'denied') return drop(unit, { ...where, reason: 'chat denied' });
    if (chat.status === 'pending') {
      if (await addressesGateway(store, chat, message))
        await approvals.request(unit, { kind: 'chat', chat, user: await user(), message });
      return drop(unit, { ...where, reason: 'unknown chat, awaiting approval' });
    }
    const wirings = await store.wirings.listForChat(chat.id);
    let roles: Promise<UserRole[]> | undefined;
    const userRoles = async () => {
      roles ??= user().then((found) => store.users.listRoles(found.id));
      return roles;
    };
    const command = parseCommand(message.text);
    if (command) {
      const roles = await userRoles();
      const admin = runsInSession(command) ? wirings.filter((wiring) => isAdminOf(roles, wiring.agentId)) : [];
      // Rights are decided here; the command then waits in each session's lane behind the work
      // before it, so it never races a turn, and `receive` never waits for its model call.
      for (const wiring of admin) await queueCommand(unit, wiring, message);
      if (admin.length > 0) return drop(unit, { ...where, reason: `command /${command.name}` });
      // `/approve`, `/deny` and refusals are answered once the message is committed.
      const input = { command, chat, user: await user(), roles, message, reroute: route };
      unit.after(() => options.handleCommand(input));
      return { dropped: `command /${command.name}`, messageId: message.id };
    }
    // A reply naming an option of a waiting question is its answer: the waiting turn resumes with it.
    const answered = await options.questions.answerWithText(unit, chat, user, message);
    if (answered) return answered;
    if (wirings.length === 0) return drop(unit, { ...where, reason: 'no agent wired to the chat' });
    const routed: RoutedMessage[] = [];
    let lastDrop = 'not engaged';
    const skip = (agentId: string, reason: string) => {
      lastDrop = reason;
      drop(unit, { ...where, agentId, reason });
    };
    for (const wiring of wirings) {
      const agent = await store.agents.get(wiring.agentId);
      if (!agent) continue;
      if (!shouldEngage(wiring, agent, chat, message) && !(await stuck(store, wiring, chat, message))) {
        if (wiring.accumulate) routed.push(await addToInbox(unit, chat, wiring, message, 'context'));
        else skip(agent.id, 'not engaged');
        continue;
      }
      // Public chats need no lookups; elsewhere roles first, then membership only when they do not decide.
      const found = chat.unknownSenderPolicy === 'public' ? undefined : await user();
      const foundRoles = found ? await userRoles() : [];
      const isMember =
        found !== undefined && !isAdminOf(foundRoles, agent.id) && (await store.agentMembers.isMember(agent.id, found.id));
      const access = decideAccess({ chat, roles: foundRoles, agentId: agent.id, isMember });
      if (access === 'deny') {
        skip(agent.id, 'sender not allowed (strict chat)');
        continue;
      }
      if (access === 'request') {
        await approvals.request(unit, { kind: 'sender', chat, user: found ?? (await user()), message });
        skip(agent.id, 'sender awaiting approval');
        continue;
      }
      routed.push(await addToInbox(unit, chat, wiring, message, 'message'));
    }
    return routed.length > 0 ? { messageId: message.id, routed } : { dropped: lastDrop, messageId: message.id };
  };

  return { route, drop };
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
