import type { Store } from '@ngb/plugin-sdk';

/** Which durable work a gateway process takes over when it starts. */
export interface StoreScope {
  /** Sessions whose pending messages and unfinished turns this process runs. */
  ownsSession(sessionId: string): Promise<boolean>;
  /** Chats whose unsent replies this process delivers. */
  ownsChat(channel: string, chatId: string): boolean;
  /** Whether this process fires scheduled tasks. */
  runsTasks: boolean;
}

function override<T extends object>(target: T, methods: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(target, {
    get(object, key) {
      if (Object.hasOwn(methods, key)) return methods[key as keyof T];
      const value = Reflect.get(object, key, object);
      return typeof value === 'function' ? value.bind(object) : value;
    },
  });
}

async function filterAsync<T>(items: readonly T[], keep: (item: T) => Promise<boolean>): Promise<T[]> {
  const decisions = await Promise.all(items.map(keep));
  return items.filter((_, index) => decisions[index]);
}

/**
 * A view of the store in which the gateway's start-up sweep (pending inboxes, unfinished turns,
 * unsent replies, due tasks) only sees this process's own work. Without it a short-lived
 * `ngb run` would pick up, and answer, the work of a running `ngb serve` sharing the database
 * (and fire its scheduled tasks); and `serve` would run leftovers of an interrupted `ngb run`
 * whose replies only that terminal could show.
 */
export function scopeStore(store: Store, scope: StoreScope): Store {
  const inbox = override(store.inbox, {
    sessionsWithPending: async () => filterAsync(await store.inbox.sessionsWithPending(), scope.ownsSession),
  });
  const turns = override(store.turns, {
    listUnfinished: async () => filterAsync(await store.turns.listUnfinished(), (turn) => scope.ownsSession(turn.sessionId)),
  });
  const outbox = override(store.outbox, {
    pendingChats: async () => (await store.outbox.pendingChats()).filter((chat) => scope.ownsChat(chat.channel, chat.chatId)),
  });
  const tasks = override(store.tasks, {
    due: async (now: number) => (scope.runsTasks ? store.tasks.due(now) : []),
    nextDueAt: async () => (scope.runsTasks ? store.tasks.nextDueAt() : undefined),
  });
  return override(store, { inbox, turns, outbox, tasks });
}

/** The channel name of conversations held in a terminal (`ngb run`, `ngb shell`). */
export const cliChannelName = 'cli';

/** The scope of `serve`: everything except the terminal conversations of `ngb run` / `ngb shell`. */
export function serveScope(store: Store): StoreScope {
  return {
    ownsSession: async (sessionId) => {
      const session = await store.sessions.get(sessionId);
      const chat = session?.chatId ? await store.chats.get(session.chatId) : undefined;
      return chat?.channel !== cliChannelName;
    },
    ownsChat: (channel) => channel !== cliChannelName,
    runsTasks: true,
  };
}

/** The scope of a terminal conversation: its own session and chat only, no scheduled tasks. */
export function conversationScope(sessionIds: ReadonlySet<string>, chatIds: ReadonlySet<string>): StoreScope {
  return {
    ownsSession: async (sessionId) => sessionIds.has(sessionId),
    ownsChat: (channel, chatId) => channel === cliChannelName && chatIds.has(chatId),
    runsTasks: false,
  };
}
