import type { Address, Approval, Chat, StoredMessage, User } from '@ngb/plugin-sdk';
import { NgbError, NotFoundError } from '@ngb/plugin-sdk';
import { approvalCode, type GatewayContext } from './gateway-context';
import { ownerChat } from './home-chat';
import { enqueueText } from './outbound';

/** Where approval requests go: the configured address, else the main agent's direct chat. */
async function approvalsAddress(context: GatewayContext): Promise<Address | undefined> {
  if (context.settings.approvalsAddress) return context.settings.approvalsAddress;
  const chat = await ownerChat(context);
  return chat ? { channel: chat.channel, chatId: chat.platformChatId } : undefined;
}

/** True when an approval's code can no longer be used (`approvalTtlMs` after it was requested). */
function isExpired(context: GatewayContext, approval: Approval): boolean {
  return context.clock.now() >= approval.requestedAt + context.settings.approvalTtlMs;
}

function describeTtl(milliseconds: number): string {
  const minutes = Math.round(milliseconds / 60_000);
  if (minutes >= 1) return `${minutes} minute${minutes === 1 ? '' : 's'}`;
  return `${Math.max(1, Math.round(milliseconds / 1000))} seconds`;
}

/**
 * Asks the owner to approve an unknown chat or sender, once: while a request is pending (or after
 * a denial) nothing more is sent.
 */
export async function requestApproval(
  context: GatewayContext,
  request: { kind: 'chat' | 'sender'; chat: Chat; user: User; message: StoredMessage },
): Promise<void> {
  const { store } = context;
  const userId = request.kind === 'sender' ? request.user.id : undefined;
  // An expired request no longer holds the place: the next message asks again, with a new code.
  const pending = (await store.approvals.list({ status: 'pending' })).filter(
    (approval) => approval.kind === request.kind && approval.chatId === request.chat.id && approval.userId === userId,
  );
  if (pending.some((approval) => !isExpired(context, approval))) return;
  const denied = (await store.approvals.list({ status: 'denied' })).some(
    (approval) => approval.kind === request.kind && approval.chatId === request.chat.id && approval.userId === userId,
  );
  if (denied) return;
  const code = approvalCode(context.generateId);
  const approval = await store.approvals.create({
    kind: request.kind,
    chatId: request.chat.id,
    userId,
    messageId: request.message.id,
    code,
    requestedAt: context.clock.now(),
  });
  context.bus.emit({ type: 'approval.requested', approvalId: approval.id, kind: request.kind, chatId: request.chat.id, code });
  const address = await approvalsAddress(context);
  if (!address) {
    context.logger.warn(
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
  const text = `${what}\nFirst message from ${who}: ${request.message.text.slice(0, 200)}\nReply /approve ${code} or /deny ${code} within ${describeTtl(context.settings.approvalTtlMs)}.`;
  await enqueueText(context, address, text, `approval:${approval.id}`);
}

/**
 * Approves or denies a pending request by its code. An approved chat becomes active (wired to the
 * main agent if it had no wiring); an approved sender becomes a member of the chat's agents; then
 * the original message is routed again.
 * @throws NotFoundError when no pending approval has the code; NgbError with code
 *   `approval_expired` when the code is older than `approvalTtlMs`
 */
export async function resolveApproval(
  context: GatewayContext,
  code: string,
  decision: 'approved' | 'denied',
  reroute: (chat: Chat, user: User, message: StoredMessage) => Promise<void>,
): Promise<Approval> {
  const { store } = context;
  const found = await store.approvals.getByCode(code.trim().toUpperCase());
  if (found?.status !== 'pending') throw new NotFoundError('approval code', code);
  if (isExpired(context, found)) {
    throw new NgbError(
      'approval_expired',
      `[@ngb/core] approval code "${found.code}" expired (codes are valid for ${describeTtl(context.settings.approvalTtlMs)}); a new message from the chat asks again with a new code`,
    );
  }
  const approval = await store.approvals.resolve(found.id, decision, context.clock.now());
  context.bus.emit({ type: 'approval.resolved', approvalId: approval.id, status: decision });
  const chat = await store.chats.get(approval.chatId);
  if (!chat) return approval;
  if (approval.kind === 'chat') {
    // Approving a chat lets the person who asked in; other members of a group need their own approval.
    const updated = await store.chats.update(
      chat.id,
      decision === 'approved'
        ? { status: 'active', unknownSenderPolicy: chat.isGroup ? 'request_approval' : 'strict' }
        : { status: 'denied' },
    );
    if (decision === 'approved' && (await store.wirings.listForChat(chat.id)).length === 0) {
      const main = (await store.agents.list()).find((agent) => agent.isMain);
      if (main) {
        await store.wirings.add({
          chatId: chat.id,
          agentId: main.id,
          engage: chat.isGroup ? 'mention' : 'always',
          sessionMode: 'shared',
        });
      }
    }
    Object.assign(chat, updated);
    const requester = approval.messageId ? await store.messages.get(approval.messageId) : undefined;
    const user = requester ? await store.users.getByPlatformId(chat.channel, requester.senderId) : undefined;
    if (decision === 'approved' && user) {
      for (const wiring of await store.wirings.listForChat(chat.id)) await store.agentMembers.add(wiring.agentId, user.id);
    }
  } else if (decision === 'approved' && approval.userId) {
    for (const wiring of await store.wirings.listForChat(chat.id)) await store.agentMembers.add(wiring.agentId, approval.userId);
  }
  if (decision === 'approved' && approval.messageId) {
    const message = await store.messages.get(approval.messageId);
    const user = message ? await store.users.getByPlatformId(chat.channel, message.senderId) : undefined;
    if (message && user) await reroute(chat, user, message);
  }
  return approval;
}
