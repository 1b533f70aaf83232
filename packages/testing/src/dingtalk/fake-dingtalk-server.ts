// A fake DingTalk for tests, on 127.0.0.1: the Stream mode endpoint lookup
// (`POST /v1.0/gateway/connections/open`, credentials checked) and its WebSocket (pings, CALLBACK
// robot messages kept until acked and redelivered after a reconnect, `disconnect` frames, silence,
// drops); the OAuth token endpoint; per-message session webhooks with an expiry; the robot send
// (text, markdown, `sampleFile`), recall and file download APIs; the old OpenAPI's `gettoken` and
// multipart `media/upload`, with its own tokens. It records what the robot sent as people see it and fails the next
// call on demand (429 `Throttling.Api`, 5xx, 401 `InvalidAuthentication`, ...).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../http/request-body';
import { createFakeDingTalkOapi } from './fake-dingtalk-oapi';
import { createFakeDingTalkStream } from './fake-dingtalk-stream';
import type {
  FakeDingTalkCall,
  FakeDingTalkFailure,
  FakeDingTalkInbound,
  FakeDingTalkRobotMessage,
  FakeDingTalkSent,
  FakeDingTalkServer,
  FakeDingTalkServerOptions,
  FakeDingTalkStreamLog,
} from './fake-dingtalk-types';

/** Starts a fake DingTalk on 127.0.0.1 (port 0). */
export async function createFakeDingTalkServer(options: FakeDingTalkServerOptions = {}): Promise<FakeDingTalkServer> {
  const clientId = options.clientId ?? 'ding-fake-app';
  const clientSecret = options.clientSecret ?? 'fake-client-secret';
  const robotCode = options.robotCode ?? clientId;
  const chatbotUserId = '$:LWCP_v1:$fake-robot';
  const stream = createFakeDingTalkStream(clientId);
  const oapi = createFakeDingTalkOapi({
    clientId,
    clientSecret,
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 7200,
    now: Date.now,
  });
  const sent: FakeDingTalkSent[] = [];
  const recalls: Array<{ chatId: string; id: string }> = [];
  const calls: FakeDingTalkCall[] = [];
  const failures: FakeDingTalkFailure[] = [];
  const tokens = new Set<string>();
  const sessions = new Map<string, { chatId: string; expired: boolean }>();
  const files = new Map<string, Uint8Array>();
  let tokensIssued = 0;
  let counter = 0;
  let url = '';

  const json = (response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };

  function authorized(request: IncomingMessage): boolean {
    return tokens.has(String(request.headers['x-acs-dingtalk-access-token'] ?? ''));
  }

  function record(chatId: string, via: FakeDingTalkSent['via'], msgKey: string, param: Record<string, string>, id = '') {
    const markdown = msgKey === 'sampleMarkdown' || msgKey === 'markdown';
    sent.push({
      chatId,
      id,
      via,
      format: markdown ? 'markdown' : 'text',
      ...(markdown ? { title: param.title ?? '' } : {}),
      text: (markdown ? param.text : param.content) ?? '',
    });
  }

  async function route(request: IncomingMessage, response: ServerResponse, path: string, body: Record<string, unknown>) {
    if (path === '/v1.0/gateway/connections/open') {
      if (body.clientId !== clientId || body.clientSecret !== clientSecret)
        return json(response, 401, { code: 'InvalidAuthentication', message: 'clientId or clientSecret is invalid' });
      stream.log.subscriptions = (body.subscriptions as FakeDingTalkStreamLog['subscriptions']) ?? [];
      return json(response, 200, { endpoint: `${url.replace('http', 'ws')}/connect`, ticket: stream.issueTicket() });
    }
    if (path === '/v1.0/oauth2/accessToken') {
      if (body.appKey !== clientId || body.appSecret !== clientSecret)
        return json(response, 401, { code: 'InvalidAuthentication', message: 'appKey or appSecret is invalid' });
      const token = `fake-token-${randomUUID()}`;
      tokens.add(token);
      tokensIssued += 1;
      return json(response, 200, { accessToken: token, expireIn: options.tokenLifetimeSeconds ?? 7200 });
    }
    if (path === '/robot/sendBySession') {
      const session = sessions.get(new URL(request.url ?? '/', url).searchParams.get('session') ?? '');
      if (!session || session.expired) return json(response, 200, { errcode: 300001, errmsg: 'session expired' });
      const type = String(body.msgtype);
      const param = (body[type] ?? {}) as Record<string, string>;
      record(session.chatId, 'session-webhook', type, param);
      return json(response, 200, { errcode: 0, errmsg: 'ok' });
    }
    if (!authorized(request)) return json(response, 401, { code: 'InvalidAuthentication', message: '不合法的access_token' });
    if (body.robotCode !== robotCode)
      return json(response, 400, { code: 'invalidParameter.robotCode', message: 'robotCode is invalid' });
    if (path === '/v1.0/robot/oToMessages/batchSend' || path === '/v1.0/robot/groupMessages/send') {
      const chatId = path.includes('group') ? String(body.openConversationId) : String((body.userIds as string[])[0]);
      const id = `pqk-${++counter}`;
      const param = JSON.parse(String(body.msgParam)) as Record<string, string>;
      if (body.msgKey === 'sampleFile') {
        const upload = oapi.uploads.find((candidate) => candidate.mediaId === param.mediaId);
        if (!upload) return json(response, 400, { code: 'invalidParameter.mediaId', message: 'mediaId is invalid' });
        const file = { upload, fileName: param.fileName ?? '', fileType: param.fileType ?? '' };
        sent.push({ chatId, id, via: 'api', format: 'file', text: file.fileName, file });
      } else record(chatId, 'api', String(body.msgKey), param, id);
      return json(response, 200, { processQueryKey: id, invalidStaffIdList: [], flowControlledStaffIdList: [] });
    }
    if (path === '/v1.0/robot/otoMessages/batchRecall' || path === '/v1.0/robot/groupMessages/recall') {
      const keys = body.processQueryKeys as string[];
      for (const key of keys) {
        const message = sent.find((item) => item.id === key);
        if (message) recalls.push({ chatId: message.chatId, id: key });
      }
      return json(response, 200, { successResult: keys, failedResult: {} });
    }
    if (path === '/v1.0/robot/messageFiles/download') {
      const code = String(body.downloadCode);
      if (!files.has(code)) return json(response, 404, { code: 'resource.notFound', message: 'downloadCode not found' });
      return json(response, 200, { downloadUrl: `${url}/files/${encodeURIComponent(code)}` });
    }
    return json(response, 404, { code: 'NotFound', message: `no route ${path}` });
  }

  /** The next failure queued for `path`, answered; true when one was. */
  function failed(path: string, body: unknown, response: ServerResponse): boolean {
    if (path === '/v1.0/oauth2/accessToken' || path === '/gettoken') return false;
    const index = failures.findIndex((failure) => failure.path === undefined || path.includes(failure.path));
    const [failure] = index >= 0 ? failures.splice(index, 1) : [];
    if (!failure) return false;
    if (failure.errcode !== undefined) {
      calls.push({ path, body, status: 200 });
      json(response, 200, { errcode: failure.errcode, errmsg: failure.message ?? 'injected failure' });
      return true;
    }
    calls.push({ path, body, status: failure.status });
    json(
      response,
      failure.status,
      { code: failure.code ?? 'ServiceUnavailable', message: failure.message ?? 'injected failure' },
      failure.retryAfter === undefined ? {} : { 'retry-after': String(failure.retryAfter) },
    );
    return true;
  }

  const server = createServer((request, response) => {
    void (async () => {
      const address = new URL(request.url ?? '/', 'http://fake.invalid');
      const path = address.pathname;
      if (request.method === 'GET' && path.startsWith('/files/')) {
        const data = files.get(decodeURIComponent(path.slice('/files/'.length)));
        if (!data) return json(response, 404, { code: 'NotFound' });
        response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(data.length) });
        return void response.end(data);
      }
      if (request.method === 'GET' && path === '/gettoken') {
        oapi.gettoken(address, response);
        return void calls.push({ path, body: {}, status: 200 });
      }
      const raw = await readBody(request);
      // A multipart upload, read before any JSON parsing.
      if (path === '/media/upload') {
        const seen = { type: address.searchParams.get('type'), bytes: raw.length };
        if (failed(path, seen, response)) return;
        oapi.upload(address, request, raw, response);
        return void calls.push({ path, body: seen, status: 200 });
      }
      let body: Record<string, unknown> = {};
      try {
        body = raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as Record<string, unknown>);
      } catch {
        return json(response, 400, { code: 'InvalidParameter', message: 'the body is not JSON' });
      }
      if (path === '/v1.0/gateway/connections/open') stream.log.lookups += 1;
      if (failed(path, body, response)) return;
      const before = response.statusCode;
      await route(request, response, path, body);
      calls.push({ path, body, status: response.statusCode || before });
    })().catch((error: unknown) => json(response, 500, { code: 'InternalError', message: String(error) }));
  });
  server.on('upgrade', (request, socket, head) => stream.upgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function robotMessage(input: FakeDingTalkInbound): FakeDingTalkRobotMessage {
    const id = ++counter;
    const group = input.groupId !== undefined;
    const session = randomUUID();
    const chatId = group ? (input.groupId as string) : input.senderStaffId;
    sessions.set(session, { chatId, expired: false });
    const mentioned = group ? input.mentionsRobot !== false : false;
    const base: FakeDingTalkRobotMessage = {
      conversationId: group ? (input.groupId as string) : `cid-oto-${input.senderStaffId}`,
      conversationType: group ? '2' : '1',
      ...(group ? { conversationTitle: `Group ${input.groupId}` } : {}),
      msgId: `msg${id}${randomUUID().slice(0, 8)}`,
      senderId: input.senderId ?? `$:LWCP_v1:$sender-${input.senderStaffId}`,
      senderStaffId: input.senderStaffId,
      senderNick: input.senderNick ?? `user${input.senderStaffId}`,
      senderCorpId: 'ding-fake-corp',
      chatbotUserId,
      chatbotCorpId: 'ding-fake-corp',
      robotCode,
      isInAtList: mentioned,
      isAdmin: false,
      ...(mentioned ? { atUsers: [{ dingtalkId: chatbotUserId }] } : {}),
      msgtype: 'text',
      sessionWebhook: `${url}/robot/sendBySession?session=${session}`,
      sessionWebhookExpiredTime: Date.now() + (options.sessionLifetimeMs ?? 3_600_000),
      createAt: Date.now(),
    };
    if (input.file) {
      const downloadCode = `dl-${randomUUID()}`;
      files.set(downloadCode, input.file.data);
      return input.file.picture
        ? { ...base, msgtype: 'picture', content: { downloadCode, pictureDownloadCode: `p-${downloadCode}` } }
        : { ...base, msgtype: 'file', content: { downloadCode, fileName: input.file.name, spaceId: '1', fileId: '2' } };
    }
    // DingTalk keeps the @ of the robot in a group text, as typed.
    return { ...base, text: { content: mentioned ? `@ngb ${input.text}` : input.text } };
  }

  return {
    url,
    clientId,
    clientSecret,
    robotCode,
    chatbotUserId,
    sent,
    recalls,
    calls,
    get tokensIssued() {
      return tokensIssued;
    },
    get oapiTokensIssued() {
      return oapi.issued();
    },
    uploads: oapi.uploads,
    stream: stream.log,
    injectMessage(input) {
      const message = robotMessage(input);
      stream.deliver(message);
      return message;
    },
    deliver: (data) => stream.deliver(data),
    sendFrame: (frame) => stream.send(frame),
    ping: () => stream.ping(),
    pingEvery: (intervalMs) => stream.pingEvery(intervalMs),
    sendDisconnect: () => stream.disconnectFrame(),
    goSilent: () => stream.goSilent(),
    speak: () => stream.speak(),
    dropConnections: () => stream.terminate(),
    openConnections: () => stream.openSockets(),
    pendingCallbacks: () => stream.pendingCount(),
    expireTokens() {
      tokens.clear();
      oapi.expire();
    },
    expireSession(webhook) {
      const session = sessions.get(new URL(webhook).searchParams.get('session') ?? '');
      if (session) session.expired = true;
    },
    failNext: (failure) => void failures.push(failure),
    async close() {
      stream.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
