import { type ChannelAdapter, ConfigError, errorMessage, type Logger } from '@ngb/plugin-sdk';
import { checkChannelLimits } from './channel-limits';
import type { EventBus } from './events';
import type { PluginEntry, PluginHost } from './plugin-host';

/** What swapping a plugin at run time needs. */
export interface ReplacePluginOptions {
  plugins: Pick<PluginHost, 'replace' | 'list'>;
  /** The gateway's channels by name: a swapped plugin's channels leave it and the new ones join. */
  channels: Map<string, ChannelAdapter>;
  bus: Pick<EventBus, 'emit'>;
  logger: Logger;
  /** Starts a channel the way the gateway starts its own, when the gateway is running. */
  startChannel(channel: ChannelAdapter): Promise<void>;
}

/** Swaps a loaded plugin for a new instance: see `Gateway.replacePlugin`. */
export type ReplacePlugin = (name: string, load: () => Promise<PluginEntry>) => Promise<{ name: string; version: string }>;

/** Creates {@link ReplacePlugin}: the plugin host swaps hooks, tools and providers; this moves the channels. */
export function createReplacePlugin(options: ReplacePluginOptions): ReplacePlugin {
  const { channels, bus, logger } = options;
  return async (name, load) => {
    // Reports name where the plugin came from, even when the new instance never loaded.
    let source = options.plugins.list().find((plugin) => plugin.name === name)?.source;
    try {
      const swap = await options.plugins.replace(
        name,
        async () => {
          const entry = await load();
          source = entry.source ?? source;
          return entry;
        },
        (next, previous) => {
          // Refused before the swap, so the old instance keeps its channels and keeps running.
          for (const channel of next.channels) {
            const holder = channels.get(channel.name);
            if (holder !== undefined && !previous.channels.includes(holder))
              throw new ConfigError(`[@ngb/core] two channels are named "${channel.name}"`, { key: `plugins.${next.name}` });
            checkChannelLimits(channel);
          }
        },
      );
      for (const channel of swap.previous.channels) {
        await channel.stop().catch((error: unknown) => logger.warn('channel stop failed', { channel: channel.name, error }));
        if (channels.get(channel.name) === channel) channels.delete(channel.name);
      }
      for (const channel of swap.next.channels) {
        channels.set(channel.name, channel);
        await options.startChannel(channel);
      }
      const { next } = swap;
      logger.info('plugin reloaded', { plugin: next.name, version: next.version, source: next.source });
      bus.emit({
        type: 'plugin.status',
        plugin: next.name,
        state: 'reloaded',
        version: next.version,
        ...(next.source !== undefined ? { source: next.source } : {}),
      });
      return { name: next.name, version: next.version };
    } catch (error) {
      logger.error('plugin reload failed; the previous instance keeps running', { plugin: name, source, error });
      bus.emit({
        type: 'plugin.status',
        plugin: name,
        state: 'failed',
        error: errorMessage(error),
        ...(source !== undefined ? { source } : {}),
      });
      throw error;
    }
  };
}

/** Reports each plugin loaded at start as a `plugin.status` event (`loaded`). */
export function reportLoadedPlugins(loaded: ReturnType<PluginHost['list']>, bus: Pick<EventBus, 'emit'>): void {
  for (const plugin of loaded) {
    const source = plugin.source !== undefined ? { source: plugin.source } : {};
    bus.emit({ type: 'plugin.status', plugin: plugin.name, state: 'loaded', version: plugin.version, ...source });
  }
}
