import type { Chat, InboxEntry, Logger, ScheduledTask, Store, StoreRepositories, Wiring } from '@ngb/plugin-sdk';
import type { EventBus } from './events';
import { agentChannel } from './gateway-settings';
import { defaultHeartbeatPrompt, type HeartbeatSettings, withinActiveHours } from './heartbeat-settings';
import { type ChatPlaces, isEphemeralChannel } from './home-chat';
import { nextRunAt } from './schedule';
import type { UnitOfWork } from './unit-of-work';

/** What the heartbeats need. */
export interface HeartbeatsOptions {
  /** Each agent's heartbeat, by agent folder. */
  settings: Readonly<Record<string, HeartbeatSettings>>;
  places: ChatPlaces;
  bus: Pick<EventBus, 'emit'>;
  logger: Logger;
}

/**
 * Each configured agent's heartbeat: a system task (kind `heartbeat`, an interval) the scheduler
 * fires like any task, so its next run is stored and a restart neither loses it nor runs the missed
 * ones (a heartbeat due during a stop runs once, then every interval from then).
 */
export interface Heartbeats {
  /**
   * Makes the heartbeat tasks match the config: one active task per configured agent (its next run
   * kept when its interval did not change), and the heartbeats of agents no longer configured cancelled.
   */
  sync(store: Store, now: number): Promise<void>;
  /**
   * The session a due heartbeat runs in: the shared session of the agent's main chat. Undefined
   * (with a `heartbeat` event `skipped` saying why) outside the active hours, when the agent has no
   * main chat, or while the previous heartbeat has not finished.
   */
  sessionFor(unit: UnitOfWork, task: ScheduledTask, now: number): Promise<string | undefined>;
}

/**
 * An agent's main chat: the chat `heartbeat.chat` names (active and wired to the agent), else the
 * first direct chat wired to it (active, on a lasting channel) where an owner wrote.
 */
async function mainChat(
  store: StoreRepositories,
  places: ChatPlaces,
  agentId: string,
  configured: string | undefined,
): Promise<{ chat: Chat; wiring: Wiring } | { problem: string }> {
  const wirings = await store.wirings.listForAgent(agentId);
  if (configured !== undefined) {
    const separator = configured.indexOf(':');
    const chat = await store.chats.getByPlatformId(configured.slice(0, separator), configured.slice(separator + 1));
    const wiring = chat ? wirings.find((candidate) => candidate.chatId === chat.id) : undefined;
    if (chat?.status !== 'active' || !wiring)
      return { problem: `heartbeat.chat "${configured}" is not an active chat wired to the agent` };
    return { chat, wiring };
  }
  const owners = await store.users.listWithRole('owner');
  for (const wiring of wirings) {
    const chat = await store.chats.get(wiring.chatId);
    if (!chat || chat.isGroup || chat.status !== 'active') continue;
    if (chat.channel === agentChannel || isEphemeralChannel(places, chat.channel)) continue;
    for (const owner of owners.filter((user) => user.channel === chat.channel)) {
      const written = await store.messages.find({ chatId: chat.id, senderId: owner.platformUserId, limit: 1 });
      if (written.length > 0) return { chat, wiring };
    }
  }
  return {
    problem:
      'the agent has no main chat: no direct chat wired to it where an owner wrote; write to it from an owner account, or set its heartbeat.chat',
  };
}

/** Creates the heartbeats of a gateway. */
export function createHeartbeats(options: HeartbeatsOptions): Heartbeats {
  const { bus, logger } = options;

  const skip = (unit: UnitOfWork, agentId: string, reason: string, warn = false) => {
    if (warn) logger.warn(`heartbeat not run: ${reason}`, { agentId });
    unit.after(() => bus.emit({ type: 'heartbeat', state: 'skipped', agentId, reason }));
    return undefined;
  };

  return {
    async sync(store, now) {
      const agents = await store.agents.list();
      for (const folder of Object.keys(options.settings))
        if (!agents.some((agent) => agent.folder === folder))
          logger.warn('a heartbeat is configured for an agent that does not exist', { folder });
      for (const agent of agents) {
        const settings = options.settings[agent.folder];
        const beats = (await store.tasks.list({ agentId: agent.id })).filter(
          (task) => task.kind === 'heartbeat' && (task.status === 'active' || task.status === 'paused'),
        );
        const [kept, ...extra] = settings ? beats : [];
        for (const task of settings ? extra : beats) await store.tasks.update(task.id, { status: 'cancelled', nextRunAt: null });
        if (!settings) continue;
        const prompt = settings.prompt ?? defaultHeartbeatPrompt;
        if (!kept) {
          await store.tasks.create({
            kind: 'heartbeat',
            agentId: agent.id,
            prompt,
            scheduleType: 'interval',
            scheduleValue: settings.every,
            timezone: agent.timezone,
            contextMode: 'group',
            nextRunAt: nextRunAt('interval', settings.every, agent.timezone, now),
          });
          continue;
        }
        const same = kept.scheduleValue === settings.every && kept.status === 'active' && kept.nextRunAt !== undefined;
        await store.tasks.update(kept.id, {
          prompt,
          scheduleValue: settings.every,
          status: 'active',
          ...(same ? {} : { nextRunAt: nextRunAt('interval', settings.every, agent.timezone, now) ?? null }),
        });
      }
    },

    async sessionFor(unit, task, now) {
      const store = unit.tx;
      const agent = await store.agents.get(task.agentId);
      const settings = agent ? options.settings[agent.folder] : undefined;
      if (!agent || !settings) return skip(unit, task.agentId, 'the agent has no heartbeat in the config');
      const hours = settings.activeHours;
      if (hours && !withinActiveHours(hours, hours.timeZone ?? agent.timezone, now))
        return skip(unit, agent.id, `outside the active hours ${hours.start}–${hours.end}`);
      const main = await mainChat(store, options.places, agent.id, settings.chat);
      if ('problem' in main) return skip(unit, agent.id, main.problem, true);
      // The chat's own session (for per-thread wirings its main timeline): the answer goes to that chat.
      const { session } = await store.sessions.getOrCreate({ agentId: agent.id, chatId: main.chat.id, threadId: null });
      const pending = await store.inbox.listPending(session.id);
      if (pending.some((entry) => entry.taskId === task.id))
        return skip(unit, agent.id, 'the previous heartbeat has not finished');
      unit.after(() => bus.emit({ type: 'heartbeat', state: 'started', agentId: agent.id, sessionId: session.id }));
      return session.id;
    },
  };
}

/** The heartbeat task among a turn's inbox entries, if one is. */
export async function heartbeatOf(
  store: Pick<StoreRepositories, 'tasks'>,
  entries: readonly InboxEntry[],
): Promise<ScheduledTask | undefined> {
  for (const entry of entries) {
    if (entry.kind !== 'task' || !entry.taskId) continue;
    const task = await store.tasks.get(entry.taskId);
    if (task?.kind === 'heartbeat') return task;
  }
  return undefined;
}
