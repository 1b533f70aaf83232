import type { StoreRepositories } from '@ngb/plugin-sdk';

/**
 * What waits for a new owner: the approval requests made while the gateway had no owner (they were
 * sent nowhere), as lines to answer with `/approve CODE` or `/deny CODE`. A request of the chat the
 * owner claimed from is approved at once (the chat is theirs now).
 * @param ttlMs how long an approval code can be used; older requests are left out
 */
export async function waitingApprovals(
  store: StoreRepositories,
  options: { ownChatId: string; now: number; ttlMs: number },
): Promise<string[]> {
  const lines: string[] = [];
  for (const approval of await store.approvals.list({ status: 'pending' })) {
    if (approval.chatId === options.ownChatId) {
      await store.approvals.resolve(approval.id, 'approved', options.now);
      continue;
    }
    if (options.now >= approval.requestedAt + options.ttlMs) continue;
    const chat = await store.chats.get(approval.chatId);
    const user = approval.userId ? await store.users.get(approval.userId) : undefined;
    const who = user ? (user.name ?? user.platformUserId) : undefined;
    const what =
      approval.kind === 'chat'
        ? `new chat "${chat?.name ?? approval.chatId}" (${chat?.channel ?? '?'})`
        : `${who ?? 'someone'} in "${chat?.name ?? approval.chatId}"`;
    lines.push(`- ${what}: /approve ${approval.code} or /deny ${approval.code}`);
  }
  return lines;
}
