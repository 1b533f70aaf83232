import { WebSocketShardEvents } from '@discordjs/ws';
import {
  type ButtonsCapability,
  type ChannelAdapter,
  ChannelApiError,
  type ChannelContext,
  type ChannelIdentity,
  createConnectionSupervisor,
  type DeleteCapability,
  type EditCapability,
  type FetchFilesCapability,
  type FilesCapability,
  type InboundMessage,
  parseOptions,
  systemClock,
  type ThreadsCapability,
  type TypingCapability,
} from '@ngb/plugin-sdk';
import { Routes } from 'discord-api-types/v10';
import { createDiscordClient, createDiscordReadiness, type DiscordClient } from './create-discord-client';
import { type DiscordPress, normalizeDiscordInteraction } from './discord-buttons';
import { createDiscordChannelCache, type DiscordChannelCache } from './discord-channel-cache';
import { type DiscordChannelOptions, discordChannelOptionsSchema } from './discord-options';
import { createDiscordOutbound } from './discord-outbound';
import { fetchDiscordAttachment } from './fetch-discord-attachment';
import { mapDiscordError } from './map-discord-error';
import { type DiscordChannelInfo, normalizeDiscordDispatch } from './normalize-discord-message';

/** The Discord adapter with its capabilities. */
export type DiscordChannel = ChannelAdapter &
  TypingCapability &
  EditCapability &
  DeleteCapability &
  FilesCapability &
  FetchFilesCapability &
  ThreadsCapability &
  ButtonsCapability;

const messageEvents = new Set<string>(['MESSAGE_CREATE', 'MESSAGE_UPDATE', 'MESSAGE_DELETE']);
// Close codes after which the gateway client gives up: the configuration must change first.
const refusals: Record<number, string> = {
  4004: 'token rejected: check DISCORD_BOT_TOKEN (Developer Portal → Bot → Reset Token)',
  4013: 'missing permission: the gateway refused the intents asked for',
  4014: 'missing permission: enable the Message Content intent (Developer Portal → Bot → Privileged Gateway Intents)',
};
const unrecoverable = new Set([4004, 4010, 4011, 4012, 4013, 4014]);
const maxRemembered = 500;
const discordLimit = 2000;
// Discord wants a press answered within 3 s: DEFERRED_UPDATE_MESSAGE leaves the message as it is,
// UPDATE_MESSAGE replaces it (here: the answer shown, the buttons gone).
const deferredUpdate = 6;
const updateMessage = 7;

/** One gateway session and what the adapter learned on it. */
interface Session extends DiscordClient {
  channels: DiscordChannelCache;
  /** When the last heartbeat was acknowledged (a change is a sign of life for the watchdog). */
  lastHeartbeatAt?: number;
}

/**
 * The Discord channel: discord.js's gateway client (`@discordjs/ws`) for inbound (raw dispatches,
 * normalized here), its REST client (`@discordjs/rest`) for outbound. Addresses: `chatId` is the channel (a guild text channel or a DM channel);
 * a message in a thread has the thread's channel id as `threadId` and its parent as `chatId`, and `send`
 * to an address with `threadId` posts in the thread.
 * @throws ConfigError naming the option when `options` are invalid
 */
export function createDiscordChannel(input: DiscordChannelOptions): DiscordChannel {
  const options = parseOptions(discordChannelOptionsSchema, input, '[@ngb/channel-discord]');
  const clock = options.clock ?? systemClock;
  const fetchFile = options.fetch ?? globalThis.fetch;
  const fileHosts = [new URL(options.apiUrl).host, ...options.attachmentHosts];
  let client: Session | undefined;
  let self: ChannelIdentity | undefined;
  let inbound: Promise<void> = Promise.resolve();
  const authors = new Map<string, InboundMessage['sender']>();
  const unknownChannels = new Set<string>();
  const presses = new Set<string>();
  const pressing = new Set<Promise<void>>();

  // A shard's READY and the end of connecting report the same connection: the supervisor says it once.
  const supervisor = createConnectionSupervisor({
    clock,
    channel: 'discord',
    prefix: '[@ngb/channel-discord]',
    connect,
    // Not awaited: a connection that went deaf may never answer the close handshake.
    disconnect: () => {
      const old = client;
      client = undefined;
      void old?.destroy().catch(() => undefined);
    },
    mapError: mapDiscordError,
    watchdog: {
      timeoutMs: options.watchdogMs,
      heartbeatMark: () => client?.lastHeartbeatAt,
      deafDetail: (quietMs) => `no gateway event or heartbeat ACK for ${Math.round(quietMs / 1000)} s`,
    },
  });
  const context = (): ChannelContext | undefined => supervisor.context();
  const logger = () => context()?.logger ?? options.logger;

  const rest = () => {
    if (!client) throw new ChannelApiError('discord', '[@ngb/channel-discord] the channel is not started', { retryable: true });
    return client.rest;
  };

  function channelInfo(channelId: string): DiscordChannelInfo | undefined {
    return client?.channels.info(channelId);
  }

  function remember(message: InboundMessage): void {
    if (message.kind !== undefined) return;
    authors.delete(message.platformMessageId);
    authors.set(message.platformMessageId, message.sender);
    if (authors.size > maxRemembered) authors.delete(authors.keys().next().value as string);
  }

  async function handle(owner: Session, type: string, data: { channel_id?: unknown; guild_id?: unknown }): Promise<void> {
    const receiving = context();
    if (!supervisor.running() || owner !== client || !receiving || !self) return;
    const channelId = typeof data.channel_id === 'string' ? data.channel_id : undefined;
    // A guild channel the cache has not seen (a thread created before we connected) is asked for once.
    if (channelId && data.guild_id !== undefined && !owner.channels.has(channelId) && !unknownChannels.has(channelId)) {
      const found = await owner.rest.get(Routes.channel(channelId)).catch(() => null);
      if (found) owner.channels.put(found);
      else {
        unknownChannels.add(channelId);
        if (unknownChannels.size > maxRemembered) unknownChannels.delete(unknownChannels.values().next().value as string);
      }
    }
    const message = normalizeDiscordDispatch(type, data, {
      selfId: self.id,
      channel: channelInfo,
      author: (id) => authors.get(id),
      now: () => clock.now(),
    });
    if (!message) return;
    if (message.sender.isBot && message.sender.id !== self.id && !options.allowBots) return;
    remember(message);
    await receiving.receive(message);
  }

  /** The callback of an answered press: the message shows the answer and loses its buttons. */
  function answeredUpdate(press: DiscordPress): Record<string, unknown> {
    const label = press.inbound.text || (press.inbound.choice ?? '');
    const content = `${press.message.content}\n\n✅ ${label}`;
    return {
      type: updateMessage,
      data: {
        ...(content.length <= discordLimit ? { content } : {}),
        components: [],
        allowed_mentions: { parse: [] },
      },
    };
  }

  async function handlePress(owner: Session, data: unknown): Promise<void> {
    const receiving = context();
    if (!supervisor.running() || owner !== client || !receiving) return;
    const press = normalizeDiscordInteraction(data, channelInfo, () => clock.now());
    if (!press) return;
    if (presses.has(press.interaction.id)) return;
    presses.add(press.interaction.id);
    if (presses.size > maxRemembered) presses.delete(presses.values().next().value as string);
    let answered = false;
    try {
      const result = await receiving.receive(press.inbound);
      answered = 'routed' in result && result.routed.some((route) => route.kind === 'answer');
    } finally {
      // Answered whatever the core made of it: Discord shows the person a failure otherwise.
      await owner.rest
        .post(Routes.interactionCallback(press.interaction.id, press.interaction.token), {
          body: answered ? answeredUpdate(press) : { type: deferredUpdate },
          auth: false,
        })
        .catch((error: unknown) =>
          logger()?.warn('[@ngb/channel-discord] the interaction callback failed', { error: String(error) }),
        );
    }
  }

  /** Listens to a session's gateway; resolves once every shard's READY and the guilds it announced arrived. */
  function attach(owner: Session): Promise<void> {
    const { gateway } = owner;
    const connected = () => {
      if (owner !== client) return;
      supervisor.alive();
      supervisor.status({ state: 'connected' });
    };
    const readiness = createDiscordReadiness(clock, connected);
    gateway.on(WebSocketShardEvents.Ready, ({ data, shardId }) => {
      if (owner !== client) return;
      self = { id: data.user.id, name: data.user.global_name ?? data.user.username };
      readiness.ready(
        shardId,
        data.guilds.map((guild) => guild.id),
      );
    });
    gateway.on(WebSocketShardEvents.Dispatch, ({ data: packet, shardId }) => {
      if (owner !== client) return;
      supervisor.alive();
      owner.channels.apply(packet.t, packet.d);
      if (packet.t === 'GUILD_CREATE' || packet.t === 'GUILD_DELETE') readiness.arrived(shardId, packet.d.id);
      if (packet.t === 'INTERACTION_CREATE') {
        // Not behind the messages' queue: the 3 s deadline must not wait for them.
        const work = handlePress(owner, packet.d).catch((error: unknown) =>
          logger()?.error('[@ngb/channel-discord] a button press was not taken', { error: String(error) }),
        );
        pressing.add(work);
        void work.finally(() => pressing.delete(work));
        return;
      }
      if (!messageEvents.has(packet.t)) return;
      const type = packet.t;
      const data = (packet.d ?? {}) as { channel_id?: unknown; guild_id?: unknown };
      inbound = inbound
        .then(() => handle(owner, type, data))
        .catch((error: unknown) =>
          logger()?.error('[@ngb/channel-discord] an inbound message was not stored', { error: String(error) }),
        );
    });
    gateway.on(WebSocketShardEvents.Resumed, connected);
    gateway.on(WebSocketShardEvents.HeartbeatComplete, ({ heartbeatAt }) => {
      owner.lastHeartbeatAt = heartbeatAt;
    });
    gateway.on(WebSocketShardEvents.Closed, ({ code }) => {
      if (owner !== client || !supervisor.running()) return;
      if (!unrecoverable.has(code))
        return supervisor.status({ state: 'disconnected', error: 'the gateway connection closed; resuming' });
      const refusal = refusals[code] ?? `the gateway closed the session for good (code ${code})`;
      supervisor.fail(`[@ngb/channel-discord] ${refusal}`);
    });
    gateway.on(WebSocketShardEvents.Error, ({ error }) =>
      logger()?.warn('[@ngb/channel-discord] gateway error', { error: error.message }),
    );
    return readiness.all;
  }

  async function connect(): Promise<void> {
    const next: Session = { ...createDiscordClient(options.apiUrl, options.botToken), channels: createDiscordChannelCache() };
    client = next;
    const ready = attach(next);
    try {
      await next.gateway.connect();
      await ready;
    } catch (error) {
      if (client === next) client = undefined;
      await next.destroy();
      throw mapDiscordError(error);
    }
  }

  // A deaf connection may never finish its close handshake; stop must still return.
  const settleWithin = (work: Promise<unknown>, limitMs: number) =>
    new Promise<void>((resolve) => {
      const timer = clock.setTimeout(resolve, limitMs);
      const done = () => {
        clock.clearTimeout(timer);
        resolve();
      };
      work.then(done, done);
    });

  return {
    specificationVersion: 1,
    name: 'discord',
    limits: { maxMessageLength: options.maxMessageLength },
    supportsThreads: true,
    supportsButtons: true,
    get self() {
      return self;
    },
    start: (startContext) => supervisor.start(startContext),
    async stop() {
      supervisor.stop();
      const old = client;
      client = undefined;
      if (old) await settleWithin(old.destroy(), 5_000);
      await inbound;
      await Promise.all([...pressing]);
    },
    ...createDiscordOutbound(rest),
    fetchAttachment: (attachment, fetchOptions) =>
      fetchDiscordAttachment(attachment, fetchOptions, { fetch: fetchFile, hosts: fileHosts }),
  };
}
