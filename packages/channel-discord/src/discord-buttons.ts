import { ChannelApiError, type InboundMessage, type OutboundChoice } from '@ngb/plugin-sdk';
import type { DiscordChannelInfo } from './normalize-discord-message';

// Discord's limits for message components: 5 buttons a row, 5 rows a message, 80 characters a label.
const buttonsPerRow = 5;
const maxRows = 5;
const labelChars = 80;
const secondaryStyle = 2;

/**
 * The action rows of a message offering `choices`: one button each, `custom_id` the choice id (what a
 * press hands back), labels capped at 80 characters.
 * @throws ChannelApiError (400, not retryable) for more than 25 choices, which Discord cannot show
 */
export function discordButtonRows(choices: readonly OutboundChoice[]): Array<Record<string, unknown>> {
  if (choices.length > buttonsPerRow * maxRows)
    throw new ChannelApiError(
      'discord',
      `[@ngb/channel-discord] ${choices.length} choices do not fit a message (at most ${buttonsPerRow * maxRows} buttons)`,
      { status: 400, retryable: false },
    );
  const rows = [];
  for (let start = 0; start < choices.length; start += buttonsPerRow) {
    rows.push({
      type: 1,
      components: choices.slice(start, start + buttonsPerRow).map((choice) => ({
        type: 2,
        style: secondaryStyle,
        custom_id: choice.id,
        label: choice.label.length <= labelChars ? choice.label : `${choice.label.slice(0, labelChars - 1)}…`,
      })),
    });
  }
  return rows;
}

type Fields = Record<string, unknown>;
const record = (value: unknown): Fields | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : undefined;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A press of one of the bot's buttons, read from INTERACTION_CREATE. */
export interface DiscordPress {
  inbound: InboundMessage;
  /** The interaction's id and token, for its callback. */
  interaction: { id: string; token: string };
  /** The pressed message's content and its buttons' labels by custom id, as the payload gave them. */
  message: { content: string; labels: ReadonlyMap<string, string> };
}

/**
 * An INTERACTION_CREATE of type 3 (MESSAGE_COMPONENT) with a button → a `choice` inbound from the
 * person who pressed (a guild `member.user`, or `user` in a DM), in the message's channel (a thread's
 * parent as the chat and the thread as `threadId`). `platformMessageId` is `interaction:<id>`.
 * @returns undefined for anything else (commands, select menus, a payload missing its ids)
 */
export function normalizeDiscordInteraction(
  data: unknown,
  channelOf: (channelId: string) => DiscordChannelInfo | undefined,
  now: () => number,
): DiscordPress | undefined {
  const fields = record(data);
  const component = record(fields?.data);
  if (fields?.type !== 3 || component?.component_type !== 2) return undefined;
  const id = text(fields.id);
  const token = text(fields.token);
  const choice = text(component.custom_id);
  const channelId = text(fields.channel_id);
  const member = record(fields.member);
  const user = record(member?.user) ?? record(fields.user);
  const userId = text(user?.id);
  if (!id || !token || !choice || !channelId || !userId) return undefined;
  const guildId = text(fields.guild_id);
  const info = guildId === undefined ? undefined : channelOf(channelId);
  const place =
    guildId === undefined
      ? { chat: { id: channelId, isGroup: false } }
      : info?.parentId !== undefined
        ? { chat: { id: info.parentId, isGroup: true }, threadId: channelId }
        : { chat: { id: channelId, isGroup: true } };
  const message = record(fields.message);
  const labels = new Map<string, string>();
  for (const row of Array.isArray(message?.components) ? message.components : []) {
    const cells = record(row)?.components;
    for (const button of Array.isArray(cells) ? cells : []) {
      const customId = text(record(button)?.custom_id);
      const label = text(record(button)?.label);
      if (customId && label) labels.set(customId, label);
    }
  }
  const name = text(member?.nick) ?? text(user?.global_name) ?? text(user?.username);
  return {
    inbound: {
      kind: 'choice',
      channel: 'discord',
      ...place,
      platformMessageId: `interaction:${id}`,
      sender: { id: userId, ...(name ? { name } : {}), isBot: user?.bot === true },
      text: labels.get(choice) ?? '',
      mentionsBot: false,
      choice,
      timestamp: now(),
    },
    interaction: { id, token },
    message: { content: text(message?.content) ?? '', labels },
  };
}
