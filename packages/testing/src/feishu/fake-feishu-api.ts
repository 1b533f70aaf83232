// The Open API of the fake Feishu: its state (tokens, messages, resources, what the bot sent, failures
// to answer) and the handler of its HTTP routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readMultipart } from '../http/multipart';
import { readBody } from '../http/request-body';
import { shownFormat, shownText, validPost } from './fake-feishu-text';
import type { FakeFeishuCall, FakeFeishuFailure, FakeFeishuSent } from './fake-feishu-types';

/** The app the fake Open API serves. */
export interface FakeFeishuApp {
  appId: string;
  appSecret: string;
  botOpenId: string;
  botName: string;
  users: Record<string, string>;
  /** The endpoint lookup's answer (the long connection's URL) for accepted credentials. */
  wsEndpoint?(): unknown;
}

/** A message the fake knows (sent by the bot or posted by a person). */
export interface StoredMessage {
  chatId: string;
  msgType: string;
  content: unknown;
  rootId?: string;
}

/** The fake Open API: `handle` answers one HTTP request; the rest is its state. */
export function createFakeFeishuApi(settings: FakeFeishuApp) {
  const options = { botName: settings.botName };
  const app = { appId: settings.appId };
  const appSecret = settings.appSecret;
  const botOpenId = settings.botOpenId;
  const users = new Map(Object.entries(settings.users));
  const messages = new Map<string, StoredMessage>();
  const resources = new Map<string, { data: Uint8Array; name?: string }>();
  const calls: FakeFeishuCall[] = [];
  const failures = new Map<string, FakeFeishuFailure[]>();
  const markupMarkers: string[] = [];
  const sent: FakeFeishuSent = { messages: [], edits: [], deletions: [], files: [] };
  const validTokens = new Set<string>();
  let tokens = 0;
  let counter = 0;
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
          ? {
              error: {
                permission_violations: failure.missingScopes.map((scope) => ({ type: 'action_scope_required', subject: scope })),
              },
            }
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
  const record = (
    chatId: string,
    msgType: string,
    content: unknown,
    extra: { threadId?: string; replyTo?: string; uuid?: string },
  ) => {
    const messageId = nextId('om');
    messages.set(messageId, { chatId, msgType, content, ...(extra.threadId ? { rootId: extra.threadId } : {}) });
    if (msgType === 'file' || msgType === 'image') {
      const key = String(
        (content as { file_key?: unknown; image_key?: unknown }).file_key ?? (content as { image_key?: unknown }).image_key,
      );
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
          format: shownFormat(msgType, content),
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
    if (msgType === 'interactive')
      return shownFormat(msgType, content) === 'markdown' &&
        markupMarkers.some((marker) => shownText(msgType, content).includes(marker))
        ? { code: 230001, msg: 'invalid message content: the card content is not valid' }
        : undefined;
    if (msgType !== 'post') return undefined;
    if (!validPost(content) || markupMarkers.some((marker) => shownText('post', content).includes(marker)))
      return { code: 230001, msg: 'invalid message content: the post content is not valid' };
    return undefined;
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    const raw = await readBody(request);
    const contentType = String(request.headers['content-type'] ?? '');
    const json =
      contentType.includes('json') && raw.length > 0 ? (parseContent(raw.toString('utf8')) as Record<string, unknown>) : {};
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
        : path === '/callback/ws/endpoint' && method === 'POST'
          ? 'ws.endpoint'
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
                    : messagePath && method === 'GET'
                      ? 'message.get'
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
    if (route === 'ws.endpoint') {
      if (json.AppID !== app.appId || json.AppSecret !== appSecret || !settings.wsEndpoint)
        return write(response, 200, { code: 514, msg: 'auth failed: app id or app secret invalid' });
      return write(response, 200, settings.wsEndpoint());
    }
    if (route === 'token') {
      if (json.app_id !== app.appId || json.app_secret !== appSecret)
        return write(response, 200, { code: 10014, msg: 'app secret invalid' });
      tokens += 1;
      const issued = `t-fake-${tokens}`;
      validTokens.add(issued);
      return write(response, 200, { code: 0, msg: 'ok', tenant_access_token: issued, expire: 7200 });
    }
    if (!token || !validTokens.has(token))
      return write(response, 400, {
        code: 99991663,
        msg: 'Invalid access token for authorization. Please make a request with token attached.',
      });
    const messageId = decodeURIComponent(messagePath?.[1] ?? replyPath?.[1] ?? resourcePath?.[1] ?? '');
    switch (route) {
      case 'bot.info':
        return write(response, 200, {
          code: 0,
          msg: 'ok',
          bot: { activate_status: 2, app_name: options.botName ?? 'ngb', open_id: botOpenId },
        });
      case 'user.get': {
        const name = users.get(decodeURIComponent(userPath?.[1] ?? ''));
        return name === undefined
          ? refuse(response, { code: 41050, msg: 'no user authority error' })
          : ok(response, { user: { name } });
      }
      case 'message.create':
      case 'message.reply': {
        const content = parseContent(json.content);
        const msgType = String(json.msg_type ?? '');
        const refused = contentRefused(msgType, content);
        if (refused) return refuse(response, refused);
        if (route === 'message.create') {
          if (url.searchParams.get('receive_id_type') !== 'chat_id')
            return refuse(response, { code: 230001, msg: 'invalid receive_id_type' });
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
      case 'message.get': {
        const stored = messages.get(messageId);
        if (!stored) return refuse(response, { code: 230011, msg: 'the message was withdrawn or does not exist' });
        return ok(response, {
          items: [
            {
              message_id: messageId,
              chat_id: stored.chatId,
              msg_type: stored.msgType,
              body: { content: JSON.stringify(stored.content) },
            },
          ],
        });
      }
      case 'message.update':
      case 'message.patch': {
        const stored = messages.get(messageId);
        if (!stored) return refuse(response, { code: 230011, msg: 'the message was withdrawn or does not exist' });
        // As Feishu: PUT edits text and post messages only, PATCH updates cards only.
        if ((route === 'message.patch') !== (stored.msgType === 'interactive'))
          return refuse(response, { code: 230001, msg: `${stored.msgType} messages cannot be updated with ${method}` });
        const msgType = route === 'message.patch' ? 'interactive' : String(json.msg_type ?? '');
        const content = parseContent(json.content);
        const refused = contentRefused(msgType, content);
        if (refused) return refuse(response, refused);
        stored.content = content;
        if (route === 'message.update') stored.msgType = msgType;
        sent.edits.push({
          chatId: stored.chatId,
          messageId,
          text: shownText(msgType, content),
          format: shownFormat(msgType, content),
        });
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

  return {
    handle,
    write,
    users,
    messages,
    resources,
    calls,
    failures,
    markupMarkers,
    sent,
    validTokens,
    tokensIssued: () => tokens,
    nextId,
  };
}
