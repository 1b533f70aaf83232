// A fake Telegram Bot API on 127.0.0.1 for tests of Telegram bots (used with telegraf's `apiRoot`).
//
// It speaks the real wire protocol: `POST /bot<token>/<method>` with JSON, form or multipart bodies,
// answers `{ok:true,result}` or `{ok:false,error_code,description,parameters}`, serves files at
// `/file/bot<token>/<file_path>`, holds `getUpdates` long polls until an update arrives, and POSTs
// updates to a webhook set with `setWebhook` (with `X-Telegram-Bot-Api-Secret-Token`). MarkdownV2 is
// parsed as strictly as Telegram does, so a wrongly escaped text is refused with "can't parse
// entities" and `sent` holds texts as people see them. Tests inject messages, edits and raw updates
// as people send them, and make calls fail (429 with retry_after, 5xx, markup rejection, 401 for a
// revoked token) or the server go silent.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createFakeTelegramCallbacks, type FakeTelegramPressInput } from './telegram-fake-buttons';
import {
  createFakeTelegramChats,
  type FakeTelegramFile,
  type FakeTelegramUpload,
  type FakeTelegramUser,
} from './telegram-fake-chats';
import { createFakeTelegramHolds, type FakeTelegramHold } from './telegram-fake-holds';
import { FakeTelegramFailure, readParams, writeAnswer } from './telegram-fake-http';
import { type FakeTelegramMethodContext, type FakeTelegramSent, fakeTelegramMethods } from './telegram-fake-methods';
import { createFakeTelegramUpdates } from './telegram-fake-update-queue';
import {
  buildFakeEdit,
  buildFakeMessage,
  type FakeTelegramEditInput,
  type FakeTelegramMessageInput,
} from './telegram-fake-updates';

/** Options of {@link createFakeTelegramServer}. */
export interface FakeTelegramServerOptions {
  /** The bot token calls must carry. @default '123456:TEST-fake-token' */
  token?: string;
  /** The bot's account (`getMe`). @default id 4242, username ngb_test_bot */
  bot?: Partial<FakeTelegramUser>;
  /** Longest text after entity parsing. @default 4096 */
  maxMessageLength?: number;
  /** Time as the fake writes it in messages. @default Date.now */
  now?: () => number;
}

/** A call the fake received. */
export interface FakeTelegramCall {
  method: string;
  params: Record<string, unknown>;
  /** The HTTP status answered; undefined while the call is held. */
  status?: number;
}

/** A failure the next call of a method gets. */
export interface FakeTelegramFailureSpec {
  /** `error_code`, also the HTTP status (5xx answers carry no JSON body the client reads). */
  status: number;
  /** @default a description like Telegram's for the status */
  description?: string;
  /** Seconds, sent as `parameters.retry_after` (for 429). */
  retryAfter?: number;
}

/** The fake Telegram Bot API server. */
export interface FakeTelegramServer {
  /** The `apiRoot` to give the client, with its trailing slash (`http://127.0.0.1:P/`). */
  readonly apiRoot: string;
  readonly token: string;
  readonly bot: FakeTelegramUser;
  /** Every call, in order. */
  readonly calls: FakeTelegramCall[];
  /** What the bot did that people see, in order. */
  readonly sent: FakeTelegramSent[];
  /** The webhook set with `setWebhook`, if any. */
  readonly webhook: { url: string; secretToken?: string } | undefined;
  /** The HTTP status of each webhook delivery, in order. */
  readonly webhookDeliveries: Array<{ updateId: number; status: number }>;
  /** Updates waiting to be fetched (or not yet confirmed by a later `offset`). */
  pendingUpdates(): number;
  /** A person posts a message: queued for `getUpdates`, or POSTed to the webhook. @returns the update */
  injectMessage(input: FakeTelegramMessageInput): Promise<Record<string, unknown>>;
  /** A person edits a message they posted (an `edited_message` update). */
  injectEdit(input: FakeTelegramEditInput): Promise<Record<string, unknown>>;
  /**
   * A person presses an inline keyboard button under a bot's message (a `callback_query` update);
   * the bot must answer it once with `answerCallbackQuery`. @returns the update
   */
  pressButton(input: FakeTelegramPressInput): Promise<Record<string, unknown>>;
  /** Delivers a raw update (a fixture), with a fresh `update_id`. */
  injectUpdate(update: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Builds a message update without delivering it (to post it to a webhook yourself). */
  buildMessageUpdate(input: FakeTelegramMessageInput): Record<string, unknown>;
  /** Keeps a file as if a person had uploaded it; `getFile` and the download serve it. */
  uploadFile(upload: FakeTelegramUpload): FakeTelegramFile;
  /** The next call of `method` fails this way (queued: call it twice to fail two calls). */
  failNext(method: string, failure: FakeTelegramFailureSpec): void;
  /**
   * Holds a call of `method` (the first one after `skip` more of it pass): it is neither carried
   * out nor answered until the hold is released, and dropped if its client goes away meanwhile.
   */
  holdNext(method: string, options?: { skip?: number }): FakeTelegramHold;
  /**
   * An outage: from now on every call of `methods` (by default every method but `getUpdates`) fails
   * this way, until {@link FakeTelegramServer.endOutage}. Queued `failNext` failures come first.
   */
  startOutage(failure: FakeTelegramFailureSpec, methods?: readonly string[]): void;
  /** Ends the outage: calls are answered again. */
  endOutage(): void;
  /** MarkdownV2 texts containing `part` are refused with "can't parse entities". */
  rejectMarkup(part: string): void;
  /** Every call with the current token gets 401 from now on (the token was revoked). */
  revokeToken(): void;
  /** Destroys every open connection (held long polls included), as a network drop would. */
  dropConnections(): void;
  /** Stops answering anything (requests stay open); `resume` answers them again. */
  goSilent(): void;
  resume(): void;
  close(): Promise<void>;
}

const defaultDescriptions: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found',
  409: 'Conflict: terminated by other getUpdates request',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
};

/** Starts a fake Telegram Bot API on 127.0.0.1 (a free port). */
export async function createFakeTelegramServer(options: FakeTelegramServerOptions = {}): Promise<FakeTelegramServer> {
  const token = options.token ?? '123456:TEST-fake-token';
  const now = options.now ?? Date.now;
  const bot: FakeTelegramUser = { id: 4242, is_bot: true, first_name: 'Test bot', username: 'ngb_test_bot', ...options.bot };
  const chats = createFakeTelegramChats();
  const calls: FakeTelegramCall[] = [];
  const sent: FakeTelegramSent[] = [];
  const failures = new Map<string, FakeTelegramFailureSpec[]>();
  const held: Array<() => void> = [];
  const sockets = new Set<import('node:net').Socket>();
  let silent = false;
  let revoked = false;
  const methodContext: FakeTelegramMethodContext = {
    bot,
    chats,
    sent,
    now,
    rejectedMarkup: [],
    maxMessageLength: options.maxMessageLength ?? 4096,
    callbacks: createFakeTelegramCallbacks(chats, bot),
  };
  const updates = createFakeTelegramUpdates();
  const holds = createFakeTelegramHolds();

  let outage: { failure: FakeTelegramFailureSpec; methods?: readonly string[] } | undefined;
  const outageFailure = (method: string): FakeTelegramFailureSpec | undefined => {
    if (outage === undefined) return undefined;
    const affected = outage.methods ? outage.methods.includes(method) : method !== 'getUpdates';
    return affected ? outage.failure : undefined;
  };

  const takeFailure = (method: string): FakeTelegramFailure | undefined => {
    const spec = failures.get(method)?.shift() ?? outageFailure(method);
    if (!spec) return undefined;
    let description = spec.description ?? defaultDescriptions[spec.status] ?? `Error ${spec.status}`;
    if (spec.status === 429 && spec.description === undefined)
      description = `Too Many Requests: retry after ${spec.retryAfter ?? 1}`;
    return new FakeTelegramFailure(spec.status, description, spec.retryAfter);
  };

  async function answer(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) {
      const found = file[1] === token && !revoked ? chats.fileAt(decodeURIComponent(file[2] ?? '')) : undefined;
      if (!found) {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"ok":false,"error_code":404,"description":"Not Found"}');
        return;
      }
      // A file whose announced size is a lie comes without a length, in two chunks: only counting catches it.
      const honest = found.announcedSize === found.data.length;
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        ...(honest ? { 'content-length': found.data.length } : {}),
      });
      if (honest) response.end(found.data);
      else {
        response.write(found.data.subarray(0, 1));
        response.end(found.data.subarray(1));
      }
      return;
    }
    const call = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!call) return writeAnswer(response, { failure: new FakeTelegramFailure(404, 'Not Found') });
    const method = call[2] as string;
    const record: FakeTelegramCall = { method, params: {} };
    calls.push(record);
    response.on('finish', () => {
      record.status = response.statusCode;
    });
    try {
      record.params = await readParams(request, url);
      if (call[1] !== token || revoked) throw new FakeTelegramFailure(401, 'Unauthorized');
      const failure = takeFailure(method);
      if (failure) throw failure;
      if (method === 'getUpdates') return updates.poll(record.params, response);
      if (!(await holds.pass(method, record.params, request))) return;
      writeAnswer(response, { result: await callMethod(method, record.params) });
    } catch (error) {
      const failure =
        error instanceof FakeTelegramFailure ? error : new FakeTelegramFailure(400, `Bad Request: ${(error as Error).message}`);
      writeAnswer(response, { failure });
    }
  }

  async function callMethod(method: string, params: Record<string, unknown>): Promise<unknown> {
    if (method === 'setWebhook') {
      if (typeof params.url !== 'string' || params.url === '')
        return updates.setWebhook(undefined, Boolean(params.drop_pending_updates));
      const secretToken = typeof params.secret_token === 'string' ? params.secret_token : undefined;
      if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken))
        throw new FakeTelegramFailure(400, 'Bad Request: secret token contains unallowed characters');
      return updates.setWebhook(
        { url: params.url, ...(secretToken === undefined ? {} : { secretToken }) },
        Boolean(params.drop_pending_updates),
      );
    }
    if (method === 'deleteWebhook') return updates.setWebhook(undefined, Boolean(params.drop_pending_updates));
    if (method === 'getWebhookInfo') return { url: updates.webhook?.url ?? '', pending_update_count: updates.pending() };
    const handler = fakeTelegramMethods[method];
    if (!handler) throw new FakeTelegramFailure(404, 'Not Found');
    return handler(methodContext, params);
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const run = () => void answer(request, response, url);
    if (silent) held.push(run);
    else run();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

  return {
    apiRoot,
    token,
    bot,
    calls,
    sent,
    get webhook() {
      return updates.webhook;
    },
    webhookDeliveries: updates.deliveries,
    pendingUpdates: () => updates.pending(),
    injectMessage: (input) => updates.deliver({ message: buildFakeMessage(chats, input, now()) }),
    injectEdit: (input) => updates.deliver({ edited_message: buildFakeEdit(chats, input, now()) }),
    pressButton: (input) => updates.deliver({ callback_query: methodContext.callbacks.press(input) }),
    injectUpdate: ({ update_id: _id, ...update }) => updates.deliver(update),
    buildMessageUpdate: (input) => updates.stamp({ message: buildFakeMessage(chats, input, now()) }),
    uploadFile: (upload) => chats.addFile(upload, upload.as === 'photo' ? 'photos' : 'documents'),
    failNext(method, failure) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
    holdNext: (method, holdOptions) => holds.add(method, holdOptions?.skip ?? 0),
    startOutage(failure, methods) {
      outage = { failure, methods };
    },
    endOutage() {
      outage = undefined;
    },
    rejectMarkup(part) {
      methodContext.rejectedMarkup.push(part);
    },
    revokeToken() {
      revoked = true;
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    goSilent() {
      silent = true;
      updates.setSilent(true);
    },
    resume() {
      silent = false;
      updates.setSilent(false);
      for (const run of held.splice(0)) run();
    },
    async close() {
      updates.close();
      holds.releaseAll();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
