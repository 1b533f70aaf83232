import type { ChannelAdapter, InboundMessage, ReceiveResult, StoreRepositories, User } from '@ngb/plugin-sdk';
import type { AgentMessages } from './agent-messages';
import type { EventBus } from './events';
import { agentChannel } from './gateway-settings';
import { applyEarlierMessageChange, changesEarlierMessage, isOwnMessage } from './inbound-kinds';
import type { Onboarding } from './onboarding';
import type { PluginHost } from './plugin-host';
import type { Questions } from './questions';
import { addressesGateway, type Router } from './router';
import type { RunUnitOfWork, UnitOfWork } from './unit-of-work';

/** What ingest needs. */
export interface IngestOptions {
  runUnit: RunUnitOfWork;
  bus: Pick<EventBus, 'emit'>;
  plugins: Pick<PluginHost, 'received'>;
  router: Router;
  /** Routes the messages of the internal `agent` channel (replies between agents, with their hop). */
  agentMessages: Pick<AgentMessages, 'receive'>;
  /** The running channels by name: a message from a channel's own account (`self`) is dropped. */
  channels: ReadonlyMap<string, Pick<ChannelAdapter, 'self'>>;
  /** Answers `/claim` and `/link` before anything else sees them. */
  onboarding: Pick<Onboarding, 'handle'>;
  /** Answers the question a button press names. */
  questions: Pick<Questions, 'answerWithChoice'>;
}

/**
 * Stores an inbound message (idempotently) and routes it. Resolves once the message is stored
 * and routed; turns run later, from the session queue.
 */
export type Ingest = (inbound: InboundMessage) => Promise<ReceiveResult>;

/** Creates the ingest step of a gateway. */
export function createIngest(options: IngestOptions): Ingest {
  return async (inbound) => {
    const where = { channel: inbound.channel, chatId: inbound.chat.id, senderId: inbound.sender.id };
    if (isOwnMessage(options.channels.get(inbound.channel), inbound)) {
      options.bus.emit({ type: 'message.dropped', reason: "the bot's own message", ...where });
      return { dropped: "the bot's own message" };
    }
    // A button press answers a question; it is no message, and no plugin rewrites it.
    if (inbound.kind === 'choice') return options.runUnit((unit) => options.questions.answerWithChoice(unit, inbound));
    // Claim and link codes pass every chat policy, and are never stored, shown to a plugin or a model.
    if (inbound.channel !== agentChannel) {
      const onboarded = options.onboarding.handle(inbound);
      if (onboarded) return onboarded;
    }
    const changed = await options.plugins.received(inbound);
    if (changed === false) {
      options.bus.emit({ type: 'message.dropped', reason: 'dropped by a plugin', ...where });
      return { dropped: 'dropped by a plugin' };
    }
    if (changed.channel === agentChannel) return options.runUnit((unit) => options.agentMessages.receive(unit, changed));
    if (changesEarlierMessage(changed)) return options.runUnit((unit) => applyEarlierMessageChange(unit, options.bus, changed));
    // Storing and routing commit together (one commit, shared with concurrent messages), and
    // nothing starts work on the rows before they are committed.
    return options.runUnit((unit) => storeAndRoute(unit, options, changed));
  };
}

async function storeAndRoute(
  unit: UnitOfWork,
  { bus, router }: Pick<IngestOptions, 'bus' | 'router'>,
  message: InboundMessage,
): Promise<ReceiveResult> {
  const store = unit.tx;
  const where = { channel: message.channel, chatId: message.chat.id, senderId: message.sender.id };
  const existingChat = await store.chats.getByPlatformId(message.channel, message.chat.id);
  // A chat the gateway does not serve keeps nothing of what is said in it, except a message that
  // asks for the gateway (it becomes the chat's approval request).
  if (existingChat?.status === 'denied') return router.drop(unit, { ...where, reason: 'chat denied' });
  if (existingChat?.status !== 'active') {
    const chat = existingChat ?? { isGroup: message.chat.isGroup };
    if (message.sender.isBot || !(await addressesGateway(store, chat, message)))
      return router.drop(unit, { ...where, reason: 'unknown chat, not addressed to the bot' });
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
    replyToPlatformId: message.replyTo?.id,
    replyToAuthorId: message.replyTo?.author?.id,
    replyToAuthorName: message.replyTo?.author?.name,
    replyToText: message.replyTo?.text,
    attachments: message.attachments,
    timestamp: message.timestamp,
    direction: 'inbound',
  });
  if (!inserted) return router.drop(unit, { ...where, messageId: stored.id, reason: 'already received' });
  unit.after(() =>
    bus.emit({
      type: 'message.received',
      messageId: stored.id,
      channel: message.channel,
      chatId: message.chat.id,
      senderId: message.sender.id,
      text: message.text,
    }),
  );
  if (message.sender.isBot) return router.drop(unit, { ...where, messageId: stored.id, reason: 'sent by a bot' });
  return router.route(unit, chat, lazyUser(store, message), stored);
}

/** The sender's user row, made on first use: only access checks, approvals and commands need it. */
function lazyUser(store: StoreRepositories, message: InboundMessage): () => Promise<User> {
  let user: Promise<User> | undefined;
  return () => {
    user ??= store.users.upsert({ channel: message.channel, platformUserId: message.sender.id, name: message.sender.name });
    return user;
  };
}
