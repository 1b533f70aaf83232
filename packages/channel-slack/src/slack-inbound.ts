import type { ChannelContext, Logger, ReceiveResult } from '@ngb/plugin-sdk';
import { normalizeSlackEvent, slackEventKey, userIdsOf } from './normalize-slack-event';
import { normalizeSlackBlockAction, type SlackPress } from './slack-buttons';
import type { SlackUserNames } from './slack-user-names';

/** Options of {@link createSlackInbound}. */
export interface SlackInboundOptions {
  channel: string;
  allowBots: boolean;
  users: SlackUserNames;
  selfId(): string | undefined;
  /** The running context; undefined once stopped (events are then dropped unprocessed). */
  context(): ChannelContext | undefined;
  logger(): Logger;
  /** Event keys remembered to drop a second delivery. @default 2000 */
  remembered?: number;
}

/**
 * Hands Slack events to `receive`, each once: Slack sends a message that names the bot both as
 * `message` and as `app_mention`, and sends events again when an ack or answer came late. A key is
 * remembered from the first delivery (a second one arriving meanwhile is dropped) and forgotten again
 * when `receive` fails, so Slack's retry of a message the core could not store still gets through.
 * The store dedupes as well (same chat and `ts`); this only saves it the work and the log lines.
 */
export function createSlackInbound(options: SlackInboundOptions) {
  const seen = new Set<string>();
  const limit = options.remembered ?? 2_000;

  const remember = (key: string) => {
    seen.add(key);
    if (seen.size > limit) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
  };

  return {
    /**
     * Hands one button press (`block_actions`) to `receive` as a `choice`, once: a second delivery
     * of the same press is dropped.
     * @returns the press and what `receive` made of it; undefined when it was no press of a button,
     *   already handled, or the channel is stopped
     * @throws what `receive` threw (the press is then forgotten, so a second delivery gets through)
     */
    async handlePress(payload: unknown): Promise<{ press: SlackPress; result: ReceiveResult } | undefined> {
      const context = options.context();
      if (!context) return undefined;
      const press = normalizeSlackBlockAction(payload, options.channel);
      if (!press) return undefined;
      const key = press.inbound.platformMessageId;
      if (seen.has(key)) {
        options.logger().debug('slack button press already handled', { key });
        return undefined;
      }
      remember(key);
      try {
        return { press, result: await context.receive(press.inbound) };
      } catch (error) {
        seen.delete(key);
        throw error;
      }
    },
    /**
     * Normalizes and delivers one event; resolves once `receive` resolved (or the event was dropped).
     * @throws what `receive` threw, so the caller does not acknowledge it and Slack delivers it again
     */
    async handleEvent(event: unknown, retryAttempt = 0): Promise<void> {
      const context = options.context();
      if (!context) return;
      const key = slackEventKey(event);
      if (key !== undefined && seen.has(key)) {
        options.logger().debug('slack event already handled', { key, retryAttempt });
        return;
      }
      if (key !== undefined) remember(key);
      try {
        const names = await options.users.names(userIdsOf(event));
        const outcome = normalizeSlackEvent(event, {
          channel: options.channel,
          selfId: options.selfId(),
          allowBots: options.allowBots,
          names,
        });
        if ('ignored' in outcome) {
          options.logger().debug('slack event ignored', { reason: outcome.ignored });
          return;
        }
        await context.receive(outcome.inbound);
      } catch (error) {
        if (key !== undefined) seen.delete(key);
        throw error;
      }
    },
  };
}

/** The inbound side of the Slack channel. */
export type SlackInbound = ReturnType<typeof createSlackInbound>;
