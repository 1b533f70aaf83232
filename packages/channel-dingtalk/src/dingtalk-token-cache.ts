import type { Clock } from '@ngb/plugin-sdk';

// A token is renewed this long before DingTalk says it expires (or at half its life, if that is later).
const tokenMarginMs = 300_000;

/** An access token as a DingTalk token endpoint gives it. */
export interface FetchedToken {
  token: string;
  lifetimeMs: number;
}

/** One access token, fetched when first needed, shared by concurrent callers, renewed before it expires. */
export interface DingTalkTokenCache {
  get(): Promise<string>;
  /** Forgets the token (DingTalk refused it); true when there was one to forget, so a retry may help. */
  invalidate(): boolean;
}

export function createDingTalkTokenCache(clock: Clock, fetchToken: () => Promise<FetchedToken>): DingTalkTokenCache {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  const refresh = async () => {
    const { token, lifetimeMs } = await fetchToken();
    cached = { token, expiresAt: clock.now() + Math.max(lifetimeMs - tokenMarginMs, lifetimeMs / 2) };
    return token;
  };
  return {
    get() {
      if (cached && clock.now() < cached.expiresAt) return Promise.resolve(cached.token);
      pending ??= refresh().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate() {
      const had = cached !== undefined;
      cached = undefined;
      return had;
    },
  };
}
