import type { Clock } from '@ngb/plugin-sdk';
import type { WeComApi } from './wecom-api';

/** How many names are kept, and for how long. */
const maxEntries = 1_000;
const ttlMs = 60 * 60_000;

/**
 * People's names by userid, through `/cgi-bin/user/get` (best effort: callbacks carry only the
 * userid, and WeCom gives newer applications no names; then the core shows the userid). Bounded:
 * the oldest entry goes first.
 */
export function createWeComUserNames(api: WeComApi, clock: Clock) {
  const names = new Map<string, { name: string | undefined; until: number }>();
  return {
    async nameOf(userId: string): Promise<string | undefined> {
      const known = names.get(userId);
      if (known && known.until > clock.now()) return known.name;
      let name: string | undefined;
      try {
        const answer = await api.call('cgi-bin/user/get', { userid: userId });
        name = typeof answer.name === 'string' && answer.name !== '' ? answer.name : undefined;
      } catch {
        // Not cached: a passing failure should not hide the name for an hour.
        return undefined;
      }
      names.delete(userId);
      names.set(userId, { name, until: clock.now() + ttlMs });
      if (names.size > maxEntries) names.delete(names.keys().next().value as string);
      return name;
    },
    clear() {
      names.clear();
    },
  };
}
