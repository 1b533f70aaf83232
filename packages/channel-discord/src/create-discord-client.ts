import { type SessionInfo, WebSocketManager } from '@discordjs/ws';
import type { Clock, TimerHandle } from '@ngb/plugin-sdk';
import { GatewayIntentBits } from 'discord-api-types/v10';
import { REST } from './discord-rest';

/**
 * The intents the adapter asks for: guild channels and threads (`Guilds`), messages in them
 * (`GuildMessages`), their text (`MessageContent`, a privileged intent to enable in the Developer
 * Portal), and direct messages (`DirectMessages`).
 */
const discordIntents =
  GatewayIntentBits.Guilds |
  GatewayIntentBits.GuildMessages |
  GatewayIntentBits.MessageContent |
  GatewayIntentBits.DirectMessages;

/** One session with Discord: its REST client and its gateway connection. */
export interface DiscordClient {
  rest: REST;
  gateway: WebSocketManager;
  /** Closes the gateway connection and stops the REST client's timers. */
  destroy(): Promise<void>;
}

/**
 * A client for the adapter over discord.js's own REST and gateway packages (`@discordjs/rest`,
 * `@discordjs/ws`), without the discord.js framework around them: the adapter reads raw dispatches
 * and keeps what it needs of channels itself, so none of discord.js's structures and caches are
 * loaded or filled.
 *
 * The REST client rejects rate limits and 5xx instead of waiting and retrying by itself: the core's
 * delivery retries with backoff and keeps per-chat order, and `retry_after` reaches it through
 * `mapDiscordError`. Resumable sessions are kept per client, never in the module-wide default store.
 */
export function createDiscordClient(apiUrl: string, token: string): DiscordClient {
  const rest = new REST({ api: apiUrl, retries: 0, rejectOnRateLimit: () => true, offset: 0 }).setToken(token);
  const sessions = new Map<number, SessionInfo>();
  const gateway = new WebSocketManager({
    token,
    intents: discordIntents,
    rest,
    retrieveSessionInfo: (shardId) => sessions.get(shardId) ?? null,
    updateSessionInfo: (shardId, session) => {
      if (session) sessions.set(shardId, session);
      else sessions.delete(shardId);
    },
  });
  let destroyed: Promise<void> | undefined;
  return {
    rest,
    gateway,
    destroy() {
      destroyed ??= (async () => {
        rest.clearHashSweeper();
        rest.clearHandlerSweeper();
        await gateway.destroy({ code: 1000, reason: 'the channel stopped' });
      })();
      return destroyed;
    },
  };
}

// How long a new session waits for the guilds READY announced before it counts as ready anyway.
const guildsTimeoutMs = 15_000;

/**
 * When a session is ready: each shard's READY announces its guilds, which then arrive one by one with
 * their channels (`GUILD_CREATE`, or `GUILD_DELETE` for one that is unavailable). A shard is ready once
 * they all came, or after 15 s without them; `all` resolves once no shard waits any more.
 * @param onShardReady called each time a shard becomes ready (again, after a new session)
 */
export function createDiscordReadiness(clock: Clock, onShardReady: () => void) {
  const awaited = new Map<number, { guilds: Set<string>; timer: TimerHandle }>();
  let settle: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (settle = resolve));
  const shardReady = (shardId: number) => {
    const entry = awaited.get(shardId);
    if (entry) clock.clearTimeout(entry.timer);
    awaited.delete(shardId);
    if (awaited.size === 0) settle();
    onShardReady();
  };
  return {
    all,
    /** A shard's READY, with the ids of the guilds it announced. */
    ready(shardId: number, guildIds: readonly string[]): void {
      if (guildIds.length === 0) {
        shardReady(shardId);
        return;
      }
      const timer = clock.setTimeout(() => shardReady(shardId), guildsTimeoutMs);
      awaited.set(shardId, { guilds: new Set(guildIds), timer });
    },
    /** A guild arrived (or was reported unavailable) on a shard. */
    arrived(shardId: number, guildId: unknown): void {
      const waiting = awaited.get(shardId);
      if (!waiting || typeof guildId !== 'string' || !waiting.guilds.delete(guildId)) return;
      if (waiting.guilds.size === 0) shardReady(shardId);
    },
  };
}
