// Test support: the channel contract's harness for Telegram, backed by the fake Bot API of @ngb/testing.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChannelContext, ChannelStatus, InboundMessage } from '@ngb/plugin-sdk';
import type { ChannelHarness, HarnessInbound, HarnessSent } from '@ngb/plugin-sdk/testing';
import { createManualClock, createRecordingLogger, type ManualClock } from '@ngb/plugin-sdk/testing';
import { createFakeTelegramServer, type FakeTelegramMessageInput, type FakeTelegramServer } from '@ngb/testing';
import { createTelegramChannel, type TelegramChannel } from '../telegram-channel';
import type { TelegramChannelOptions } from '../telegram-options';

/** The webhook secret of the harness's webhook-mode channels. */
export const harnessWebhookSecret = 'harness-webhook-secret_1';
/** Markdown whose converted markup the harness's fake refuses. */
const harnessRejectedMarkup = 'REJECTED markup';

/** A loopback HTTP server that hands each request to the channel's `handleWebhook`, as the server app does. */
async function serveWebhook(handle: () => TelegramChannel | undefined): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const channel = handle();
    const headers = new Headers();
    for (const [key, value] of Object.entries(request.headers)) if (typeof value === 'string') headers.set(key, value);
    const answer = channel?.handleWebhook
      ? await channel.handleWebhook(
          new Request(`http://127.0.0.1${request.url ?? '/'}`, {
            method: request.method ?? 'POST',
            headers,
            ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
          }),
        )
      : new Response(null, { status: 404 });
    response.writeHead(answer.status, Object.fromEntries(answer.headers));
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/channels/telegram/webhook`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The fake's message input for a harness inbound message (groups with a thread are forum supergroups). */
function fakeMessageInput(input: HarnessInbound): FakeTelegramMessageInput {
  return {
    chatId: input.chatId,
    ...(input.isGroup ? { chatType: input.threadId === undefined ? 'group' : 'supergroup' } : {}),
    ...(input.threadId === undefined ? {} : { threadId: input.threadId }),
    from: { id: Number(input.sender.id), first_name: input.sender.name ?? `User ${input.sender.id}` },
    text: input.text,
    ...(input.replyTo === undefined ? {} : { replyTo: input.replyTo }),
    ...(input.attachments === undefined ? {} : { files: input.attachments }),
  };
}

/** What the fake received, in the contract's terms. */
function sentOf(fake: FakeTelegramServer): HarnessSent {
  const sent: HarnessSent = { messages: [], edits: [], deletions: [], typing: [], files: [] };
  const formatOf = (parseMode: string | undefined) => (parseMode === 'MarkdownV2' ? 'markdown' : 'plain');
  for (const entry of fake.sent) {
    const platformMessageId = String(entry.messageId);
    const thread = entry.threadId === undefined ? {} : { threadId: entry.threadId };
    if (entry.method === 'sendMessage')
      sent.messages.push({
        chatId: entry.chatId,
        ...thread,
        platformMessageId,
        text: entry.text ?? '',
        format: formatOf(entry.parseMode),
        ...(entry.replyTo === undefined ? {} : { replyTo: String(entry.replyTo) }),
        ...(entry.buttons === undefined
          ? {}
          : { buttons: entry.buttons.map((button) => ({ id: button.data, label: button.text })) }),
      });
    else if (entry.method === 'editMessageText')
      sent.edits.push({ chatId: entry.chatId, platformMessageId, text: entry.text ?? '', format: formatOf(entry.parseMode) });
    else if (entry.method === 'deleteMessage') sent.deletions.push({ chatId: entry.chatId, platformMessageId });
    else if (entry.method === 'sendChatAction') sent.typing.push({ chatId: entry.chatId, ...thread });
    else if (entry.file)
      sent.files.push({
        chatId: entry.chatId,
        platformMessageId,
        name: entry.file.name,
        size: entry.file.size,
        ...(entry.text === undefined ? {} : { caption: entry.text }),
      });
  }
  return sent;
}

/**
 * The harness: each case gets a fresh fake Bot API and a channel pointed at it (`apiRoot`), with a
 * manual clock (the poll watchdog never fires unless a test moves it). In `webhook` mode the fake posts
 * updates to a loopback server that hands them to `handleWebhook`.
 */
export function createTelegramChannelHarness(
  mode: 'polling' | 'webhook' = 'polling',
  options: Partial<TelegramChannelOptions> = {},
): Omit<ChannelHarness, 'create'> & {
  create(): Promise<TelegramChannel>;
  readonly fake: FakeTelegramServer;
  readonly clock: ManualClock;
  readonly channel: TelegramChannel;
} {
  let fake: FakeTelegramServer | undefined;
  let channel: TelegramChannel | undefined;
  let clock = createManualClock();
  let hook: { url: string; close(): Promise<void> } | undefined;
  const current = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('[test] call create() first');
    return value;
  };
  return {
    get fake() {
      return current(fake);
    },
    get clock() {
      return clock;
    },
    get channel() {
      return current(channel);
    },
    platform: {
      directChatId: '1001',
      groupChatId: '2002',
      echoesOwnMessages: false,
      replies: true,
      edits: true,
      deletions: false,
      rejectedMarkup: harnessRejectedMarkup,
    },
    async create() {
      fake = await createFakeTelegramServer();
      fake.rejectMarkup(harnessRejectedMarkup);
      clock = createManualClock();
      if (mode === 'webhook') hook = await serveWebhook(() => channel);
      channel = createTelegramChannel(
        {
          botToken: fake.token,
          apiRoot: fake.apiRoot,
          ...(mode === 'webhook' ? { mode, webhookUrl: hook?.url, webhookSecret: harnessWebhookSecret } : {}),
          ...options,
        },
        { clock },
      );
      return channel;
    },
    async injectInbound(input) {
      const target = current(fake);
      if (input.kind === 'edit') {
        await target.injectEdit({ chatId: input.chatId, messageId: input.messageId ?? '', text: input.text });
        return;
      }
      if (input.kind === 'delete') throw new Error('[test] Telegram tells bots of no deletions');
      await target.injectMessage(fakeMessageInput(input));
    },
    async sent() {
      return sentOf(current(fake));
    },
    async pressButton(press) {
      await current(fake).pressButton({
        chatId: press.chatId,
        messageId: Number(press.platformMessageId),
        data: press.choiceId,
        from: { id: Number(press.sender.id), first_name: press.sender.name ?? 'Ann' },
      });
    },
    webhookRequest(input, { signed }) {
      const update = current(fake).buildMessageUpdate(fakeMessageInput(input));
      return new Request('http://127.0.0.1/channels/telegram/webhook', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-telegram-bot-api-secret-token': signed ? harnessWebhookSecret : 'forged',
        },
        body: JSON.stringify(update),
      });
    },
    async dispose() {
      await hook?.close();
      hook = undefined;
      await fake?.close();
    },
  };
}

/** The error `receive` throws after {@link createRecordingContext}'s `failNext`, as the store words a full disk. */
export const harnessStoreError = 'the disk holding the database is full (SQLITE_FULL): the write was not saved';

/** A context that records what `receive` got, every status and every log line, and can fail `receive` and `setStatus`. */
export function createRecordingContext() {
  const received: InboundMessage[] = [];
  const attempted: InboundMessage[] = [];
  const statuses: ChannelStatus[] = [];
  const logger = createRecordingLogger();
  let failures = 0;
  let statusFailures = 0;
  let held: Promise<void> | undefined;
  const context: ChannelContext = {
    async receive(message) {
      attempted.push(message);
      if (held !== undefined) {
        const waiting = held;
        held = undefined;
        await waiting;
      }
      if (failures > 0) {
        failures -= 1;
        throw new Error(harnessStoreError);
      }
      received.push(message);
      return { messageId: `stored-${received.length}`, routed: [] };
    },
    logger,
    setStatus(status) {
      statuses.push(status);
      if (statusFailures > 0) {
        statusFailures -= 1;
        throw new Error('status not taken');
      }
    },
  };
  return {
    context,
    received,
    /** Every message `receive` was called with, stored or not. */
    attempted,
    statuses,
    /** What the channel logged. */
    logged: logger.lines,
    /** The next `count` calls of `receive` throw. */
    failNext(count = 1) {
      failures += count;
    },
    /** The next call of `receive` waits until the function returned is called (a core that stopped answering). */
    holdNext(): () => void {
      let release = () => {};
      held = new Promise<void>((resolve) => {
        release = resolve;
      });
      return release;
    },
    /** The next `count` calls of `setStatus` throw (after recording the status). */
    failStatusNext(count = 1) {
      statusFailures += count;
    },
    /** Resolves once `read()` is defined (polls the event loop; no timing is asserted). */
    async until<T>(read: () => T | undefined, what: string): Promise<T> {
      for (let attempt = 0; attempt < 500; attempt += 1) {
        const value = read();
        if (value !== undefined) return value;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`[test] ${what}: not seen`);
    },
  };
}
