// The Discord API objects the fake serves, shaped as Discord documents them (v10).

/** A user account on the fake platform. */
export interface FakeDiscordUser {
  id: string;
  username: string;
  /** Display name (`global_name`). */
  globalName?: string;
  bot?: boolean;
}

/** A channel of a guild; a thread names its parent. */
export interface FakeDiscordChannel {
  id: string;
  name: string;
  /** 0 text, 5 announcement, 11 public thread, 12 private thread, 15 forum. @default 0 (11 with a parent) */
  type?: number;
  /** The channel a thread belongs to. */
  parentId?: string;
}

/** A guild (server) the bot is in. */
export interface FakeDiscordGuild {
  id: string;
  name: string;
  channels: FakeDiscordChannel[];
}

/** A file stored on the fake CDN. */
export interface FakeDiscordFile {
  id: string;
  filename: string;
  contentType: string;
  data: Uint8Array;
  url: string;
}

let counter = 0n;
const epoch = 1_420_070_400_000n;

/** A fresh snowflake: time in the upper bits, a counter below, so ids grow like Discord's. */
export function nextSnowflake(now = Date.now()): string {
  counter += 1n;
  return (((BigInt(now) - epoch) << 22n) | (counter & 0x3fffffn)).toString();
}

export function userObject(user: FakeDiscordUser): Record<string, unknown> {
  return {
    id: user.id,
    username: user.username,
    global_name: user.globalName ?? null,
    discriminator: '0',
    avatar: null,
    ...(user.bot ? { bot: true } : {}),
  };
}

function channelType(channel: FakeDiscordChannel): number {
  return channel.type ?? (channel.parentId === undefined ? 0 : 11);
}

export function channelObject(channel: FakeDiscordChannel, guildId: string, ownerId: string): Record<string, unknown> {
  const type = channelType(channel);
  const base = { id: channel.id, type, guild_id: guildId, name: channel.name, parent_id: channel.parentId ?? null };
  if (type === 10 || type === 11 || type === 12) {
    return {
      ...base,
      owner_id: ownerId,
      message_count: 0,
      member_count: 1,
      rate_limit_per_user: 0,
      flags: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: 1440,
        archive_timestamp: new Date().toISOString(),
        locked: false,
      },
    };
  }
  return { ...base, position: 0, permission_overwrites: [], topic: null, nsfw: false, rate_limit_per_user: 0 };
}

export function guildObject(guild: FakeDiscordGuild, ownerId: string): Record<string, unknown> {
  const isThread = (channel: FakeDiscordChannel) => [10, 11, 12].includes(channelType(channel));
  return {
    id: guild.id,
    name: guild.name,
    unavailable: false,
    owner_id: ownerId,
    member_count: 2,
    joined_at: new Date().toISOString(),
    large: false,
    features: [],
    roles: [
      {
        id: guild.id,
        name: '@everyone',
        permissions: '68608',
        position: 0,
        color: 0,
        hoist: false,
        managed: false,
        mentionable: false,
      },
    ],
    emojis: [],
    stickers: [],
    members: [],
    presences: [],
    voice_states: [],
    stage_instances: [],
    guild_scheduled_events: [],
    channels: guild.channels.filter((channel) => !isThread(channel)).map((channel) => channelObject(channel, guild.id, ownerId)),
    threads: guild.channels.filter(isThread).map((channel) => channelObject(channel, guild.id, ownerId)),
  };
}

export function attachmentObject(file: FakeDiscordFile): Record<string, unknown> {
  return {
    id: file.id,
    filename: file.filename,
    content_type: file.contentType,
    size: file.data.length,
    url: file.url,
    proxy_url: file.url,
  };
}
