import type { ChannelContext, Clock, Logger } from '@ngb/plugin-sdk';
import { normalizeFeishuMessage, normalizeFeishuRecall } from './normalize-feishu-event';

/** Options of {@link createFeishuInbound}. */
export interface FeishuInboundOptions {
  allowBots: boolean;
  clock: Clock;
  botOpenId(): string | undefined;
  context(): ChannelContext | undefined;
  logger(): Logger;
  /** The display name of a user (by open_id), or undefined when it cannot be read. */
  userName(openId: string): Promise<string | undefined>;
}

/** The events the channel takes, from the webhook or the long connection. */
export type FeishuInbound = ReturnType<typeof createFeishuInbound>;

/**
 * Hands Feishu events to `receive`: `im.message.receive_v1` as messages (other bots' ignored unless
 * `allowBots`), `im.message.recalled_v1` as deletions; other event types are ignored. Resolves once
 * `receive` resolved, so the caller acknowledges only what was stored.
 */
export function createFeishuInbound(options: FeishuInboundOptions) {
  return {
    async handleEvent(eventType: string, event: unknown): Promise<void> {
      const context = options.context();
      if (!context) throw new Error('[@ngb/channel-feishu] the channel is not running');
      if (eventType === 'im.message.recalled_v1') {
        const deletion = normalizeFeishuRecall(event, options.clock.now());
        if (deletion) await context.receive(deletion);
        return;
      }
      if (eventType !== 'im.message.receive_v1') return;
      const first = normalizeFeishuMessage(event, { botOpenId: options.botOpenId(), now: options.clock.now() });
      if (!first) {
        options.logger().debug('feishu: a message event without ids was ignored');
        return;
      }
      if (first.sender.isBot && !options.allowBots && first.sender.id !== options.botOpenId()) return;
      const name = first.sender.isBot ? undefined : await options.userName(first.sender.id);
      await context.receive(name ? { ...first, sender: { ...first.sender, name } } : first);
    },
  };
}
