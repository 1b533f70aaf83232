import type { DiscordChannelInfo } from './normalize-discord-message';

/** A guild channel or thread as the gateway and REST send it (the fields read here). */
interface RawDiscordChannel {
  id?: unknown;
  type?: unknown;
  name?: unknown;
  guild_id?: unknown;
  parent_id?: unknown;
  thread_metadata?: { archived?: unknown } | null;
}

interface CachedChannel {
  name?: string;
  guildId?: string;
  /** Set for a thread: the channel it belongs to. */
  parentId?: string;
  thread: boolean;
}

// Announcement, public and private threads.
const threadTypes = new Set([10, 11, 12]);

/**
 * What the adapter knows of guild channels and threads: names, and a thread's parent. Fed from the
 * gateway's own dispatches (a guild's channels and active threads arrive with it, then every change),
 * and from a channel looked up once over REST. Nothing else is kept: no messages, members, users or
 * presences, and an archived thread is forgotten until it is active again.
 */
export function createDiscordChannelCache() {
  const channels = new Map<string, CachedChannel>();

  function put(raw: unknown, guildId?: string): void {
    if (typeof raw !== 'object' || raw === null) return;
    const channel = raw as RawDiscordChannel;
    if (typeof channel.id !== 'string') return;
    const guild = typeof channel.guild_id === 'string' ? channel.guild_id : guildId;
    // DMs are not kept: the dispatches of a DM say all the adapter needs.
    if (guild === undefined) return;
    const thread = typeof channel.type === 'number' && threadTypes.has(channel.type);
    if (thread && channel.thread_metadata?.archived === true) {
      channels.delete(channel.id);
      return;
    }
    channels.set(channel.id, {
      thread,
      guildId: guild,
      ...(typeof channel.name === 'string' ? { name: channel.name } : {}),
      ...(typeof channel.parent_id === 'string' ? { parentId: channel.parent_id } : {}),
    });
  }

  function forgetGuild(guildId: string): void {
    for (const [id, channel] of channels) if (channel.guildId === guildId) channels.delete(id);
  }

  const each = (list: unknown, guildId?: string) => {
    if (Array.isArray(list)) for (const item of list) put(item, guildId);
  };

  return {
    /** Reads a gateway dispatch; the ones that do not speak of channels are ignored. */
    apply(type: string, data: unknown): void {
      if (typeof data !== 'object' || data === null) return;
      const record = data as { id?: unknown; guild_id?: unknown; channels?: unknown; threads?: unknown; unavailable?: unknown };
      switch (type) {
        case 'GUILD_CREATE': {
          if (typeof record.id !== 'string') return;
          forgetGuild(record.id);
          each(record.channels, record.id);
          each(record.threads, record.id);
          return;
        }
        case 'GUILD_DELETE':
          if (typeof record.id === 'string') forgetGuild(record.id);
          return;
        case 'CHANNEL_CREATE':
        case 'CHANNEL_UPDATE':
        case 'THREAD_CREATE':
        case 'THREAD_UPDATE':
          put(data);
          return;
        case 'CHANNEL_DELETE':
        case 'THREAD_DELETE':
          if (typeof record.id === 'string') channels.delete(record.id);
          return;
        case 'THREAD_LIST_SYNC':
          each(record.threads, typeof record.guild_id === 'string' ? record.guild_id : undefined);
          return;
      }
    },
    /** Keeps a channel looked up over REST. */
    put: (raw: unknown) => put(raw),
    has: (channelId: string) => channels.has(channelId),
    /** The channel's name, or for a thread its parent and the parent's name; undefined when unknown. */
    info(channelId: string): DiscordChannelInfo | undefined {
      const channel = channels.get(channelId);
      if (!channel) return undefined;
      if (channel.thread) {
        const parentName = channel.parentId === undefined ? undefined : channels.get(channel.parentId)?.name;
        return {
          ...(channel.parentId !== undefined ? { parentId: channel.parentId } : {}),
          ...(parentName !== undefined ? { parentName } : {}),
        };
      }
      return channel.name === undefined ? {} : { name: channel.name };
    },
  };
}

/** The channel cache of one gateway connection. */
export type DiscordChannelCache = ReturnType<typeof createDiscordChannelCache>;
