import type { StoreRepositories, User } from '@ngb/plugin-sdk';
import { activateChat } from './activate-chat';

/**
 * The dashboard's own chat, as the web channel reports it: the platform user `dashboard` in chat
 * `dashboard` on channel `web`. The gateway makes this identity an owner (linked to the first
 * owner) so the dashboard speaks as the owner. Only the web channel may ever report this sender:
 * it must never hand a visitor the id `dashboard`. The gateway itself never links it by a code.
 */
export const dashboardIdentity = { channel: 'web', chatId: 'dashboard', platformUserId: 'dashboard' } as const;

/** True for the dashboard's identity. */
export function isDashboardIdentity(channel: string, platformUserId: string): boolean {
  return channel === dashboardIdentity.channel && platformUserId === dashboardIdentity.platformUserId;
}

/**
 * When an owner exists, makes the dashboard identity an owner (linked to the first owner, unless it
 * is an owner already) and its chat active and wired to the main agent.
 * @returns the owner the dashboard speaks as, or undefined when there is no owner yet
 */
export async function linkDashboardToOwner(store: StoreRepositories): Promise<User | undefined> {
  const owner = (await store.users.listWithRole('owner'))[0];
  if (!owner) return undefined;
  const identity = await store.users.upsert({
    channel: dashboardIdentity.channel,
    platformUserId: dashboardIdentity.platformUserId,
    name: 'Dashboard',
  });
  const roles = await store.users.listRoles(identity.id);
  if (!roles.some((role) => role.role === 'owner')) await store.users.link(identity.id, owner.id);
  const chat = await store.chats.upsert({
    channel: dashboardIdentity.channel,
    platformChatId: dashboardIdentity.chatId,
    name: 'Dashboard',
    isGroup: false,
    status: 'active',
    unknownSenderPolicy: 'strict',
  });
  await activateChat(store, chat);
  return owner;
}
