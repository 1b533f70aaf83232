// A fake Feishu / Lark for tests, on 127.0.0.1: the Open API the bot uses (tenant access token with
// expiry and rejection, bot info, user names, message create / reply / update (PUT) / patch / delete,
// message resources, image and file uploads) answering Feishu's `{ code, msg, data }` bodies, and the
// event subscription's side: `im.message.receive_v1` and `im.message.recalled_v1` envelopes, plain or
// encrypted and signed, posted to a webhook URL (or built as a Request), and posted again as Feishu
// redelivers when it got no 200. It records what the bot sent as people see it, fails calls on demand
// (rate limit 99991400, token codes, 230002, permission violations, HTTP 5xx) and can refuse a post's
// content (230001) to exercise the plain-text resend. The long connection (`/callback/ws/endpoint` and
// its protobuf frames) is not served.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../http/request-body';
import {
  envelope,
  type FakeFeishuDelivery,
  type FakeFeishuEnvelope,
  type FakeFeishuUserMessage,
  feishuWebhookRequest,
  messageEvent,
} from './fake-feishu-events';
import { readMultipart } from './fake-feishu-multipart';
import { shownText, validPost } from './fake-feishu-text';
import type { FakeFeishuCall, FakeFeishuFailure, FakeFeishuSent } from './fake-feishu-types';

/** Options of {@link createFakeFeishuServer}. */
export interface FakeFeishuServerOptions {
  /** @default 'cli_fake_app' */
  appId?: string;
  /** @default 'fake-app-secret' */
  appSecret?: string;
  /** @default 'fake-verification-token' */
  verificationToken?: string;
  /** Events are encrypted and signed with it when set. */
  encryptKey?: string;
  /** The bot's open_id. @default 'ou_bot0001' */
  botOpenId?: string;
  /** @default 'ngb' */
  botName?: string;
  /** People's names by open_id (for the contact API). */
  users?: Record<string, string>;
}

/** A running fake Feishu. */
export interface FakeFeishuServer {
  /** `http://127.0.0.1:<port>`: the `domain` option. */
  readonly url: string;
  readonly appId: string;
  readonly appSecret: string;
  readonly verificationToken: string;
  readonly encryptKey: string | undefined;
  readonly botOpenId: string;
  /** Adds a person's name (by open_id). */
  addUser(openId: string, name: string): void;
  /** Stores a file a person uploads to a message; @returns its key (`file_…` or `img_…`). */
  addResource(file: { data: Uint8Array; kind: 'image' | 'file' }): string;
  /** A person posts a message: @returns its envelope (not delivered: see {@link deliver} and {@link request}). */
  postMessage(input: FakeFeishuUserMessage): FakeFeishuEnvelope;
  /** A person recalls a message (`im.message.recalled_v1`). */
  recallMessage(chatId: string, messageId: string, operatorOpenId: string): FakeFeishuEnvelope;
  /** Wraps any event (a fixture's `event`) in a new envelope. */
  envelopeOf(eventType: string, event: Record<string, unknown>): FakeFeishuEnvelope;
  /** The request the subscription posts for `payload`, encrypted and signed when the fake has an encrypt key. */
  request(payload: unknown, delivery?: FakeFeishuDelivery): Request;
  /** Posts `payload` to `url` as the subscription does; @returns the HTTP status answered. */
  deliver(url: string, payload: unknown, delivery?: FakeFeishuDelivery): Promise<number>;
  /** A `url_verification` body with `challenge`. */
  urlVerification(challenge: string, token?: string): Record<string, unknown>;
  /** Makes the current tenant access token refused (99991663) from now on, as when it expired early. */
  revokeToken(): void;
  /** Tenant access tokens handed out so far. */
  tokensIssued(): number;
  /** Open API calls received, in order (of one route when given). */
  calls(route?: string): FakeFeishuCall[];
  /** What the bot sent, edited, deleted and uploaded. */
  sent(): FakeFeishuSent;
  /** Makes the next call(s) of `route` (or `'*'`) fail as given. */
  failNext(route: string, ...failures: FakeFeishuFailure[]): void;
  /** Answers 230001 to a post whose text contains `marker`. */
  rejectMarkup(marker: string): void;
  close(): Promise<void>;
}

interface StoredMessage {
  chatId: string;
  msgType: string;
  content: unknown;
  rootId?: string;
}

/** Starts a fake Feishu on loopback; resolves once it listens. */
export async function createFakeFeishuServer(options: FakeFeishuServerOptions = {}): Promise<FakeFeishuServer> {
  const app = {
    appId: options.appId ?? 'cli_fake_app',
    verificationToken: options.verificationToken ?? 'fake-verification-token',
  };
  const appSecret = options.appSecret ?? 'fake-app-secret';
  const botOpenId = options.botOpenId ?? 'ou_bot0001';
  const users = new Map(Object.entries(options.users ?? {}));
  const messages = new Map<string, StoredMessage>();
  const resources = new Map<string, { data: Uint8Array; name?: string }>();
  const calls: FakeFeishuCall[] = [];
  const failures = new Map<string, FakeFeishuFailure[]>();
  const markupMarkers: string[] = [];
  const sent: FakeFeishuSent = { messages: [], edits: [], deletions: [], files: [] };
  const validTokens = new Set<string>();
  let tokens = 0;
  let counter = 0;
  let baseUrl = '';
  const nextId = (prefix: string) => `${prefix}_${(++counter).toString(16).padStart(8, '0')}`;

  const write = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  };
  const ok = (response: ServerResponse, data: unknown, extra: Record<string, unknown> = {}) =>
    write(response, 200, { code: 0, msg: 'success', ...(data !== undefined ? { data } : {}), ...extra });
  const refuse = (response: ServerResponse, failure: FakeFeishuFailure) =>
    write(
      response,
      failure.status ?? (failure.code === 99991400 ? 429 : 200),
      {
        code: failure.code,
        msg: failure.msg ?? `fake failure ${failure.code}`,
        ...(failure.missingScopes
          ? { error: { permission_violations: failure.missingScopes.map((scope) => ({ type: 'action_scope_required', subject: scope })) } }
          : {}),
      },
      failure.retryAfterSeconds !== undefined ? { 'x-ogw-ratelimit-reset': String(failure.retryAfterSeconds) } : {},
    );
  const takeFailure = (route: string) => {
    for (const key of [route, '*']) {
      const queue = failures.get(key);
      const failure = queue?.shift();
      if (failure) return failure;
    }
    return undefined;
  };
  const record = (chatId: string, msgType: string, content: unknown, extra: { threadId?: string; replyTo?: string; uuid?: string }) => {
    const messageId = nextId('om');
    messages.set(messageId, { chatId, msgType, content, ...(extra.threadId ? { rootId: extra.threadId } : {}) });
    if (msgType === 'file' || msgType === 'image') {
      const key = String((content as { file_key?: unknown; image_key?: unknown }).file_key ?? (content as { image_key?: unknown }).image_key);
      const resource = resources.get(key);
      sent.files.push({ chatId, messageId, name: resource?.name ?? key, size: resource?.data.length ?? 0 });
    } else {
      const caption = sent.files.find((file) => file.messageId === extra.replyTo && file.caption === undefined);
      if (caption && msgType === 'text') caption.caption = shownText(msgType, content);
      else
        sent.messages.push({
          chatId,
          messageId,
          msgType,
          text: shownText(msgType, content),
          format: msgType === 'post' ? 'markdown' : 'plain',
          ...extra,
        });
    }
    return { message_id: messageId, chat_id: chatId, msg_type: msgType, create_time: String(Date.now()) };
  };
  const parseContent = (raw: unknown): unknown => {
    try {
      return JSON.parse(String(raw));
    } catch {
      return undefined;
    }
  };
  /** The content's refusal (230001) when a post is malformed or carries a rejected marker. */
  const contentRefused = (msgType: string, content: unknown): FakeFeishuFailure | undefined => {
    if (content === undefined) return { code: 230001, msg: 'invalid message content' };
    if (msgType !== 'post') return undefined;
    if (!validPost(content) || markupMarkers.some((marker) => shownText('post', content).includes(marker)))
      return { code: 230001, msg: 'invalid message content: the post content is not valid' };
    return undefined;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', baseUrl);
    const method = request.method ?? 'GET';
    const raw = await readBody(request);
    const contentType = String(request.headers['content-type'] ?? '');
    const json = contentType.includes('json') && raw.length > 0 ? (parseContent(raw.toString('utf8')) as Record<string, unknown>) : {};
    const token = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1];
    const path = url.pathname;
    const match = (pattern: RegExp) => pattern.exec(path);
    const messagePath = match(/^\/open-apis\/im\/v1\/messages\/([^/]+)$/);
    const replyPath = match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/reply$/);
    const resourcePath = match(/^\/open-apis\/im\/v1\/messages\/([^/]+)\/resources\/([^/]+)$/);
    const userPath = match(/^\/open-apis\/contact\/v3\/users\/([^/]+)$/);
    const route =
      path === '/open-apis/auth/v3/tenant_access_token/internal' && method === 'POST'
        ? 'token'
        : path === '/open-apis/bot/v3/info' && method === 'GET'
          ? 'bot.info'
          : userPath && method === 'GET'
            ? 'user.get'
            : path === '/open-apis/im/v1/messages' && method === 'POST'
              ? 'message.create'
              : replyPath && method === 'POST'
                ? 'message.reply'
                : messagePath && method === 'PUT'
                  ? 'message.update'
                  : messagePath && method === 'PATCH'
                    ? 'message.patch'
                    : messagePath && method === 'DELETE'
                      ? 'message.delete'
                      : resourcePath && method === 'GET'
                        ? 'message.resource'
                        : path === '/open-apis/im/v1/files' && method === 'POST'
                          ? 'file.create'
                          : path === '/open-apis/im/v1/images' && method === 'POST'
                            ? 'image.create'
                            : undefined;
    if (!route) return write(response, 404, { code: 404, msg: `no such route ${method} ${path}` });
    calls.push({
      route,
      method,
      path,
      ...(token ? { token } : {}),
      query: Object.fromEntries(url.searchParams),
      ...(contentType.includes('json') ? { body: json } : {}),
    });
    const failure = takeFailure(route);
    if (failure) return refuse(response, failure);
    if (route === 'token') {
      if (json.app_id !== app.appId || json.app_secret !== appSecret) return write(response, 200, { code: 10014, msg: 'app secret invalid' });
      tokens += 1;
      const issued = `t-fake-${tokens}`;
      validTokens.add(issued);
      return write(response, 200, { code: 0, msg: 'ok', tenant_access_token: issued, expire: 7200 });
    }
    if (!token || !validTokens.has(token))
      return write(response, 400, { code: 99991663, msg: 'Invalid access token for authorization. Please make a request with token attached.' });
    const messageId = decodeURIComponent(messagePath?.[1] ?? replyPath?.[1] ?? resourcePath?.[1] ?? '');
    switch (route) {
      case 'bot.info':
        return write(response, 200, { code: 0, msg: 'ok', bot: { activate_status: 2, app_name: options.botName ?? 'ngb', open_id: botOpenId } });
      case 'user.get': {
        const name = users.get(decodeURIComponent(userPath?.[1] ?? ''));
        return name === undefined ? refuse(response, { code: 41050, msg: 'no user authority error' }) : ok(response, { user: { name } });
      }
      case 'message.create':
      case 'message.reply': {
        const content = parseContent(json.content);
        const msgType = String(json.msg_type ?? '');
        const refused = contentRefused(msgType, content);
        if (refused) return refuse(response, refused);
        if (route === 'message.create') {
          if (url.searchParams.get('receive_id_type') !== 'chat_id') return refuse(response, { code: 230001, msg: 'invalid receive_id_type' });
          const uuid = typeof json.uuid === 'string' ? json.uuid : undefined;
          const earlier = uuid ? sent.messages.find((message) => message.uuid === uuid) : undefined;
          if (earlier) return ok(response, { message_id: earlier.messageId, chat_id: earlier.chatId });
          return ok(response, record(String(json.receive_id), msgType, content, uuid ? { uuid } : {}));
        }
        const parent = messages.get(messageId);
        if (!parent) return refuse(response, { code: 230011, msg: 'the message was withdrawn or does not exist' });
        const inThread = json.reply_in_thread === true;
        return ok(
          response,
          record(parent.chatId, msgType, content, inThread ? { threadId: parent.rootId ?? messageId } : { replyTo: messageId }),
        );
      }
      case 'message.update':
      case 'message.patch': {
        const stored = messages.get(messageId);
        if (!stored) return refuse(response, { code: 230011, msg: 'the message was withdrawn or does not exist' });
        const msgType = route === 'message.patch' ? 'interactive' : String(json.msg_type ?? '');
        const content = parseContent(json.content);
        const refused = contentRefused(msgType, content);
        if (refused) return refuse(response, refused);
        stored.content = content;
        sent.edits.push({ chatId: stored.chatId, messageId, text: shownText(msgType, content), format: msgType === 'post' ? 'markdown' : 'plain' });
        return ok(response, {});
      }
      case 'message.delete': {
        const stored = messages.get(messageId);
        if (!stored) return refuse(response, { code: 230011, msg: 'the message was withdrawn or does not exist' });
        messages.delete(messageId);
        sent.deletions.push({ chatId: stored.chatId, messageId });
        return ok(response, {});
      }
      case 'message.resource': {
        const resource = resources.get(decodeURIComponent(resourcePath?.[2] ?? ''));
        if (!resource || !messages.has(messageId)) return refuse(response, { code: 234003, msg: 'file not found', status: 400 });
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(resource.data.length) });
        response.end(Buffer.from(resource.data));
        return;
      }
      default: {
        const parts = readMultipart(raw, contentType);
        const field = (name: string) => parts.find((part) => part.name === name);
        const image = route === 'image.create';
        const file = field(image ? 'image' : 'file');
        if (!file || file.data.length === 0) return refuse(response, { code: 234001, msg: 'invalid request param: empty file' });
        const key = nextId(image ? 'img' : 'file');
        const name = image ? (file.filename ?? key) : (field('file_name')?.data.toString('utf8') ?? key);
        resources.set(key, { data: new Uint8Array(file.data), name });
        return ok(response, image ? { image_key: key } : { file_key: key });
      }
    }
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) write(response, 500, { code: 500, msg: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const delivery = (given: FakeFeishuDelivery = {}): FakeFeishuDelivery => ({
    ...(options.encryptKey ? { encryptKey: options.encryptKey } : {}),
    ...given,
  });

  return {
    url: baseUrl,
    appId: app.appId,
    appSecret,
    verificationToken: app.verificationToken,
    encryptKey: options.encryptKey,
    botOpenId,
    addUser: (openId, name) => void users.set(openId, name),
    addResource(file) {
      const key = nextId(file.kind === 'image' ? 'img' : 'file');
      resources.set(key, { data: file.data });
      return key;
    },
    postMessage(input) {
      const messageId = nextId('om');
      messages.set(messageId, { chatId: input.chatId, msgType: input.messageType ?? 'text', content: input.content, ...(input.rootId ? { rootId: input.rootId } : {}) });
      if (input.rootId && !messages.has(input.rootId)) messages.set(input.rootId, { chatId: input.chatId, msgType: 'text', content: {} });
      return envelope('im.message.receive_v1', messageEvent(input, messageId, Date.now()), app, nextId('ev'));
    },
    recallMessage(chatId, messageId, operatorOpenId) {
      messages.delete(messageId);
      const event = { message_id: messageId, chat_id: chatId, recall_time: String(Date.now()), recall_type: 'message_owner', operator_id: { open_id: operatorOpenId } };
      return envelope('im.message.recalled_v1', event, app, nextId('ev'));
    },
    envelopeOf: (eventType, event) => envelope(eventType, event, app, nextId('ev')),
    request: (payload, given) => feishuWebhookRequest(payload, delivery(given)),
    async deliver(url, payload, given) {
      const response = await fetch(feishuWebhookRequest(payload, { ...delivery(given), url }));
      await response.arrayBuffer();
      return response.status;
    },
    urlVerification: (challenge, token) => ({ challenge, token: token ?? app.verificationToken, type: 'url_verification' }),
    revokeToken: () => validTokens.clear(),
    tokensIssued: () => tokens,
    calls: (route) => (route ? calls.filter((call) => call.route === route) : [...calls]),
    sent: () => structuredClone(sent),
    failNext(route, ...more) {
      failures.set(route, [...(failures.get(route) ?? []), ...more]);
    },
    rejectMarkup: (marker) => void markupMarkers.push(marker),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
