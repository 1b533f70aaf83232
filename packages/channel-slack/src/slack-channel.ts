import {
  type Address,
  type ButtonsCapability,
  type ChannelAdapter,
  type ChannelContext,
  type ChannelIdentity,
  ConfigError,
  type DeleteCapability,
  type EditCapability,
  type FetchFilesCapability,
  type FilesCapability,
  type MessageFormat,
  type OutboundMessage,
  parseOptions,
  type SendReceipt,
  sendWithPlainFallback,
  silentLogger,
  systemClock,
  type ThreadsCapability,
  type WebhookCapability,
} from '@ngb/plugin-sdk';
import { WebClient } from '@slack/web-api';
import { convertToSlackMarkup, escapeSlackText } from './convert-to-slack-markup';
import { isSlackMarkupRejected, mapSlackError } from './map-slack-error';
import { answeredBlocks, slackChoiceBlocks } from './slack-buttons';
import { createSlackFiles } from './slack-files';
import { createSlackInbound } from './slack-inbound';
import { type SlackChannelOptions, slackChannelOptionsSchema } from './slack-options';
import { slackSdkLogger } from './slack-sdk-logger';
import { createSlackSocketConnection } from './slack-socket-connection';
import { createSlackUserNames } from './slack-user-names';
import { createSlackWebhookHandler } from './slack-webhook';

/**
 * The Slack channel. It has no typing capability: Slack offers bots no typing indicator for
 * ordinary messages. `handleWebhook` exists only in `events` mode.
 */
export type SlackChannel = ChannelAdapter &
  EditCapability &
  DeleteCapability &
  FilesCapability &
  FetchFilesCapability &
  ThreadsCapability &
  ButtonsCapability &
  Partial<WebhookCapability>;

const name = 'slack';
const prefix = '[@ngb/channel-slack]';
/** The longest text of one plain_text section block. */
const plainBlockChars = 3_000;

/** Plain text as Slack shows it verbatim: plain_text section blocks (chat.update has no `mrkdwn: false`). */
function plainBlocks(text: string) {
  const blocks = [];
  for (let start = 0; start < text.length; start += plainBlockChars) {
    blocks.push({
      type: 'section',
      text: { type: 'plain_text', text: text.slice(start, start + plainBlockChars), emoji: false },
    });
  }
  return blocks;
}

/**
 * Creates the Slack channel: Socket Mode by default (no public URL), or the Events API through the
 * server (`mode: 'events'`); the Web API for everything sent.
 * @throws ConfigError naming the option when the options are invalid or the mode lacks its secret
 */
export function createSlackChannel(input: SlackChannelOptions): SlackChannel {
  const options = parseOptions(slackChannelOptionsSchema, input, prefix);
  if (options.mode === 'socket' && options.appToken === undefined) {
    throw new ConfigError(`${prefix} Socket Mode needs the app-level token: pass \`appToken\` or set SLACK_APP_TOKEN`, {
      key: 'appToken',
    });
  }
  if (options.mode === 'events' && options.signingSecret === undefined) {
    throw new ConfigError(
      `${prefix} the Events API mode needs the signing secret: pass \`signingSecret\` or set SLACK_SIGNING_SECRET`,
      {
        key: 'signingSecret',
      },
    );
  }
  const clock = options.clock ?? systemClock;
  let context: ChannelContext | undefined;
  let self: ChannelIdentity | undefined;
  const logger = () => context?.logger ?? options.logger ?? silentLogger;
  const client = new WebClient(options.botToken, {
    slackApiUrl: options.apiUrl,
    // One retry policy: the core's (outbox and channel restarts), fed by mapSlackError.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.requestTimeoutMs,
    logger: slackSdkLogger(logger),
  });
  const call = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const mapped = mapSlackError(error);
      if (mapped.status === 401 && context !== undefined) {
        // A token revoked while running: say so once and stop reconnecting with it.
        context.setStatus({ state: 'failed', error: mapped.message });
        void socket?.stop();
      }
      throw mapped;
    }
  };

  const users = createSlackUserNames({
    clock,
    size: options.userCacheSize,
    ttlMs: options.userCacheTtlMs,
    async lookup(userId) {
      const { user } = await client.users.info({ user: userId });
      return user?.profile?.display_name || user?.real_name || user?.name || undefined;
    },
  });
  const inbound = createSlackInbound({
    channel: name,
    allowBots: options.allowBots,
    users,
    selfId: () => self?.id,
    context: () => context,
    logger,
  });
  const socket =
    options.mode === 'socket' && options.appToken !== undefined
      ? createSlackSocketConnection({
          appToken: options.appToken,
          apiUrl: options.apiUrl,
          requestTimeoutMs: options.requestTimeoutMs,
          watchdogMs: options.watchdogMs,
          reconnectDelaysMs: options.reconnectDelaysMs,
          clock,
          logger,
          setStatus: (status) => context?.setStatus(status),
          onEvent: (body, retryAttempt) => inbound.handleEvent((body as { event?: unknown } | undefined)?.event, retryAttempt),
          onInteraction: (body) => onPress(body),
        })
      : undefined;
  const files = createSlackFiles({ client, botToken: options.botToken, apiUrl: options.apiUrl });

  /**
   * Takes a press; once it answered a question, the message shows the answer instead of its buttons
   * (not awaited: Slack waits for the ack, not for this).
   */
  async function onPress(payload: unknown): Promise<void> {
    const taken = await inbound.handlePress(payload);
    if (!taken || !('routed' in taken.result) || !taken.result.routed.some((route) => route.kind === 'answer')) return;
    const { message, inbound: press } = taken.press;
    void call(() =>
      client.chat.update({
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        blocks: answeredBlocks(message.blocks, press.text || (press.choice ?? ''), press.sender.id),
      }),
    ).catch((error: unknown) =>
      logger().warn('slack: the answered message kept its buttons', {
        error: error instanceof Error ? error.message : String(error),
      }),
    );
  }

  const post = (address: Address, message: OutboundMessage, format: MessageFormat) =>
    call(async () => {
      const shown = format === 'markdown' ? convertToSlackMarkup(message.text) : escapeSlackText(message.text);
      const choices = message.choices ?? [];
      const result = await client.chat.postMessage({
        channel: address.chatId,
        text: shown,
        mrkdwn: format === 'markdown',
        // plain_text sections show the text as written: the unescaped text, not the escaped one.
        ...(choices.length > 0
          ? { blocks: slackChoiceBlocks(format === 'markdown' ? shown : message.text, format, choices) }
          : {}),
        ...(address.threadId ? { thread_ts: address.threadId } : {}),
      });
      return { platformMessageId: String(result.ts) };
    });

  const update = (address: Address, ts: string, text: string, format: MessageFormat) =>
    call(async () => {
      await client.chat.update({
        channel: address.chatId,
        ts,
        text: format === 'markdown' ? convertToSlackMarkup(text) : escapeSlackText(text),
        // An empty list removes the plain blocks an earlier plain edit left.
        blocks: format === 'markdown' ? [] : plainBlocks(text),
      });
    });

  const adapter: SlackChannel = {
    specificationVersion: 1,
    name,
    limits: { maxMessageLength: options.maxMessageLength },
    supportsThreads: true,
    supportsButtons: true,
    get self() {
      return self;
    },
    async start(next) {
      await adapter.stop();
      const identity = await call(() => client.auth.test());
      self = { id: String(identity.user_id), name: String(identity.user ?? identity.user_id) };
      context = next;
      if (!socket) {
        next.setStatus({ state: 'connected', detail: 'Events API: waiting for requests at /channels/slack/webhook' });
        return;
      }
      try {
        await socket.start();
      } catch (error) {
        context = undefined;
        throw error;
      }
    },
    async stop() {
      context = undefined;
      await socket?.stop();
    },
    send: (address, message): Promise<SendReceipt> =>
      sendWithPlainFallback(message.format, (format) => post(address, message, format), isSlackMarkupRejected),
    async edit(address, platformMessageId, text, format = 'plain') {
      await sendWithPlainFallback(format, (used) => update(address, platformMessageId, text, used), isSlackMarkupRejected);
    },
    async delete(address, platformMessageId) {
      try {
        await call(() => client.chat.delete({ channel: address.chatId, ts: platformMessageId }));
      } catch (error) {
        if (mapSlackError(error).status !== 404) throw error;
      }
    },
    sendFile: (address, file) => files.sendFile(address, file),
    fetchAttachment: (attachment, fetchOptions) => files.fetchAttachment(attachment, fetchOptions),
  };
  if (options.mode === 'events' && options.signingSecret !== undefined) {
    adapter.handleWebhook = createSlackWebhookHandler({
      signingSecret: options.signingSecret,
      clock,
      running: () => context !== undefined,
      inbound,
      onInteraction: onPress,
      logger,
    });
  }
  return adapter;
}
