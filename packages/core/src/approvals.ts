import type { Address, Approval, Chat, Clock, Logger, StoredMessage, StoreRepositories, User } from '@ngb/plugin-sdk';
import { NgbError, NotFoundError } from '@ngb/plugin-sdk';
import { activateChat } from './activate-chat';
import type { EventBus } from './events';
import { type ChatPlaces, ownerChat } from './home-chat';
import type { EnqueueText } from './outbound';
import type { UnitOfWork } from './unit-of-work';

/** What the approvals module needs. */
export interface ApprovalsOptions {
  bus: Pick<EventBus, 'emit'>;
  clock: Clock;
  logger: Logger;
  generateId: () => string;
  places: ChatPlaces;
  /** How long an approval code can be used after it was sent. */
  ttlMs: number;
  enqueueText: EnqueueText;
}

/** Routes a stored message again once its sender or chat was approved. */
export type Reroute = (unit: UnitOfWork, chat: Chat, user: User, message: StoredMessage) => Promise<unknown>;

/** Requests for unknown chats and senders, and the owner's decisions on them. */
export interface Approvals {
  /**
   * Asks the owner to approve an unknown chat or sender, once: while a request is pending (or
   * after a denial) nothing more is sent.
   */
  request(unit: UnitOfWork, request: { kind: 'chat' | 'sender'; chat: Chat; user: User; message: StoredMessage }): Promise<void>;
  /**
   * Approves or denies a pending request by its code, in the unit's transaction. An approved chat
   * becomes active (wired to the main agent if it had no wiring); an approved sender becomes a
   * member of the chat's agents; then the original message is routed again.
   * @throws NotFoundError when no pending approval has the code; NgbError with code
   *   `approval_expired` when the code is older than the time to live
   */
  resolve(unit: UnitOfWork, code: string, decision: 'approved' | 'denied', reroute: Reroute): Promise<Approval>;
}

/** A short one-time code for approvals, from the injected id generator. */
function approvalCode(generateId: () => string): string {
  return generateId()
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-8)
    .toUpperCase();
}

function describeTtl(milliseconds: number): string {
  const minutes = Math.round(milliseconds / 60_000);
  if (minutes >= 1) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `${Math.max(1, Math.round(milliseconds / 1000))} seconds`;
}

/** Creates the approvals of a gateway. */
export function createApprovals(options: ApprovalsOptions): Approvals {
  const { bus, clock, ttlMs, places } = options;
  /** True when an approval's code can no longer be used (`ttlMs` after it was requested). */
  const isExpired = (approval: Approval) => clock.now() >= approval.requestedAt + ttlMs;

  /** Where approval requests go: the configured address, else the main agent's direct chat. */
  const approvalsAddress = async (store: StoreRepositories): Promise<Address | undefined> => {
    if (places.approvalsAddress) return places.approvalsAddress;
    const chat = await ownerChat(store, places);
    return chat ? { channel: chat.channel, chatId: chat.platformChatId } : undefined;
  };

  return {
    async request(unit, request) {
      const store = unit.tx;
      const userId = request.kind === 'sender' ? request.user.id : undefined;
      // An expired request no longer holds the place: the next message asks again, with a new code.
      const pending = (await store.approvals.list({ status: 'pending' })).filter(
        (approval) => approval.kind === request.kind && approval.chatId === request.chat.id && approval.userId === userId,
      );
      if (pending.some((approval) => !isExpired(approval))) return;
      const denied = (await store.approvals.list({ status: 'denied' })).some(
        (approval) => approval.kind === request.kind && approval.chatId === request.chat.id && approval.userId === userId,
      );
      if (denied) return;
      const code = approvalCode(options.generateId);
      const approval = await store.approvals.create({
        kind: request.kind,
        chatId: request.chat.id,
        userId,
        messageId: request.message.id,
        code,
        requestedAt: clock.now(),
      });
      unit.after(() =>
        bus.emit({ type: 'approval.requested', approvalId: approval.id, kind: request.kind, chatId: request.chat.id, code }),
      );
      const address = await approvalsAddress(store);
      if (!address) {
        options.logger.warn(
          'approval requested but no owner chat is known; list requests with `ngb approvals ls`, then `ngb approvals approve CODE`',
          { code },
        );
        return;
      }
      const who = request.user.name ?? request.user.platformUserId;
      const what =
        request.kind === 'chat'
          ? `New chat "${request.chat.name}" (${request.chat.channel}) wants to talk to the agent.`
          : `${who} wants to talk to the agent in "${request.chat.name}".`;
      const text = `${what}\nFirst message from ${who}: ${request.message.text.slice(0, 200)}\nReply /approve ${code} or /deny ${code} within ${describeTtl(ttlMs)}.`;
      await options.enqueueText(unit, address, text, `approval:${approval.id}`);
    },

    async resolve(unit, code, decision, reroute) {
      const store = unit.tx;
      const found = await store.approvals.getByCode(code.trim().toUpperCase());
      if (found?.status !== 'pending') throw new NotFoundError('approval code', code);
      if (isExpired(found)) {
        throw new NgbError(
          'approval_expired',
          `[@ngb/core] approval code "${found.code}" expired (codes are valid for ${describeTtl(ttlMs)}); a new message from the chat asks again with a new code`,
        );
      }
      const approval = await store.approvals.resolve(found.id, decision, clock.now());
      unit.after(() => bus.emit({ type: 'approval.resolved', approvalId: approval.id, status: decision }));
      let chat = await store.chats.get(approval.chatId);
      if (!chat) return approval;
      if (approval.kind === 'chat') {
        // Approving a chat lets the person who asked in; other members of a group need their own approval.
        chat =
          decision === 'approved' ? await activateChat(store, chat) : await store.chats.update(chat.id, { status: 'denied' });
        const requester = approval.messageId ? await store.messages.get(approval.messageId) : undefined;
        const user = requester ? await store.users.getByPlatformId(chat.channel, requester.senderId) : undefined;
        if (decision === 'approved' && user) {
          for (const wiring of await store.wirings.listForChat(chat.id)) await store.agentMembers.add(wiring.agentId, user.id);
        }
      } else if (decision === 'approved' && approval.userId) {
        for (const wiring of await store.wirings.listForChat(chat.id))
          await store.agentMembers.add(wiring.agentId, approval.userId);
      }
      if (decision === 'approved' && approval.messageId) {
        const message = await store.messages.get(approval.messageId);
        const user = message ? await store.users.getByPlatformId(chat.channel, message.senderId) : undefined;
        if (message && user) await reroute(unit, chat, user, message);
      }
      return approval;
    },
  };
}
