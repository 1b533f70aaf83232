import type { Clock } from '@ngb/plugin-sdk';

/** Options of {@link createSlackUserNames}. */
export interface SlackUserNamesOptions {
  /** Asks Slack for a user's display name (`users.info`); undefined when it has none. */
  lookup(userId: string): Promise<string | undefined>;
  clock: Clock;
  /** Names kept; past it the least recently used one leaves. */
  size: number;
  /** How long a name is trusted, in milliseconds. */
  ttlMs: number;
}

/**
 * Display names of Slack users, looked up once and kept in a bounded cache with a time limit. A failed
 * lookup is not cached (the message goes on with the id alone), and one lookup per user is in flight.
 */
export function createSlackUserNames(options: SlackUserNamesOptions) {
  const cache = new Map<string, { name: string | undefined; expiresAt: number }>();
  const pending = new Map<string, Promise<string | undefined>>();

  function cached(userId: string): { name: string | undefined } | undefined {
    const entry = cache.get(userId);
    if (!entry) return undefined;
    cache.delete(userId);
    if (entry.expiresAt <= options.clock.now()) return undefined;
    cache.set(userId, entry);
    return entry;
  }

  function remember(userId: string, name: string | undefined): void {
    cache.delete(userId);
    cache.set(userId, { name, expiresAt: options.clock.now() + options.ttlMs });
    while (cache.size > options.size) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      cache.delete(oldest);
    }
  }

  async function nameOf(userId: string): Promise<string | undefined> {
    const hit = cached(userId);
    if (hit) return hit.name;
    const inFlight = pending.get(userId);
    if (inFlight) return inFlight;
    const lookup = options
      .lookup(userId)
      .then(
        (name) => {
          remember(userId, name);
          return name;
        },
        () => undefined,
      )
      .finally(() => pending.delete(userId));
    pending.set(userId, lookup);
    return lookup;
  }

  return {
    /** The names of these users that Slack knows, by id. */
    async names(userIds: Iterable<string>): Promise<Map<string, string>> {
      const unique = [...new Set(userIds)];
      const resolved = await Promise.all(unique.map(async (id) => [id, await nameOf(id)] as const));
      return new Map(resolved.filter((entry): entry is readonly [string, string] => entry[1] !== undefined));
    },
    /** How many names are cached now. */
    size: () => cache.size,
  };
}

/** The user names cache of the Slack channel. */
export type SlackUserNames = ReturnType<typeof createSlackUserNames>;
