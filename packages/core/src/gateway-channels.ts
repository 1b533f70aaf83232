import {
  type ChannelAdapter,
  type ChannelState,
  type ChannelStatus,
  type Clock,
  ConfigError,
  type InboundMessage,
  type Logger,
  type ReceiveResult,
  type Store,
} from '@ngb/plugin-sdk';
import { recentMessagesOf } from './channel-history';
import { checkChannelLimits } from './channel-limits';
import { createChannelStarter } from './channel-starter';
import type { EventBus } from './events';

/** What {@link createGatewayChannels} needs from the gateway. */
interface GatewayChannelsOptions {
  clock: Clock;
  logger: Logger;
  bus: EventBus;
  store: Pick<Store, 'chats' | 'messages' | 'outbox'>;
  /** How the channel named `name` hands a message in (asked when it starts). */
  receiveFrom(name: string): (message: InboundMessage) => Promise<ReceiveResult>;
}

/**
 * The gateway's channels: registered once at start (names unique, limits checked), each started with a
 * context of its own and restarted by the {@link createChannelStarter} rules, their states as they
 * report them (each change an event), and all stopped together.
 */
export function createGatewayChannels(options: GatewayChannelsOptions) {
  const { clock, logger, bus, store } = options;
  const byName = new Map<string, ChannelAdapter>();
  const states = new Map<string, ChannelState>();
  const setStatus = (name: string, status: ChannelStatus) => {
    states.set(name, status.state);
    bus.emit({ type: 'channel.status', channel: name, status });
  };
  const starter = createChannelStarter({ clock, logger, setStatus });
  const start = (channel: ChannelAdapter) =>
    starter.start(channel, {
      receive: options.receiveFrom(channel.name),
      logger: logger.child(channel.name),
      setStatus: (status) => setStatus(channel.name, status),
      recentMessages: recentMessagesOf(store, channel.name),
    });

  return {
    /** The channels by name: what delivery, ingest and the tools send through. */
    byName,
    /** A registered channel's state (`connected` until it reported one); undefined for an unknown name. */
    state: (name: string): ChannelState | undefined => (byName.has(name) ? (states.get(name) ?? 'connected') : undefined),
    /** @throws ConfigError for two channels of one name, or limits a channel cannot have */
    register(channels: Iterable<ChannelAdapter>): void {
      for (const channel of channels) {
        if (byName.has(channel.name))
          throw new ConfigError(`[@ngb/core] two channels are named "${channel.name}"`, { key: 'channels' });
        checkChannelLimits(channel);
        byName.set(channel.name, channel);
      }
    },
    start,
    /** Every channel connects at once: this waits for the slowest first attempt, not for their sum. */
    startAll: () => Promise.all([...byName.values()].map((channel) => start(channel))).then(() => undefined),
    /** Stops the restarts, then every channel; a channel whose stop fails is logged and the others still stop. */
    async stopAll(): Promise<void> {
      starter.stop();
      for (const channel of byName.values())
        await channel.stop().catch((error: unknown) => logger.warn('channel stop failed', { error }));
    },
    /** The states reported so far, by channel name. */
    states: () => Object.fromEntries(states),
  };
}
