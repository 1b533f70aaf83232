import type { Clock } from '@ngb/plugin-sdk';

/** Options of {@link createFeishuUserNames}. */
export interface FeishuUserNamesOptions {
  clock: Clock;
  /** Names kept. */
  size: number;
  /** How long a name (or its absence) is trusted, in milliseconds. */
  ttlMs: number;
  /** Reads a name (`GET /open-apis/contact/v3/users/:open_id`); throws when it cannot. */
  lookup(openId: string): Promise<string | undefined>;
}

/**
 * Display names by open_id, in a bounded cache (the oldest entry leaves first). A failed lookup (the
 * app may lack the contact scope) is remembered as "no name" for the same time, so it is not retried
 * for every message.
 */
export function createFeishuUserNames(options: FeishuUserNamesOptions) {
  const names = new Map<string, { name: string | undefined; until: number }>();
  return async (openId: string): Promise<string | undefined> => {
    const cached = names.get(openId);
    if (cached && cached.until > options.clock.now()) return cached.name;
    let name: string | undefined;
    try {
      name = await options.lookup(openId);
    } catch {
      name = undefined;
    }
    names.delete(openId);
    names.set(openId, { name, until: options.clock.now() + options.ttlMs });
    while (names.size > options.size) {
      const oldest = names.keys().next().value;
      if (oldest === undefined) break;
      names.delete(oldest);
    }
    return name;
  };
}
