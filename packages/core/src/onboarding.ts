import type { Address, Clock, InboundMessage, Logger, ReceiveResult, StoreRepositories, User } from '@ngb/plugin-sdk';
import { activateChat } from './activate-chat';
import { isDashboardIdentity, linkDashboardToOwner } from './dashboard-identity';
import type { EventBus } from './events';
import { type CodeThrottle, createCodeThrottle, hashOnboardingCode, newOnboardingCode } from './onboarding-code';
import type { EnqueueText } from './outbound';
import type { RunUnitOfWork, UnitOfWork } from './unit-of-work';
import { waitingApprovals } from './waiting-approvals';

/** What the gateway's onboarding offers its app (the server shows the claim code to loopback visitors). */
export interface GatewayOnboarding {
  /**
   * The code that claims the gateway, while it has no owner: the pending one this process made, or
   * a new one (which replaces any other). Whoever sends `/claim CODE` from any chat becomes the
   * owner. Only a hash of the code is stored.
   * @returns the code and when it expires (epoch ms), or undefined once the gateway has an owner
   */
  claimCode(): Promise<{ code: string; expiresAt: number } | undefined>;
}

/** What onboarding needs. */
export interface OnboardingOptions {
  runUnit: RunUnitOfWork;
  bus: Pick<EventBus, 'emit'>;
  clock: Clock;
  logger: Logger;
  enqueueText: EnqueueText;
  /** Whether the gateway has the web channel, whose dashboard identity speaks as the owner. */
  hasDashboard: () => boolean;
  claimTtlMs: number;
  linkTtlMs: number;
  /** How long an approval code can be used (requests waiting for a new owner are listed to them). */
  approvalTtlMs: number;
  /** Wrong codes allowed within `codeLockMs` before codes are locked for `codeLockMs`. */
  maxWrongCodes: number;
  codeLockMs: number;
}

/** Onboarding as the gateway uses it. */
export interface Onboarding extends GatewayOnboarding {
  /**
   * Answers `/claim` and `/link` from any chat, whatever its policy, before anything is stored (the
   * code never reaches a plugin, the messages table or a model).
   * @returns undefined when the message is neither
   */
  handle(inbound: InboundMessage): Promise<ReceiveResult> | undefined;
  /** Makes the dashboard identity an owner when an owner exists (at start). */
  linkDashboard(): Promise<void>;
}

const onboardingPattern = /^\/(claim|link)(?:@\S+)?(?:\s+(\S+))?\s*$/i;

function minutes(milliseconds: number): string {
  const count = Math.max(1, Math.round(milliseconds / 60_000));
  return count >= 120 && count % 60 === 0 ? `${count / 60} hours` : `${count} minute${count === 1 ? '' : 's'}`;
}

/** Creates the onboarding of a gateway: claiming it, and linking identities. */
export function createOnboarding(options: OnboardingOptions): Onboarding {
  const { runUnit, bus, clock, logger } = options;
  const throttle = (what: string): CodeThrottle =>
    createCodeThrottle({ what, clock, logger, maxWrong: options.maxWrongCodes, lockMs: options.codeLockMs });
  const throttles = { claim: throttle('claim'), link: throttle('link') };
  let shown: { code: string; hash: string; expiresAt: number } | undefined;
  let claimCodeQueue: Promise<unknown> = Promise.resolve();

  const hasOwner = async (store: StoreRepositories) => (await store.users.listWithRole('owner')).length > 0;

  const linkDashboard = async (unit: UnitOfWork) => {
    if (!options.hasDashboard()) return;
    const owner = await linkDashboardToOwner(unit.tx);
    if (owner) unit.after(() => logger.info('the dashboard speaks as the owner', { userId: owner.id }));
  };

  const claimCode: GatewayOnboarding['claimCode'] = () => {
    const next = claimCodeQueue.then(() =>
      runUnit(async (unit) => {
        const store = unit.tx;
        if (await hasOwner(store)) {
          await store.onboardingCodes.discardUnused('claim');
          shown = undefined;
          return undefined;
        }
        const now = clock.now();
        const current = shown;
        if (current && (await store.onboardingCodes.listUsable('claim', now)).some((code) => code.codeHash === current.hash))
          return { code: current.code, expiresAt: current.expiresAt };
        await store.onboardingCodes.discardUnused('claim');
        const code = newOnboardingCode();
        const made = { code, hash: hashOnboardingCode(code), expiresAt: now + options.claimTtlMs };
        await store.onboardingCodes.create({ kind: 'claim', codeHash: made.hash, expiresAt: made.expiresAt });
        unit.after(() => {
          shown = made;
        });
        return { code, expiresAt: made.expiresAt };
      }),
    );
    claimCodeQueue = next.catch(() => undefined);
    return next;
  };

  const handle = async (inbound: InboundMessage, name: 'claim' | 'link', code: string | undefined): Promise<ReceiveResult> => {
    const address: Address = { channel: inbound.channel, chatId: inbound.chat.id, threadId: inbound.threadId };
    const where = { channel: inbound.channel, chatId: inbound.chat.id, senderId: inbound.sender.id };
    const reply = (unit: UnitOfWork, text: string) =>
      options.enqueueText(unit, address, text, `onboarding:${inbound.channel}:${inbound.chat.id}:${inbound.platformMessageId}`, {
        replyTo: inbound.platformMessageId,
      });
    const answer = (text: string) => runUnit((unit) => reply(unit, text));
    const reason = `command /${name}`;
    bus.emit({ type: 'message.dropped', reason, ...where });
    const result: ReceiveResult = { dropped: reason };
    if (inbound.sender.isBot) return result;

    const locked = throttles[name].lockedUntil();
    if (code !== undefined && locked !== undefined) {
      logger.warn(`${name} code refused: codes are locked after too many wrong ones`, { ...where, lockedUntil: locked });
      await answer(`Too many wrong codes: /${name} codes are refused for a while. Try again later.`);
      return result;
    }
    const sender = (store: StoreRepositories) =>
      store.users.upsert({ channel: inbound.channel, platformUserId: inbound.sender.id, name: inbound.sender.name });
    const activate = async (store: StoreRepositories) => {
      const chat = await store.chats.upsert({
        channel: inbound.channel,
        platformChatId: inbound.chat.id,
        name: inbound.chat.name ?? inbound.chat.id,
        isGroup: inbound.chat.isGroup,
        status: 'active',
      });
      return activateChat(store, chat);
    };

    if (name === 'claim') {
      if (code === undefined) {
        await answer('Send /claim CODE with the code `ngb serve` printed (or the dashboard shows on this machine).');
        return result;
      }
      const outcome = await runUnit(async (unit) => {
        const store = unit.tx;
        if (await hasOwner(store)) {
          await reply(unit, 'This gateway is already claimed: it has an owner.');
          return 'claimed already';
        }
        if (!(await store.onboardingCodes.consume('claim', hashOnboardingCode(code), clock.now()))) {
          await reply(unit, 'That code is not valid.');
          return 'wrong';
        }
        await store.onboardingCodes.discardUnused('claim');
        const user = await sender(store);
        await store.users.grantRole(user.id, 'owner');
        const chat = await activate(store);
        await linkDashboard(unit);
        const waiting = await waitingApprovals(store, { ownChatId: chat.id, now: clock.now(), ttlMs: options.approvalTtlMs });
        await reply(
          unit,
          'You are now the owner of this gateway. Link your other accounts with /link; approve new chats and people with /approve CODE.' +
            (waiting.length > 0 ? `\nWaiting for your decision:\n${waiting.join('\n')}` : ''),
        );
        unit.after(() => {
          shown = undefined;
          logger.info('gateway claimed', { ...where, userId: user.id });
          bus.emit({ type: 'gateway.claimed', userId: user.id, ...where });
        });
        return 'claimed';
      });
      if (outcome === 'wrong') throttles.claim.recordWrong(where);
      return result;
    }

    if (code === undefined) {
      await runUnit(async (unit) => {
        if (inbound.chat.isGroup) {
          await reply(unit, 'Send /link in a direct chat with me: a code shown in a group could be used by anyone in it.');
          return;
        }
        // A stranger asking for a code leaves no user row behind.
        const user = await unit.tx.users.getByPlatformId(inbound.channel, inbound.sender.id);
        if (!user || !(await isKnown(unit.tx, user))) {
          await reply(unit, 'Only people the gateway knows can link accounts.');
          return;
        }
        const holder = user.linkedUserId ?? user.id;
        await unit.tx.onboardingCodes.discardUnused('link', { userId: holder });
        const fresh = newOnboardingCode();
        const expiresAt = clock.now() + options.linkTtlMs;
        await unit.tx.onboardingCodes.create({ kind: 'link', codeHash: hashOnboardingCode(fresh), userId: holder, expiresAt });
        await reply(
          unit,
          `To link another account to this one, send /link ${fresh} from it within ${minutes(options.linkTtlMs)}. Only send it to me.`,
        );
      });
      return result;
    }

    if (isDashboardIdentity(inbound.channel, inbound.sender.id)) {
      await answer('The dashboard speaks as the owner already; it cannot be linked to anyone else.');
      return result;
    }
    const outcome = await runUnit(async (unit) => {
      const store = unit.tx;
      const used = await store.onboardingCodes.consume('link', hashOnboardingCode(code), clock.now());
      if (!used?.userId) {
        await reply(unit, 'That code is not valid.');
        return 'wrong';
      }
      const identity = await sender(store);
      const linked = await store.users.link(identity.id, used.userId);
      const user = await store.users.get(linked.linkedUserId ?? linked.id);
      if ((await store.users.listRoles(identity.id)).some((role) => role.role === 'owner')) await activate(store);
      await reply(unit, `Linked: this account now acts as ${user?.name ?? user?.platformUserId ?? 'the same person'}.`);
      unit.after(() => {
        logger.info('identity linked', { ...where, userId: used.userId });
        bus.emit({ type: 'identity.linked', userId: used.userId ?? '', identityId: identity.id, ...where });
      });
      return 'linked';
    });
    if (outcome === 'wrong') throttles.link.recordWrong(where);
    return result;
  };

  return {
    claimCode,
    handle(inbound) {
      const match = onboardingPattern.exec(inbound.text.trim());
      if (!match || inbound.kind === 'edit' || inbound.kind === 'delete') return undefined;
      return handle(inbound, (match[1] ?? '').toLowerCase() as 'claim' | 'link', match[2]);
    },
    linkDashboard: () => runUnit(linkDashboard),
  };
}

/** Whether the gateway knows a person: a role, or membership of an agent. */
async function isKnown(store: StoreRepositories, user: User): Promise<boolean> {
  if ((await store.users.listRoles(user.id)).length > 0) return true;
  for (const agent of await store.agents.list()) if (await store.agentMembers.isMember(agent.id, user.id)) return true;
  return false;
}
