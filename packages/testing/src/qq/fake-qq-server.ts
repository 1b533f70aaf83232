/**
 * A fake OneBot v11 implementation (what NapCat, LLOneBot or Lagrange run beside a QQ account) for
 * tests: a real WebSocket server on 127.0.0.1 speaking OneBot's universal forward WebSocket at `/`,
 * events and actions on one connection.
 *
 * The upgrade checks the access token as OneBot v11 says: `Authorization: Bearer <token>` or
 * `?access_token=<token>`, 401 when missing, 403 when wrong. Each connection first gets a `lifecycle`
 * meta event (`connect`); heartbeat meta events follow on a real timer when `heartbeatIntervalMs` is set,
 * or when the test calls `heartbeat()`. Actions `{ action, params, echo }` are answered
 * `{ status, retcode, data, message, wording, echo }` for `get_login_info`, `send_private_msg`,
 * `send_group_msg`, `delete_msg`, `get_msg`, `upload_private_file`, `upload_group_file` (others: 1404).
 *
 * It records what the bot sent (messages with their segments and visible text, uploads, recalls), injects
 * people's messages (as segment arrays or CQ-code strings) and recalls, serves files for image and file
 * segments over HTTP on the same port, and can fail the next action with a retcode, answer out of order,
 * swallow an answer, go silent with the sockets open, drop the connections, or redeliver any event.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { FakeQQFailure, FakeQQSegment, FakeQQServer, FakeQQServerOptions, FakeQQUpload } from './fake-qq-types';
import { answerFakeQQAction, type FakeQQState } from './qq-fake-actions';

export type {
  FakeQQAction,
  FakeQQFailure,
  FakeQQInbound,
  FakeQQSegment,
  FakeQQSentMessage,
  FakeQQServer,
  FakeQQServerOptions,
  FakeQQUpload,
} from './fake-qq-types';

const escapeText = (value: string) => value.replace(/&/g, '&amp;').replace(/\[/g, '&#91;').replace(/\]/g, '&#93;');
const escapeParameter = (value: string) => escapeText(value).replace(/,/g, '&#44;');

/** Segments in OneBot's CQ-code string form. */
function toCqString(segments: FakeQQSegment[]): string {
  return segments
    .map((segment) =>
      segment.type === 'text'
        ? escapeText(String(segment.data.text ?? ''))
        : `[CQ:${segment.type}${Object.entries(segment.data)
            .map(([key, value]) => `,${key}=${escapeParameter(String(value))}`)
            .join('')}]`,
    )
    .join('');
}

/** Starts a fake OneBot v11 forward-WebSocket implementation on 127.0.0.1 (a free port). */
export async function createFakeQQServer(options: FakeQQServerOptions = {}): Promise<FakeQQServer> {
  let accessToken = options.accessToken === null ? undefined : (options.accessToken ?? 'fake-onebot-token');
  const selfId = options.selfId ?? 10000;
  let messageCounter = 1000;
  const state: FakeQQState = {
    selfId,
    nickname: options.nickname ?? 'ngb-bot',
    maxTextLength: options.maxTextLength ?? 4500,
    nextMessageId: () => {
      messageCounter += 1;
      return messageCounter;
    },
    messages: new Map(),
    sent: [],
    uploads: [] as FakeQQUpload[],
    deletions: [],
  };
  const actions: FakeQQServer['actions'] = [];
  const refusals: number[] = [];
  const failures: FakeQQFailure[] = [];
  const swallowed: string[] = [];
  const files = new Map<string, Uint8Array>();
  const sockets = new Set<WebSocket>();
  let held: { count: number; answers: Array<() => void> } | undefined;
  let connections = 0;
  let silent = false;
  const now = () => Math.floor(Date.now() / 1000);

  const http = createServer((request, response) => {
    const file = files.get(new URL(request.url ?? '/', 'http://fake').pathname);
    if (!file) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.length }).end(file);
  });
  const server = new WebSocketServer({ noServer: true });

  const send = (socket: WebSocket, payload: unknown) => {
    if (!silent && socket.readyState === socket.OPEN) socket.send(JSON.stringify(payload));
  };
  const broadcast = (payload: unknown) => {
    for (const socket of sockets) send(socket, payload);
  };
  const meta = (type: string, extra: Record<string, unknown>) => ({
    time: now(),
    self_id: selfId,
    post_type: 'meta_event',
    meta_event_type: type,
    ...extra,
  });

  function refuse(socket: Duplex, status: 401 | 403): void {
    refusals.push(status);
    socket.end(
      `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
    );
  }

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (accessToken !== undefined) {
      const header = request.headers.authorization;
      const query = new URL(request.url ?? '/', 'http://fake').searchParams.get('access_token');
      const given = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : (query ?? undefined);
      if (given === undefined) return refuse(socket, 401);
      if (given !== accessToken) return refuse(socket, 403);
    }
    server.handleUpgrade(request, socket, head, (ws) => {
      connections += 1;
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (raw) => answer(ws, raw.toString()));
      send(ws, meta('lifecycle', { sub_type: 'connect' }));
    });
  });

  function answer(socket: WebSocket, raw: string): void {
    let request: { action?: unknown; params?: unknown; echo?: unknown };
    try {
      request = JSON.parse(raw) as typeof request;
    } catch {
      return;
    }
    const action = typeof request.action === 'string' ? request.action : '';
    const params = (typeof request.params === 'object' && request.params !== null ? request.params : {}) as Record<
      string,
      unknown
    >;
    const failureIndex = failures.findIndex((failure) => failure.action === undefined || failure.action === action);
    const failure = failureIndex === -1 ? undefined : failures.splice(failureIndex, 1)[0];
    const result = failure
      ? { retcode: failure.retcode, data: null, message: failure.message ?? '', wording: failure.wording ?? '' }
      : answerFakeQQAction(state, action, params);
    actions.push({ action, params, retcode: result.retcode });
    const swallowIndex = swallowed.indexOf(action);
    if (swallowIndex !== -1) return void swallowed.splice(swallowIndex, 1);
    const payload = {
      status: failure?.status ?? (result.retcode === 0 ? 'ok' : 'failed'),
      retcode: result.retcode,
      data: result.data,
      message: result.message ?? '',
      wording: result.wording ?? '',
      ...(request.echo === undefined ? {} : { echo: request.echo }),
    };
    const deliver = () => send(socket, payload);
    if (!held) {
      deliver();
      return;
    }
    held.answers.push(deliver);
    if (held.answers.length >= held.count) {
      const answers = held.answers.reverse();
      held = undefined;
      for (const release of answers) release();
    }
  }

  const heartbeatInterval = options.heartbeatIntervalMs ?? 30_000;
  let heartbeats = 0;
  const heartbeat = () => {
    if (!silent) heartbeats += 1;
    broadcast(meta('heartbeat', { status: { online: true, good: true }, interval: heartbeatInterval }));
  };
  const heartbeatTimer =
    options.heartbeatIntervalMs === undefined ? undefined : setInterval(heartbeat, options.heartbeatIntervalMs);

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  const httpUrl = `http://127.0.0.1:${port}`;

  return {
    url: `ws://127.0.0.1:${port}`,
    httpUrl,
    get accessToken() {
      return accessToken;
    },
    selfId,
    sent: state.sent,
    uploads: state.uploads,
    deletions: state.deletions,
    actions,
    refusals,
    get connections() {
      return connections;
    },
    get heartbeats() {
      return heartbeats;
    },
    openConnections: () => sockets.size,
    injectMessage(input) {
      const match = /^(private|group):(\d+)$/.exec(input.chatId);
      if (!match) throw new Error(`[@ngb/testing] fake QQ: "${input.chatId}" is not private:<n> or group:<n>`);
      const group = match[1] === 'group';
      const segments: FakeQQSegment[] =
        typeof input.message === 'string' ? [{ type: 'text', data: { text: input.message } }] : input.message;
      const messageId = input.messageId ?? state.nextMessageId();
      state.messages.set(messageId, { chatId: input.chatId, userId: input.userId, segments, time: now() });
      const event: Record<string, unknown> = {
        time: now(),
        self_id: selfId,
        post_type: 'message',
        message_type: group ? 'group' : 'private',
        sub_type: group ? 'normal' : 'friend',
        message_id: messageId,
        user_id: input.userId,
        ...(group ? { group_id: Number(match[2]) } : { target_id: Number(match[2]) }),
        message: input.asCqString ? toCqString(segments) : segments,
        raw_message: toCqString(segments),
        font: 0,
        sender: {
          user_id: input.userId,
          nickname: input.nickname ?? `user${input.userId}`,
          ...(group ? { card: input.card ?? '', role: input.role ?? 'member' } : {}),
        },
      };
      broadcast(event);
      return event;
    },
    injectEvent: (event) => broadcast(event),
    recall(input) {
      const group = input.chatId.startsWith('group:');
      broadcast({
        time: now(),
        self_id: selfId,
        post_type: 'notice',
        notice_type: group ? 'group_recall' : 'friend_recall',
        user_id: input.userId,
        message_id: input.messageId,
        ...(group
          ? { group_id: Number(input.chatId.slice('group:'.length)), operator_id: input.operatorId ?? input.userId }
          : {}),
      });
    },
    heartbeat,
    hostFile(name, data) {
      const path = `/files/${randomUUID()}/${encodeURIComponent(name)}`;
      files.set(path, data);
      return `${httpUrl}${path}`;
    },
    rotateAccessToken(token) {
      accessToken = token;
    },
    failNext: (failure) => void failures.push(failure),
    reorderNext(count) {
      held = { count, answers: [] };
    },
    holdAnswers() {
      const holding = { count: Number.POSITIVE_INFINITY, answers: [] as Array<() => void> };
      held = holding;
      return () => {
        if (held === holding) held = undefined;
        for (const release of holding.answers) release();
      };
    },
    swallowNext: (action) => void swallowed.push(action),
    goSilent() {
      silent = true;
    },
    speak() {
      silent = false;
    },
    dropConnections() {
      for (const socket of sockets) socket.terminate();
    },
    async close() {
      if (heartbeatTimer) clearInterval(heartbeatTimer);
      for (const socket of sockets) socket.terminate();
      server.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
