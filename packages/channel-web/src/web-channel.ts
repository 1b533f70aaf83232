import { randomUUID } from 'node:crypto';
import {
  type Address,
  type ButtonsCapability,
  type ChannelAdapter,
  ChannelApiError,
  type ChannelContext,
  type ChannelIdentity,
  type DeleteCapability,
  type EditCapability,
  NotFoundError,
  parseOptions,
  silentLogger,
  systemClock,
  type TypingCapability,
} from '@ngb/plugin-sdk';
import { createConversations } from './web-conversations';
import { type WebChannelOptions, webChannelOptionsSchema } from './web-options';
import { createWebRequestHandler, type WebAccess } from './web-requests';

/** The web chat adapter: a channel with streamed replies, plus the HTTP entry point the server mounts. */
export interface WebChannel extends ChannelAdapter, TypingCapability, EditCapability, DeleteCapability, ButtonsCapability {
  /** Where the server mounts it (`/chat`): its API is under `<path>/api/`. */
  readonly path: string;
  /**
   * Answers one request under `<path>/api/` (web-standard Request and Response):
   * - `POST messages` `{ text, replyTo?, name? }` hands the message to `receive` and answers 202
   *   `{ id, at }` only after it resolved (500 when it threw); 400, 413, 415 or 429 without calling it;
   * - `POST choices` `{ messageId, choiceId }` presses a button under one of the agent's messages of
   *   the conversation (404 when none offers it, 409 once answered) and answers 202 once `receive`
   *   took it as the answer; an `answered` event then disables the buttons;
   * - `GET events` streams the conversation's events (`message`, `edit`, `delete`, `typing`,
   *   `answered`, `reset`)
   *   as Server-Sent Events, resuming after `Last-Event-ID` (or `?lastEventId=`);
   * - `GET history` gives the conversation's recent messages and the newest event id.
   * Before `start` and after `stop` every route answers 503. Errors are `{ error: { code, message } }`.
   * @param access passed only by the server, after it checked the admin token: the request then speaks
   *   as the dashboard's own chat (`dashboard`); never derived from the request
   * @returns the response; it never rejects for a bad request
   */
  handleRequest(request: Request, access?: WebAccess): Promise<Response>;
}

/** True when `adapter` is a web chat channel (one the server app mounts under `<path>/api/`). */
export function isWebChannel(adapter: ChannelAdapter): adapter is WebChannel {
  return adapter.name === 'web' && typeof (adapter as Partial<WebChannel>).handleRequest === 'function';
}

/**
 * Creates the web chat channel. Each visitor (a signed cookie) is its own direct chat; the agent's
 * replies reach them over Server-Sent Events, and wait in memory while they have no page open.
 * @throws ConfigError naming the option when the options are invalid
 */
export function createWebChannel(input: WebChannelOptions): WebChannel {
  const options = parseOptions(webChannelOptionsSchema, input, '[@ngb/channel-web]');
  const name = 'web';
  const clock = options.clock ?? systemClock;
  const identity: ChannelIdentity = { id: 'ngb', name: options.assistantName };
  const conversations = createConversations({
    eventBufferSize: options.eventBufferSize,
    eventBufferChars: options.eventBufferChars,
    historySize: options.historySize,
    maxVisitors: options.maxVisitors,
    burst: options.rateLimit.messages,
  });
  const streams = new Set<{ close(): void }>();
  let context: ChannelContext | undefined;

  const checkLength = (text: string) => {
    if (text.length > options.maxMessageLength)
      throw new ChannelApiError(name, `[@ngb/channel-web] a message of ${text.length} exceeds ${options.maxMessageLength}`, {
        status: 400,
      });
  };
  const conversationOf = (address: Address) => conversations.get(address.chatId, clock.now());

  const handleRequest = createWebRequestHandler({
    name,
    options,
    clock,
    conversations,
    streams,
    context: () => context,
    self: identity,
    logger: () => context?.logger ?? options.logger ?? silentLogger,
  });

  return {
    specificationVersion: 1,
    name,
    limits: { maxMessageLength: options.maxMessageLength },
    supportsButtons: true,
    get self() {
      return context === undefined ? undefined : identity;
    },
    async start(startContext) {
      context = startContext;
      startContext.setStatus({ state: 'connected', detail: `served at ${options.path}` });
    },
    async stop() {
      const stopped = context;
      context = undefined;
      for (const stream of [...streams]) stream.close();
      stopped?.setStatus({ state: 'disconnected' });
    },
    async send(address, message) {
      checkLength(message.text);
      const conversation = conversationOf(address);
      const id = randomUUID();
      const at = clock.now();
      const replyTo = message.replyTo === undefined ? {} : { replyTo: message.replyTo };
      const choices =
        message.choices === undefined || message.choices.length === 0
          ? {}
          : { choices: message.choices.map((choice) => ({ id: choice.id, label: choice.label })) };
      conversations.remember(conversation, {
        id,
        from: 'agent',
        text: message.text,
        format: message.format,
        ...replyTo,
        ...choices,
        at,
      });
      conversations.publish(conversation, 'message', {
        id,
        text: message.text,
        format: message.format,
        ...replyTo,
        ...choices,
        at,
      });
      return { platformMessageId: id };
    },
    async edit(address, platformMessageId, text, format = 'plain') {
      const conversation = conversationOf(address);
      const entry = conversation.history.find((candidate) => candidate.id === platformMessageId && candidate.from === 'agent');
      if (!entry) throw new NotFoundError('message', platformMessageId);
      checkLength(text);
      const at = clock.now();
      Object.assign(entry, { text, format, editedAt: at });
      conversations.publish(conversation, 'edit', { id: platformMessageId, text, format, at });
    },
    async delete(address, platformMessageId) {
      const conversation = conversationOf(address);
      const index = conversation.history.findIndex(
        (candidate) => candidate.id === platformMessageId && candidate.from === 'agent',
      );
      if (index >= 0) conversation.history.splice(index, 1);
      // Told even when the history no longer holds it: the page may still show it.
      conversations.publish(conversation, 'delete', { id: platformMessageId });
    },
    async sendTyping(address) {
      conversations.publish(conversationOf(address), 'typing', { at: clock.now() });
    },
    path: options.path,
    handleRequest,
  };
}
