// Message components in the fake Discord: the buttons of a message, the INTERACTION_CREATE payload of
// a press (type 3 MESSAGE_COMPONENT, as Discord documents it), and the state of its callback
// (`POST /interactions/{id}/{token}/callback`, answered once, within Discord's 3 s).
import { type FakeDiscordUser, nextSnowflake, userObject } from './discord-fake-payloads';

/** A button of a message, as the bot sent it. */
export interface FakeDiscordButton {
  customId: string;
  label: string;
  style: number;
  disabled: boolean;
}

/** A press the fake dispatched and what the bot answered to it. */
export interface FakeDiscordInteraction {
  id: string;
  token: string;
  channelId: string;
  messageId: string;
  customId: string;
  userId: string;
  /** The callbacks the bot posted (a second one is refused as Discord does, and not recorded). */
  callbacks: Array<{ type: number; data?: Record<string, unknown> }>;
}

type Fields = Record<string, unknown>;
const record = (value: unknown): Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};

/** The buttons of a message's action rows, in order; undefined when there are none. */
export function buttonsOfComponents(components: unknown): FakeDiscordButton[] | undefined {
  if (!Array.isArray(components)) return undefined;
  const buttons = components
    .flatMap((row) => (Array.isArray(record(row).components) ? (record(row).components as unknown[]) : []))
    .map(record)
    .filter((component) => component.type === 2)
    .map((component) => ({
      customId: String(component.custom_id ?? ''),
      label: String(component.label ?? ''),
      style: Number(component.style ?? 0),
      disabled: component.disabled === true,
    }));
  return buttons.length > 0 ? buttons : undefined;
}

/** The INTERACTION_CREATE payload of a person pressing a button of `message`. */
export function componentInteraction(input: {
  applicationId: string;
  message: Record<string, unknown>;
  customId: string;
  user: FakeDiscordUser;
  guildId?: string;
  channel: Record<string, unknown>;
  nick?: string;
}): { payload: Record<string, unknown>; id: string; token: string } {
  const id = nextSnowflake();
  const token = `aW50ZXJhY3Rpb246${id}:fake-interaction-token`;
  const user = userObject(input.user);
  const payload: Record<string, unknown> = {
    id,
    application_id: input.applicationId,
    type: 3,
    data: { custom_id: input.customId, component_type: 2 },
    channel_id: String(input.message.channel_id),
    channel: input.channel,
    token,
    version: 1,
    message: input.message,
    app_permissions: '2248473465835073',
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { 0: input.guildId ?? input.user.id },
    attachment_size_limit: 10_485_760,
    ...(input.guildId !== undefined
      ? {
          guild_id: input.guildId,
          guild_locale: 'en-US',
          guild: { id: input.guildId, locale: 'en-US', features: [] },
          member: {
            user,
            nick: input.nick ?? null,
            roles: [],
            joined_at: new Date().toISOString(),
            deaf: false,
            mute: false,
            flags: 0,
            pending: false,
            permissions: '2248473465835073',
          },
          context: 0,
        }
      : { user, context: 1 }),
  };
  return { payload, id, token };
}
